#include "training/training_controller.h"

#include "training/background_job.h"

#include "build/builder.h"
#include "common/error.h"
#include "io/params_file.h"
#include "io/training_data_file.h"

#include <QMetaObject>

#include <chrono>
#include <mutex>

namespace ui {

// What the UI thread may do to a run whose trainer the worker owns. The
// trainer resets its cancel flag when train() starts, so a request that came
// earlier is passed on again from the worker's callbacks.
class RunControl {
public:
    void attach(core::BpttTrainer* trainer) {
        std::lock_guard lock(mutex_);
        trainer_ = trainer;
        if (!trainer_) return;
        trainer_->setPaused(paused_);
        if (cancel_) trainer_->requestCancel();
    }
    void requestCancel() {
        std::lock_guard lock(mutex_);
        cancel_ = true;
        if (trainer_) trainer_->requestCancel();
    }
    void setPaused(bool paused) {
        std::lock_guard lock(mutex_);
        paused_ = paused;
        if (trainer_) trainer_->setPaused(paused);
    }
    bool cancelRequested() {
        std::lock_guard lock(mutex_);
        return cancel_;
    }

private:
    std::mutex mutex_;
    core::BpttTrainer* trainer_ = nullptr;
    bool cancel_ = false, paused_ = false;
};

namespace {

using Clock = std::chrono::steady_clock;
// At most ~30 batches a second reach the UI thread, whatever the step rate.
constexpr auto batchInterval = std::chrono::milliseconds(33);

// Lives on the worker: turns the trainer's per-step callbacks into batches.
class UpdateBatcher {
public:
    explicit UpdateBatcher(std::function<void(TrainingUpdate)> post) : post_(std::move(post)) {}

    void progress(const core::TrainProgress& p) {
        pending_.progress = p;
        pending_.stepLoss.push_back(p.loss);
        // The live epoch value; the trainer's own (the same mean) replaces it when the run ends.
        epochTotal_ += p.loss;
        if (p.step == p.stepsPerEpoch) {
            pending_.epochLoss.push_back(epochTotal_ / static_cast<double>(p.stepsPerEpoch));
            epochTotal_ = 0.0;
        }
        hasNews_ = true;
        if (Clock::now() - lastPost_ >= batchInterval) flush();
    }

    void summary(const core::TrainingSummary& s) {
        for (const auto& [key, samples] : s.distributions) {
            size_t& sent = sent_[key];
            auto& out = pending_.distributions[key];
            out.insert(out.end(), samples.begin() + static_cast<long>(sent), samples.end());
            sent = samples.size();
        }
        hasNews_ = true;
    }

    void flush() {
        if (!hasNews_) return;
        post_(std::move(pending_));
        pending_ = TrainingUpdate{};
        hasNews_ = false;
        lastPost_ = Clock::now();
    }

private:
    std::function<void(TrainingUpdate)> post_;
    TrainingUpdate pending_;
    std::map<std::string, size_t> sent_;
    double epochTotal_ = 0.0;
    bool hasNews_ = false;
    Clock::time_point lastPost_{};
};

QString errorText(const std::exception& e) { return QString::fromStdString(e.what()); }

}  // namespace

std::string uniqueRunLabel(const std::string& label, const std::vector<TrainingRun>& runs) {
    auto taken = [&](const std::string& name) {
        return std::any_of(runs.begin(), runs.end(), [&](const TrainingRun& r) { return r.summary.label == name; });
    };
    if (!taken(label)) return label;
    for (int k = 1;; ++k)
        if (const std::string name = label + "_" + std::to_string(k); !taken(name)) return name;
}

struct TrainingController::Result {
    std::shared_ptr<core::BpttTrainer> trainer;
    std::optional<std::vector<core::ParameterArray>> initialParameters;  // when built afresh
    std::optional<core::TrainingSummary> summary;  // absent when the run failed
    QString error;
};

TrainingController::TrainingController(QObject* parent) : QObject(parent) {}

TrainingController::~TrainingController() {
    if (worker_) {
        control_->requestCancel();
        worker_->wait();
        delete worker_.data();
    }
}

bool TrainingController::modelMatches(const core::Network& network, double dt) const {
    return hasModel() && network_ == network && dt_ == dt;
}

bool TrainingController::train(const core::Project& project, const QString& projectDirectory) {
    if (isRunning() || !project.training) return false;
    const core::TrainingSetup setup = *project.training;
    std::shared_ptr<core::BpttTrainer> previous;
    if (modelMatches(project.network, project.simulation.dt)) previous = std::move(trainer_);
    trainer_.reset();
    network_ = project.network;
    dt_ = project.simulation.dt;

    const int run = static_cast<int>(runs_.size());
    TrainingRun record;
    record.summary.label = uniqueRunLabel(setup.options.label, runs_);
    record.plannedEpochs = setup.options.epochs;
    runs_.push_back(record);
    control_ = std::make_shared<RunControl>();
    control_->setPaused(paused_);

    core::TrainOptions options = setup.options;
    options.label = record.summary.label;  // a fresh trainer per run labels it exactly so
    auto control = control_;
    auto post = [this, run](TrainingUpdate update) {
        QMetaObject::invokeMethod(this, [this, run, update = std::move(update)] { apply(run, update); }, Qt::QueuedConnection);
    };
    std::function<Result()> work = [=, network = project.network, dt = project.simulation.dt,
                                    directory = projectDirectory.toStdString()] {
        Result result;
        result.trainer = previous;
        UpdateBatcher batcher(post);
        try {
            if (!previous) {
                result.trainer = std::make_shared<core::BpttTrainer>(core::build(network, {dt, {}}), setup.minibatchSize);
                result.initialParameters = result.trainer->parameters();
            } else {
                result.trainer = std::make_shared<core::BpttTrainer>(previous->model(), setup.minibatchSize);
                result.trainer->continueOptimizerOf(*previous);
            }
            const core::TrainingData data = core::loadTrainingData(setup, directory);
            const auto objectives = core::objectiveTerms(setup, data);
            core::TrainCallbacks callbacks;
            callbacks.progress = [&](const core::TrainProgress& p) {
                if (control->cancelRequested()) result.trainer->requestCancel();
                batcher.progress(p);
            };
            callbacks.summary = [&](const core::TrainingSummary& s) {
                if (control->cancelRequested()) result.trainer->requestCancel();
                batcher.summary(s);
            };
            control->attach(result.trainer.get());
            result.summary = result.trainer->train(data, setup.optimizer, objectives, options, callbacks);
        } catch (const std::exception& e) {
            result.error = errorText(e);
        }
        control->attach(nullptr);
        batcher.flush();
        return result;
    };
    worker_ = startBackgroundJob<Result>(this, std::move(work), [this, run](Result r) { finish(run, std::move(r)); });
    emit runStarted(run);
    return true;
}

void TrainingController::setPaused(bool paused) {
    if (paused == paused_) return;
    paused_ = paused;
    if (control_) control_->setPaused(paused);
    emit pausedChanged(paused);
}

void TrainingController::stop() {
    if (control_) control_->requestCancel();
}

void TrainingController::apply(int run, const TrainingUpdate& update) {
    core::TrainingSummary& s = runs_[run].summary;
    s.stepLoss.insert(s.stepLoss.end(), update.stepLoss.begin(), update.stepLoss.end());
    s.epochLoss.insert(s.epochLoss.end(), update.epochLoss.begin(), update.epochLoss.end());
    for (const auto& [key, samples] : update.distributions) {
        auto& into = s.distributions[key];
        into.insert(into.end(), samples.begin(), samples.end());
    }
    if (update.progress.epochs > 0) runs_[run].progress = update.progress;
    emit runUpdated(run, update);
}

void TrainingController::finish(int run, Result result) {
    worker_.clear();
    const bool stopRequested = control_->cancelRequested();
    control_.reset();
    trainer_ = std::move(result.trainer);
    if (result.initialParameters) initialParameters_ = std::move(*result.initialParameters);
    TrainingRun& r = runs_[run];
    if (result.summary) {
        r.summary = std::move(*result.summary);
        const bool complete = static_cast<int>(r.summary.epochLoss.size()) == r.plannedEpochs;
        r.outcome = stopRequested && !complete ? RunOutcome::Stopped : RunOutcome::Finished;
    } else {
        r.outcome = RunOutcome::Failed;
        r.message = result.error;
    }
    if (paused_) setPaused(false);
    emit runEnded(run);
    if (trainer_) emit modelChanged();
}

struct TrainingController::Loaded {
    std::shared_ptr<core::BpttTrainer> trainer;
    std::vector<core::ParameterArray> initialParameters;
    QString error;
};

bool TrainingController::loadParameters(const core::Project& project, const std::string& path) {
    if (isRunning()) return false;
    const int minibatch = project.training ? project.training->minibatchSize : 1;
    std::shared_ptr<const core::BpttTrainer> current;
    if (modelMatches(project.network, project.simulation.dt)) current = trainer_;
    std::function<Loaded()> work = [=, network = project.network, dt = project.simulation.dt, initial = initialParameters_] {
        Loaded loaded;
        try {
            core::BuiltModel model = current ? current->model() : core::build(network, {dt, {}});
            loaded.initialParameters = current ? initial : core::BpttTrainer(model, minibatch).parameters();
            core::loadParameters(model, path);
            loaded.trainer = std::make_shared<core::BpttTrainer>(std::move(model), minibatch);
        } catch (const std::exception& e) {
            loaded.error = errorText(e);
        }
        return loaded;
    };
    worker_ = startBackgroundJob<Loaded>(this, std::move(work),
                                         [this, network = project.network, dt = project.simulation.dt](Loaded loaded) {
                                             worker_.clear();
                                             if (loaded.error.isEmpty()) {
                                                 trainer_ = std::move(loaded.trainer);
                                                 initialParameters_ = std::move(loaded.initialParameters);
                                                 network_ = network;
                                                 dt_ = dt;
                                                 emit modelChanged();
                                             }
                                             emit parametersLoaded(loaded.error);
                                         });
    return true;
}

void TrainingController::resetModel() {
    if (isRunning()) return;
    trainer_.reset();
    initialParameters_.clear();
    emit modelChanged();
}

}  // namespace ui
