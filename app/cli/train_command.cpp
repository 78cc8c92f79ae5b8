#include "arguments.h"
#include "commands.h"
#include "progress.h"

#include "build/builder.h"
#include "io/params_file.h"
#include "io/tensorboard_log.h"
#include "io/project.h"
#include "io/training_data_file.h"
#include "train/bptt_trainer.h"
#include "train/freeze.h"

#include <cstdio>
#include <filesystem>
#include <iostream>
#include <string>

namespace {

// Seconds per phase, then per operator kind in the forward and backward phases.
void printProfile(const core::TrainingSummary& summary) {
    std::printf("%-18s %10s\n", "phase", "seconds");
    for (const auto& [phase, seconds] : summary.profile) std::printf("%-18s %10.3f\n", phase.c_str(), seconds);
    const auto& forward = summary.operatorProfile.at("forward");
    const auto& backward = summary.operatorProfile.at("backward");
    std::printf("\n%-18s %10s %10s\n", "operator kind", "forward", "backward");
    for (const auto& [kind, seconds] : forward) std::printf("%-18s %10.3f %10.3f\n", kind.c_str(), seconds, backward.at(kind));
}

// "12.3x lower than before" (or higher, when training made it worse).
std::string lossChange(double before, double after) {
    char text[64];
    if (!(after > 0.0) || !(before > 0.0)) {
        std::snprintf(text, sizeof text, "before: %g", before);
        return text;
    }
    const bool lower = after <= before;
    const double ratio = lower ? before / after : after / before;
    std::snprintf(text, sizeof text, ratio < 100.0 ? "%.3gx %s than before" : "%.0fx %s than before", ratio,
                  lower ? "lower" : "higher");
    return text;
}

}  // namespace

int runTrain(const std::vector<std::string>& args) {
    const Arguments a(args, {"--epochs", "--data", "--params-out", "--frozen-out", "--logdir", "--dtype"}, {"--profile"});
    if (a.positionals().size() != 1) throw core::Error("train needs exactly one PROJECT file");
    const std::string path = a.positionals()[0];
    const core::Project project = core::loadProject(path);
    if (!project.training && !a.value("--data"))
        throw core::Error("the project has no training set-up; give --data FILE.npz", path, {}, "training");
    core::TrainingSetup setup = project.training.value_or(core::TrainingSetup{});
    setup.options.epochs = static_cast<int>(a.positiveInteger("--epochs", setup.options.epochs));
    setup.options.profile = setup.options.profile || a.flag("--profile");
    if (const auto dtype = a.value("--dtype")) {
        if (*dtype != "float64" && *dtype != "float32")
            throw core::Error("--dtype must be float64 or float32, not '" + *dtype + "'", {}, {}, "--dtype");
        setup.options.precision = *dtype == "float32" ? core::Precision::Float32 : core::Precision::Float64;
    }

    core::BpttTrainer trainer(core::build(project.network, {project.simulation.dt, {}}), setup.minibatchSize);
    const std::string directory = std::filesystem::path(path).parent_path().string();
    const std::string projectDirectory = directory.empty() ? "." : directory;
    const core::TrainingData data = a.value("--data") ? core::trainingDataFromNpz(*a.value("--data"), trainer.model())
                                                      : core::loadTrainingData(setup, projectDirectory);
    const auto objectives = core::objectiveTerms(setup, data);

    std::cout << "training '" << (project.title.empty() ? path : project.title) << "': " << data.sequences()
              << " sequences of " << data.steps() << " steps, minibatch " << setup.minibatchSize << ", "
              << core::optimizerName(setup.optimizer) << ", " << setup.options.epochs << " epochs, "
              << (setup.options.precision == core::Precision::Float32 ? "float32" : "float64") << "\n";
    const double before = trainer.loss(data, objectives, setup.options)[0];
    std::cout << "loss before training: " << before << "\n";
    const long batches = data.sequences() / setup.minibatchSize;
    ProgressBar progress(static_cast<long>(setup.options.epochs) * batches);
    // (progress counts optimisation steps; with truncation an epoch has more of them)
    core::TrainCallbacks callbacks;
    callbacks.progress = [&](const core::TrainProgress& p) {
        progress.update(static_cast<long>(p.epoch - 1) * p.stepsPerEpoch + p.step);
    };
    const core::TrainingSummary summary = trainer.train(data, setup.optimizer, objectives, setup.options, callbacks);
    progress.finish();
    for (size_t e = 0; e < summary.epochLoss.size(); ++e)
        std::cout << "epoch " << e + 1 << ": mean training loss " << summary.epochLoss[e] << "\n";
    const double after = trainer.loss(data, objectives, setup.options)[0];
    std::cout << "final loss: " << after << " (" << lossChange(before, after) << ")\n";
    if (setup.options.profile) printProfile(summary);
    const std::string logdir = a.value("--logdir").value_or(core::logDirectory(setup, projectDirectory));
    if (!logdir.empty()) std::cout << "TensorBoard log written to " << core::writeTensorBoardLog(summary, logdir) << "\n";
    if (const auto out = a.value("--params-out")) {
        core::saveParameters(trainer.model(), *out);
        std::cout << "parameters written to " << *out << "\n";
    }
    if (const auto out = a.value("--frozen-out")) {
        core::Project frozen = project;
        core::freezeParameters(frozen.network, trainer.model());
        core::saveProject(frozen, *out);
        std::cout << "trained project (parameters frozen in) written to " << *out << "\n";
    }
    return 0;
}
