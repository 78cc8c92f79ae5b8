#pragma once
// Runs a project's network live for the GUI: builds and steps a
// core::Simulator on a worker thread (the UI thread never computes) and keeps
// what the probes recorded on the UI thread for plots.
//
// Memory: every probe keeps its full history up to a shared cap
// (historyLimit(), 256 MiB by default, split evenly between probes); past
// it, a probe drops its oldest quarter. Plots show the last liveWindow()
// seconds (5 s by default).
#include "io/project.h"
#include "simulation/probe_series.h"

#include <QObject>
#include <QThread>

#include <cstddef>
#include <map>
#include <memory>
#include <vector>

namespace ui {

class ProbeMailbox;
class SimulationWorker;

// The node with this id anywhere in the network tree, or nullptr.
const core::Node* findNode(const core::Network& network, const std::string& id);

class SimulationController : public QObject {
    Q_OBJECT
public:
    enum class State { Idle, Building, Running, Paused, Error };
    Q_ENUM(State)

    explicit SimulationController(QObject* parent = nullptr);
    ~SimulationController() override;

    // Copies the network and simulation settings and discards the current
    // simulation; the next run() or step() builds the new model.
    void setProject(const core::Project& project);
    const core::Project& project() const { return project_; }

    // Requests, carried out on the worker in call order; the state follows
    // through stateChanged().
    void run();
    void pause();
    void step();   // exactly one dt, then paused
    void reset();  // back to t = 0, empty series; node overrides stay
    // Simulated seconds per wall-clock second; 0 or infinity = as fast as possible.
    void setSpeed(double realtimeFactor);
    double speed() const { return speed_; }

    // Replaces a (non-passthrough) node's output by a constant from the next
    // step on, e.g. from a slider; clearNodeOverride() restores its function.
    // Kept across reset() and across projects where the node keeps its size.
    void setNodeOverride(const QString& nodeId, std::vector<double> value);
    void clearNodeOverride(const QString& nodeId);

    State state() const { return state_; }
    double time() const { return time_; }
    double dt() const { return project_.simulation.dt; }

    // Probes of the last built model (empty before the first build).
    const std::vector<ProbeInfo>& probes() const { return probes_; }
    const ProbeInfo* probe(const QString& id) const;
    // What the probe recorded so far (an empty series for an unknown id).
    const ProbeSeries& series(const QString& probeId) const;

    void setLiveWindow(double seconds);
    double liveWindow() const { return liveWindow_; }
    void setHistoryLimit(std::size_t bytes);
    std::size_t historyLimit() const { return historyLimit_; }

signals:
    void projectChanged();
    void stateChanged(ui::SimulationController::State state);
    void timeChanged(double t);
    void errorOccurred(const QString& message);
    void probesChanged();      // probes() changed: a new project (none until built) or a new build
    void seriesReset();        // every series is empty again (reset, new project or model)
    void probeDataAppended();  // new samples in series()
    void liveWindowChanged(double seconds);

private:
    void takeUpdate();
    void appendSamples(std::vector<ProbeSeries>& chunks);
    void setState(State state);
    void setTime(double t);
    template <class Request>
    void queue(Request&& request);

    core::Project project_;
    State state_ = State::Idle;
    double time_ = 0.0;
    double speed_ = 0.0;
    double liveWindow_ = 5.0;
    std::size_t historyLimit_ = std::size_t{256} << 20;
    std::vector<ProbeInfo> probes_;
    std::map<QString, ProbeSeries> series_;  // by probe id
    std::unique_ptr<ProbeMailbox> mailbox_;
    QThread thread_;
    SimulationWorker* worker_;  // lives on thread_, deleted when it finishes
};

}  // namespace ui
