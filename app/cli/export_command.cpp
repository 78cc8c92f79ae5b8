#include "arguments.h"
#include "commands.h"

#include "io/atomic_file.h"
#include "io/nengo_export.h"
#include "io/project.h"

#include <iostream>

int runExport(const std::vector<std::string>& args) {
    const Arguments a(args, {"--format", "--out", "--duration"});
    if (a.positionals().size() != 1) throw core::Error("export needs exactly one PROJECT file");
    const auto formatName = a.value("--format");
    if (!formatName) throw core::Error("export needs --format nengo or --format json", {}, {}, "--format");
    const core::ExportFormat format = [&] {
        try {
            return core::exportFormat(*formatName);
        } catch (const core::Error& e) {
            throw core::Error(e.message(), {}, {}, "--format");
        }
    }();
    const auto out = a.value("--out");
    if (!out) throw core::Error("export needs --out FILE", {}, {}, "--out");
    const std::string path = a.positionals()[0];
    const core::Project project = core::loadProject(path);
    const double duration = a.positiveNumber("--duration", project.simulation.duration);
    const std::string text = [&] {
        try {
            return core::exportProject(project, format, duration);
        } catch (const core::Error& e) {
            throw e.inFile(path);
        }
    }();
    core::writeFileAtomically(*out, text);
    std::cout << "exported '" << (project.title.empty() ? path : project.title) << "' as " << *formatName << " to "
              << *out << "\n";
    return 0;
}
