// The process tests/test_crash_safety.cpp kills with SIGKILL at random
// moments. Each mode sets up, prints "ready", then writes the same file over
// and over, printing "saved N" after the N-th completed write, until killed:
//   crash_child project PATH A.nlproj B.nlproj
//       core::saveProject of A and of B in turn to PATH
//   crash_child params PATH PROJECT P1.npz P2.npz
//       core::saveParameters of PROJECT's built model with P1's and with P2's parameters in turn
//   crash_child autosave DIR PROJECT
//       opens PROJECT in an editor session autosaving to DIR; edit N sets the title
//       to "edit N" (an undoable command, as the user would) and autosaves
#include "build/builder.h"
#include "editor/edit_commands.h"
#include "editor/graph_model.h"
#include "editor/project_session.h"
#include "io/params_file.h"
#include "io/project.h"

#include <QCoreApplication>
#include <QUndoStack>

#include <cstdio>
#include <functional>
#include <iostream>

namespace {

[[noreturn]] void saveForever(const std::function<void(long)>& save) {
    std::cout << "ready" << std::endl;
    for (long n = 1;; ++n) {
        save(n);
        std::cout << "saved " << n << std::endl;
    }
}

core::BuiltModel modelWithParameters(const std::string& project, const std::string& params) {
    const core::Project p = core::loadProject(project);
    core::BuiltModel model = core::build(p.network, {p.simulation.dt, {}});
    core::loadParameters(model, params);
    return model;
}

void autosaveForever(const QString& directory, const std::string& project) {
    ui::GraphModel model;
    model.setProject(core::loadProject(project));
    ui::ProjectSession session(&model, directory);
    session.setAutosaveInterval(0);  // only the autosaves below
    saveForever([&](long n) {
        const core::Project& p = model.project();
        model.undoStack()->push(new ui::ChangeProjectSettingsCommand(
            &model, {"edit " + std::to_string(n), p.description, p.simulation, p.training}, "Edit"));
        session.autosaveNow();
    });
}

}  // namespace

int main(int argc, char** argv) {
    QCoreApplication app(argc, argv);
    const std::vector<std::string> args(argv + 1, argv + argc);
    try {
        if (args.size() == 4 && args[0] == "project") {
            const core::Project projects[] = {core::loadProject(args[2]), core::loadProject(args[3])};
            saveForever([&](long n) { core::saveProject(projects[n % 2], args[1]); });
        }
        if (args.size() == 5 && args[0] == "params") {
            const core::BuiltModel models[] = {modelWithParameters(args[2], args[3]),
                                               modelWithParameters(args[2], args[4])};
            saveForever([&](long n) { core::saveParameters(models[n % 2], args[1]); });
        }
        if (args.size() == 3 && args[0] == "autosave") autosaveForever(QString::fromStdString(args[1]), args[2]);
    } catch (const std::exception& e) {
        std::cerr << e.what() << "\n";
        return 1;
    }
    std::cerr << "usage: crash_child project PATH A.nlproj B.nlproj | params PATH PROJECT P1.npz P2.npz | "
                 "autosave DIR PROJECT\n";
    return 2;
}
