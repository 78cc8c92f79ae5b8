#include "simulation/simulation_worker.h"

#include "build/builder.h"

#include <QTimer>

#include <cmath>

namespace ui {

namespace {

using namespace std::chrono_literals;
// Longest the worker steps before it looks at its queue (pause, overrides):
// the latency of a request while running.
constexpr auto kChunk = 20ms;
// How often new samples go to the UI (plots redraw at about 30 fps).
constexpr auto kSendInterval = 30ms;
// A paced run that falls further behind than this stops trying to catch up.
constexpr double kMaxLagSeconds = 0.1;

}  // namespace

bool ProbeMailbox::notify() {
    const bool first = !notified_;
    notified_ = true;
    return first;
}

bool ProbeMailbox::postModel(std::vector<ProbeInfo> probes) {
    std::lock_guard lock(mutex_);
    pending_.model = std::move(probes);
    pending_.cleared = true;
    pending_.samples.clear();
    pending_.time = 0.0;
    return notify();
}

bool ProbeMailbox::postClear() {
    std::lock_guard lock(mutex_);
    pending_.cleared = true;
    pending_.samples.clear();
    pending_.time = 0.0;
    return notify();
}

bool ProbeMailbox::postSamples(std::vector<ProbeSeries> samples, double time) {
    std::lock_guard lock(mutex_);
    if (pending_.samples.empty())
        pending_.samples = std::move(samples);
    else
        for (size_t i = 0; i < samples.size(); ++i) pending_.samples[i].append(samples[i]);
    pending_.time = time;
    return notify();
}

ProbeUpdate ProbeMailbox::take() {
    std::lock_guard lock(mutex_);
    notified_ = false;
    return std::exchange(pending_, ProbeUpdate{});
}

SimulationWorker::SimulationWorker(ProbeMailbox& mailbox) : mailbox_(mailbox), chunkTimer_(new QTimer(this)) {
    chunkTimer_->setSingleShot(true);
    chunkTimer_->setTimerType(Qt::PreciseTimer);
    connect(chunkTimer_, &QTimer::timeout, this, &SimulationWorker::runChunk);
}

void SimulationWorker::post(bool notify) {
    if (notify) emit updatePosted();
}

void SimulationWorker::setProject(core::Network network, double dt) {
    stopRunning();
    simulator_.reset();
    network_ = std::move(network);
    dt_ = dt;
    post(mailbox_.postModel({}));
    emit stateChanged(SimulationController::State::Idle);
}

bool SimulationWorker::ensureBuilt() {
    if (simulator_) return true;
    if (!network_) {
        fail("there is no project to simulate");
        return false;
    }
    emit stateChanged(SimulationController::State::Building);
    try {
        simulator_ = std::make_unique<core::Simulator>(core::build(*network_, {dt_, {}}));
    } catch (const std::exception& e) {
        fail(e.what());
        return false;
    }
    // Overrides of nodes that went or changed size with the project lapse.
    std::erase_if(overrides_, [&](const auto& entry) {
        const int node = simulator_->model().nodeIndex(entry.first);
        return node < 0 || simulator_->model().nodes[node].passthrough() ||
               simulator_->model().nodes[node].sizeOut != static_cast<int>(entry.second.size());
    });
    for (const auto& [id, value] : overrides_) applyOverride(id, value);
    post(mailbox_.postModel(probeInfos(simulator_->model())));
    return true;
}

void SimulationWorker::run() {
    if (running_ || !ensureBuilt()) return;
    running_ = true;
    restartPace();
    lastSend_ = Clock::now();
    emit stateChanged(SimulationController::State::Running);
    scheduleChunk();
}

void SimulationWorker::pause() {
    if (!running_) return;
    stopRunning();
    sendSamples();
    emit stateChanged(SimulationController::State::Paused);
}

void SimulationWorker::step() {
    stopRunning();
    if (!ensureBuilt()) return;
    try {
        simulator_->step();
    } catch (const std::exception& e) {
        fail(e.what());
        return;
    }
    sendSamples();
    emit stateChanged(SimulationController::State::Paused);
}

void SimulationWorker::reset() {
    stopRunning();
    if (simulator_) simulator_->reset();
    post(mailbox_.postClear());
    emit stateChanged(SimulationController::State::Idle);
}

void SimulationWorker::setSpeed(double realtimeFactor) {
    speed_ = std::isfinite(realtimeFactor) && realtimeFactor > 0.0 ? realtimeFactor : 0.0;
    restartPace();
}

// The controller checked the value against the project this worker simulates.
void SimulationWorker::setNodeOverride(const std::string& nodeId, std::vector<double> value) {
    if (simulator_) applyOverride(nodeId, value);
    overrides_[nodeId] = std::move(value);
}

void SimulationWorker::clearNodeOverride(const std::string& nodeId) {
    overrides_.erase(nodeId);
    if (!simulator_) return;
    if (const int node = simulator_->model().nodeIndex(nodeId); node >= 0) simulator_->clearNodeData(node);
}

// A one-row data matrix: the simulator repeats it at every step.
void SimulationWorker::applyOverride(const std::string& nodeId, const std::vector<double>& value) {
    core::Matrix row(1, static_cast<Eigen::Index>(value.size()));
    for (size_t i = 0; i < value.size(); ++i) row(0, static_cast<Eigen::Index>(i)) = value[i];
    simulator_->setNodeData(simulator_->model().nodeIndex(nodeId), {row});
}

void SimulationWorker::runChunk() {
    const Clock::time_point start = Clock::now();
    try {
        for (Clock::time_point now = start; now - start < kChunk; now = Clock::now()) {
            if (speed_ > 0.0 && simulator_->stepCount() >= stepsAllowed(now)) break;
            simulator_->step();
        }
    } catch (const std::exception& e) {
        fail(e.what());
        return;
    }
    if (Clock::now() - lastSend_ >= kSendInterval) sendSamples();
    scheduleChunk();
}

// The step count the run may reach by `now` at the set speed.
long SimulationWorker::stepsAllowed(Clock::time_point now) const {
    const double wall = std::chrono::duration<double>(now - paceStart_).count();
    return paceStep_ + static_cast<long>(std::floor(wall * speed_ / dt_));
}

// The next chunk: at once, or when the next step is due at the set speed.
void SimulationWorker::scheduleChunk() {
    const Clock::time_point now = Clock::now();
    if (speed_ > 0.0) {
        const long behind = stepsAllowed(now) - simulator_->stepCount();
        if (static_cast<double>(behind) * dt_ / speed_ > kMaxLagSeconds) restartPace();
        if (behind <= 0) {
            const double due = static_cast<double>(simulator_->stepCount() + 1 - paceStep_) * dt_ / speed_;
            const double wait = due - std::chrono::duration<double>(now - paceStart_).count();
            chunkTimer_->start(std::max(1, static_cast<int>(std::ceil(wait * 1000.0))));
            return;
        }
    }
    chunkTimer_->start(0);  // after the requests queued meanwhile (pause, overrides)
}

void SimulationWorker::restartPace() {
    paceStart_ = Clock::now();
    paceStep_ = simulator_ ? simulator_->stepCount() : 0;
}

void SimulationWorker::stopRunning() {
    running_ = false;
    chunkTimer_->stop();
}

// Moves what the probes recorded since the last send to the mailbox.
void SimulationWorker::sendSamples() {
    lastSend_ = Clock::now();
    std::vector<ProbeSeries> samples;
    samples.reserve(simulator_->probes().size());
    for (const core::ProbeRecord& record : simulator_->probes()) samples.push_back(ProbeSeries::fromRecord(record, dt_));
    simulator_->clearProbeData();
    post(mailbox_.postSamples(std::move(samples), simulator_->time()));
}

void SimulationWorker::fail(const std::string& message) {
    stopRunning();
    emit failed(QString::fromStdString(message));
    emit stateChanged(SimulationController::State::Error);
}

}  // namespace ui
