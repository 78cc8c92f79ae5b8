#pragma once
// The half of SimulationController that lives on its worker thread: the only
// code that touches the core::Simulator. What it records reaches the UI
// thread through a ProbeMailbox.
#include "model/network.h"
#include "sim/simulator.h"
#include "simulation/probe_series.h"
#include "simulation/simulation_controller.h"

#include <QObject>

#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

class QTimer;

namespace ui {

// Everything the UI thread has not taken yet, as one package, so that new
// models, resets and samples always reach it in the order they happened.
struct ProbeUpdate {
    std::optional<std::vector<ProbeInfo>> model;  // a new model's probes (none until built); series restart
    bool cleared = false;                         // series restart (back to t = 0) before `samples`
    std::vector<ProbeSeries> samples;             // new samples, one chunk per probe
    std::optional<double> time;                   // the simulation time reached
};

// Hands updates from the worker to the UI thread. Each post returns true when
// the UI has to be told: it took everything before, so nothing is on its way.
class ProbeMailbox {
public:
    bool postModel(std::vector<ProbeInfo> probes);
    bool postClear();
    bool postSamples(std::vector<ProbeSeries> samples, double time);
    ProbeUpdate take();

private:
    bool notify();  // with mutex_ held

    std::mutex mutex_;
    ProbeUpdate pending_;
    bool notified_ = false;
};

class SimulationWorker : public QObject {
    Q_OBJECT
public:
    explicit SimulationWorker(ProbeMailbox& mailbox);

    // Called on the worker thread only; SimulationController queues them.
    void setProject(core::Network network, double dt);
    void run();
    void pause();
    void step();
    void reset();
    void setSpeed(double realtimeFactor);  // 0 = as fast as possible
    void setNodeOverride(const std::string& nodeId, std::vector<double> value);
    void clearNodeOverride(const std::string& nodeId);

signals:
    void stateChanged(ui::SimulationController::State state);
    void failed(const QString& message);
    void updatePosted();  // the mailbox has something for the UI

private:
    using Clock = std::chrono::steady_clock;
    bool ensureBuilt();
    void applyOverride(const std::string& nodeId, const std::vector<double>& value);
    void runChunk();
    long stepsAllowed(Clock::time_point now) const;
    void scheduleChunk();
    void restartPace();
    void stopRunning();
    void sendSamples();
    void fail(const std::string& message);
    void post(bool notify);

    ProbeMailbox& mailbox_;
    std::optional<core::Network> network_;
    double dt_ = 0.001;
    std::unique_ptr<core::Simulator> simulator_;
    std::map<std::string, std::vector<double>> overrides_;
    QTimer* chunkTimer_;
    bool running_ = false;
    double speed_ = 0.0;
    // Pacing: the step and wall-clock time it counts from.
    long paceStep_ = 0;
    Clock::time_point paceStart_, lastSend_;
};

}  // namespace ui
