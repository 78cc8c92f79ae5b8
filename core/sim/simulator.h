#pragma once
// Steps a BuiltModel with Nengo's timestep order (reference README section 4)
// for `minibatch` independent input streams side by side. Every signal is a
// (size x minibatch) column-major matrix, one column per stream, so connection
// weights apply to all streams in one product. No allocation per step.
#include "build/built_model.h"
#include "sim/probe_record.h"

#include <memory>
#include <vector>

namespace core {

class Simulator {
public:
    explicit Simulator(BuiltModel model, int minibatch = 1);
    ~Simulator();
    Simulator(const Simulator&) = delete;
    Simulator& operator=(const Simulator&) = delete;

    void step();
    void run(long steps);
    // Back to time 0: initial neuron state, empty filters, initial weights, no probe data.
    void reset();

    long stepCount() const { return step_; }
    double time() const { return static_cast<double>(step_) * model_.dt; }
    int minibatch() const { return minibatch_; }
    const BuiltModel& model() const { return model_; }

    const ProbeRecord& probe(int index) const { return records_[index]; }
    const ProbeRecord& probe(const std::string& id) const;
    const std::vector<ProbeRecord>& probes() const { return records_; }
    void clearProbeData();

    // Replaces an input node's function by data: one (steps x size_out) matrix
    // per minibatch row; step k uses row (k-1) modulo the row count.
    void setNodeData(int node, std::vector<Matrix> perStream);
    void clearNodeData(int node);

    // Live state, for plots and tests.
    const Matrix& nodeOutput(int node) const;
    const Matrix& neuronOutput(int ensemble) const;
    const Matrix& weights(int connection, int stream = 0) const;

private:
    struct State;
    void applyLearnedChanges();
    void evaluateInputNodes(double t);
    void evaluatePassthrough(int node);
    void evaluateEnsemble(int ensemble);
    void evaluateConnection(int connection);
    void learn();
    void updateSynapses();
    void recordProbes();
    const Matrix& delivered(int connection) const;
    const Matrix& connectionInput(int connection);

    BuiltModel model_;
    int minibatch_;
    long step_ = 0;
    std::unique_ptr<State> s_;
    std::vector<ProbeRecord> records_;
};

}  // namespace core
