#include "simulation/simulation_controller.h"

#include "simulation/simulation_worker.h"

#include <algorithm>

#ifdef __linux__
#include <sys/resource.h>
#include <unistd.h>
#endif

namespace ui {

const core::Node* findNode(const core::Network& network, const std::string& id) {
    for (const core::Node& node : network.nodes)
        if (node.id == id) return &node;
    for (const core::Network& sub : network.subnetworks)
        if (const core::Node* node = findNode(sub, id)) return node;
    return nullptr;
}

namespace {

// Run on the worker thread: the UI thread (and the rest of the desktop) come
// first when the cores are busy. Threads this one starts (TBB's) inherit it.
void yieldToOtherThreads() {
#ifdef __linux__
    setpriority(PRIO_PROCESS, static_cast<id_t>(gettid()), 5);
#endif
}

}  // namespace

SimulationController::SimulationController(QObject* parent)
    : QObject(parent), mailbox_(std::make_unique<ProbeMailbox>()), worker_(new SimulationWorker(*mailbox_)) {
    thread_.setObjectName("simulation");
    worker_->moveToThread(&thread_);
    connect(&thread_, &QThread::finished, worker_, &QObject::deleteLater);
    connect(&thread_, &QThread::started, worker_, &yieldToOtherThreads);
    connect(worker_, &SimulationWorker::updatePosted, this, &SimulationController::takeUpdate);
    connect(worker_, &SimulationWorker::stateChanged, this, &SimulationController::setState);
    connect(worker_, &SimulationWorker::failed, this, &SimulationController::errorOccurred);
    thread_.start();
}

SimulationController::~SimulationController() {
    // Stops after the worker's current chunk (or build); the worker is deleted as the thread finishes.
    thread_.quit();
    thread_.wait();
}

template <class Request>
void SimulationController::queue(Request&& request) {
    QMetaObject::invokeMethod(worker_, std::forward<Request>(request), Qt::QueuedConnection);
}

void SimulationController::setProject(const core::Project& project) {
    project_ = project;
    queue([w = worker_, network = project.network, dt = project.simulation.dt]() mutable {
        w->setProject(std::move(network), dt);
    });
    emit projectChanged();
}

void SimulationController::run() {
    queue([w = worker_] { w->run(); });
}

void SimulationController::pause() {
    queue([w = worker_] { w->pause(); });
}

void SimulationController::step() {
    queue([w = worker_] { w->step(); });
}

void SimulationController::reset() {
    queue([w = worker_] { w->reset(); });
}

void SimulationController::setSpeed(double realtimeFactor) {
    speed_ = realtimeFactor;
    queue([w = worker_, realtimeFactor] { w->setSpeed(realtimeFactor); });
}

void SimulationController::setNodeOverride(const QString& nodeId, std::vector<double> value) {
    const core::Node* node = findNode(project_.network, nodeId.toStdString());
    QString problem;
    if (!node)
        problem = tr("no node with this id");
    else if (node->isPassthrough())
        problem = tr("a passthrough node has no output to set");
    else if (node->sizeOut != static_cast<int>(value.size()))
        problem = tr("the value has %1 elements, the node's size_out is %2").arg(value.size()).arg(node->sizeOut);
    if (!problem.isEmpty()) {
        emit errorOccurred(tr("object '%1': %2").arg(nodeId, problem));
        return;
    }
    queue([w = worker_, id = nodeId.toStdString(), value = std::move(value)]() mutable {
        w->setNodeOverride(id, std::move(value));
    });
}

void SimulationController::clearNodeOverride(const QString& nodeId) {
    queue([w = worker_, id = nodeId.toStdString()] { w->clearNodeOverride(id); });
}

const ProbeInfo* SimulationController::probe(const QString& id) const {
    const auto it = std::find_if(probes_.begin(), probes_.end(), [&](const ProbeInfo& p) { return p.id == id; });
    return it == probes_.end() ? nullptr : &*it;
}

const ProbeSeries& SimulationController::series(const QString& probeId) const {
    static const ProbeSeries none;
    const auto it = series_.find(probeId);
    return it == series_.end() ? none : it->second;
}

void SimulationController::setLiveWindow(double seconds) {
    if (!(seconds > 0.0) || seconds == liveWindow_) return;
    liveWindow_ = seconds;
    emit liveWindowChanged(seconds);
}

void SimulationController::setHistoryLimit(std::size_t bytes) { historyLimit_ = bytes; }

void SimulationController::takeUpdate() {
    ProbeUpdate update = mailbox_->take();
    if (update.model) {
        probes_ = std::move(*update.model);
        series_.clear();
        for (const ProbeInfo& p : probes_) series_[p.id].size = p.size;
        emit probesChanged();
    }
    if (update.cleared) {
        for (auto& [id, s] : series_) s.clear();
        emit seriesReset();
    }
    if (!update.samples.empty()) appendSamples(update.samples);
    if (update.time) setTime(*update.time);
}

void SimulationController::appendSamples(std::vector<ProbeSeries>& chunks) {
    const size_t budgetPerProbe = historyLimit_ / std::max<size_t>(1, probes_.size());
    for (size_t i = 0; i < chunks.size() && i < probes_.size(); ++i) {
        ProbeSeries& s = series_[probes_[i].id];
        s.append(chunks[i]);
        const long cap = std::max<long>(1, static_cast<long>(budgetPerProbe / (sizeof(double) * (s.size + 1))));
        // Dropping a quarter at a time keeps the cost of erasing from the front low.
        if (s.samples() > cap) s.keepLast(cap - cap / 4);
    }
    emit probeDataAppended();
}

void SimulationController::setState(State state) {
    if (state == state_) return;
    state_ = state;
    emit stateChanged(state);
}

void SimulationController::setTime(double t) {
    if (t == time_) return;
    time_ = t;
    emit timeChanged(t);
}

}  // namespace ui
