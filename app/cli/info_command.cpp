#include "arguments.h"
#include "commands.h"

#include "build/builder.h"
#include "build/model_summary.h"
#include "io/project.h"

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
    return 0;
}
