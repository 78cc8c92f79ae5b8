#include "arguments.h"
#include "commands.h"

#include "build/builder.h"
#include "io/atomic_file.h"
#include "io/nengo_export.h"
#include "io/nir_export.h"
#include "io/project.h"

#include <iostream>

namespace {

// NIR is an HDF5 file that core writes itself; the other formats are text.
void exportNir(const core::Project& project, const std::string& path, const std::string& out, bool dropRefractory) {
    try {
        core::writeNir(project.network, core::build(project.network, {project.simulation.dt, {}}), out,
                       {dropRefractory});
    } catch (const core::Error& e) {
        // Errors of the model name the project; errors of writing name the output already.
        throw e.file().empty() ? e.inFile(path) : e;
    }
}

void exportText(const core::Project& project, const std::string& path, const std::string& out,
                core::ExportFormat format, double duration) {
    const std::string text = [&] {
        try {
            return core::exportProject(project, format, duration);
        } catch (const core::Error& e) {
            throw e.inFile(path);
        }
    }();
    core::writeFileAtomically(out, text);
}

}  // namespace

int runExport(const std::vector<std::string>& args) {
    const Arguments a(args, {"--format", "--out", "--duration"}, {"--drop-refractory"});
    if (a.positionals().size() != 1) throw core::Error("export needs exactly one PROJECT file");
    const auto formatName = a.value("--format");
    if (!formatName) throw core::Error("export needs --format nengo, json or nir", {}, {}, "--format");
    const bool nir = *formatName == "nir";
    const std::optional<core::ExportFormat> textFormat = [&]() -> std::optional<core::ExportFormat> {
        if (nir) return std::nullopt;
        try {
            return core::exportFormat(*formatName);
        } catch (const core::Error&) {
            throw core::Error("unknown export format '" + *formatName + "' (nengo, json or nir)", {}, {}, "--format");
        }
    }();
    if (nir && a.value("--duration")) throw core::Error("a NIR graph has no run length", {}, {}, "--duration");
    if (!nir && a.flag("--drop-refractory"))
        throw core::Error("only NIR graphs lack refractory periods (--format nir)", {}, {}, "--drop-refractory");
    const auto out = a.value("--out");
    if (!out) throw core::Error("export needs --out FILE", {}, {}, "--out");
    const std::string path = a.positionals()[0];
    const core::Project project = core::loadProject(path);
    if (nir)
        exportNir(project, path, *out, a.flag("--drop-refractory"));
    else
        exportText(project, path, *out, *textFormat, a.positiveNumber("--duration", project.simulation.duration));
    std::cout << "exported '" << (project.title.empty() ? path : project.title) << "' as " << *formatName << " to "
              << *out << "\n";
    return 0;
}
