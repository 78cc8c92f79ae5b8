#pragma once
// Runs a project's training set-up with core::BpttTrainer on a worker thread
// and hands what it records to the UI thread in small batches: the worker
// aggregates per step and posts at most ~30 batches a second, so the UI thread
// only appends. Each train call is a run of its own ("label", "label_1", ...);
// training continues from the trained parameters while the network stays the
// same, and starts from a fresh build when it changes.
#include "io/project.h"
#include "train/bptt_trainer.h"

#include <QObject>
#include <QPointer>
#include <QString>

#include <memory>
#include <optional>
#include <vector>

class QThread;

namespace ui {

class RunControl;

// What the worker recorded since the previous batch.
struct TrainingUpdate {
    core::TrainProgress progress;  // the latest step's
    std::vector<double> stepLoss;  // new optimisation steps, in order
    std::vector<double> epochLoss;  // epochs completed since
    std::map<std::string, std::vector<core::DistributionSample>> distributions;  // new samples per key
};

enum class RunOutcome { Running, Finished, Stopped, Failed };

struct TrainingRun {
    core::TrainingSummary summary;  // grows while the run goes; the trainer's own once it ends
    RunOutcome outcome = RunOutcome::Running;
    QString message;  // why it failed
    core::TrainProgress progress;  // the latest
    int plannedEpochs = 0;
};

// "label" when free, else "label_k" with the smallest free k >= 1 (NengoDL's naming of repeated train calls).
std::string uniqueRunLabel(const std::string& label, const std::vector<TrainingRun>& runs);

class TrainingController : public QObject {
    Q_OBJECT
public:
    explicit TrainingController(QObject* parent = nullptr);
    ~TrainingController() override;  // stops a run and waits for its worker

    // Starts a run of project.training (data paths relative to projectDirectory).
    // Returns false when a run is already going or the project has no set-up.
    bool train(const core::Project& project, const QString& projectDirectory);
    void setPaused(bool paused);
    // Stops at the next step boundary; the model keeps the last completed step's parameters.
    void stop();

    bool isRunning() const { return !worker_.isNull(); }  // a run or a parameter load
    bool isLoading() const { return isRunning() && !control_; }
    bool isPaused() const { return paused_; }
    const std::vector<TrainingRun>& runs() const { return runs_; }

    // The trained model (valid when hasModel() and no run is going), the
    // network it was built from, and its parameters now and as first built.
    bool hasModel() const { return trainer_ != nullptr; }
    const core::BuiltModel& model() const { return trainer_->model(); }
    const core::Network& modelNetwork() const { return network_; }
    std::vector<core::ParameterArray> parameters() const { return trainer_->parameters(); }
    const std::vector<core::ParameterArray>& initialParameters() const { return initialParameters_; }
    // Whether the model was built from this network at this dt (so training would continue).
    bool modelMatches(const core::Network& network, double dt) const;

    // Replaces the parameters with a file's (core::loadParameters) on a
    // worker thread, building the project's network first when the model does
    // not match it (solving decoders can take seconds). parametersLoaded
    // reports the outcome; a failure changes nothing. Returns false, doing
    // nothing, while a run or another load is going (isRunning()).
    bool loadParameters(const core::Project& project, const std::string& path);
    // The network now describes the model (after freezing its parameters into it).
    void adoptNetwork(const core::Network& network) { network_ = network; }
    // Forgets the trained model: the next run starts from a fresh build.
    void resetModel();

signals:
    void runStarted(int run);
    void runUpdated(int run, const ui::TrainingUpdate& update);  // already appended to runs()[run]
    void runEnded(int run);
    void pausedChanged(bool paused);
    void modelChanged();
    void parametersLoaded(const QString& error);  // empty: loaded

private:
    struct Result;
    struct Loaded;
    void apply(int run, const TrainingUpdate& update);
    void finish(int run, Result result);

    std::vector<TrainingRun> runs_;
    std::shared_ptr<core::BpttTrainer> trainer_;  // handed to the worker while a run goes
    core::Network network_;
    double dt_ = 0.0;
    std::vector<core::ParameterArray> initialParameters_;
    std::shared_ptr<RunControl> control_;
    QPointer<QThread> worker_;
    bool paused_ = false;
};

}  // namespace ui
