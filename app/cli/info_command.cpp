#include "arguments.h"
#include "commands.h"

#include "build/builder.h"
#include "build/model_summary.h"
#include "io/project.h"
#include "io/training_data_file.h"

#include <filesystem>

#include <iostream>

int runInfo(const std::vector<std::string>& args) {
    const Arguments a(args, {});
    if (a.positionals().size() != 1) throw core::Error("info needs exactly one PROJECT file");
    const std::string path = a.positionals()[0];
    const core::Project project = core::loadProject(path);
    if (!project.title.empty()) std::cout << project.title << "\n";
    if (!project.description.empty()) std::cout << project.description << "\n";
    std::cout << "\n" << core::modelSummary(project.network, core::build(project.network, {project.simulation.dt, {}}));
    std::cout << "Default run: " << project.simulation.duration << " s at dt " << project.simulation.dt << " s\n";
    if (project.training) {
        const std::string directory = std::filesystem::path(path).parent_path().string();
        for (const auto& message : core::missingDataFiles(*project.training, directory.empty() ? "." : directory))
            std::cerr << "warning: " << message << "\n";
    }
    return 0;
}
