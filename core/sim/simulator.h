#pragma once
// Steps a BuiltModel with Nengo's timestep order (reference README section 4)
// for `minibatch` independent input streams side by side. Every signal is a
// (size x minibatch) column-major matrix, one column per stream; a stream's
// values never depend on the others (or on the threads). No allocation per step.
// Within a step, objects that do not depend on each other (README 4.1 step 3)
// run in parallel on TBB's threads when there is enough work to pay for it.
//
// T is the precision of every signal and state: double reproduces Nengo;
// float (FloatSimulator) runs the same kernels in float32, as NengoDL does by
// default, with the parameters rounded to float once. Probe records, node
// data and parameter arrays stay double at the interface.
#include "build/built_model.h"
#include "sim/operator_times.h"
#include "sim/probe_record.h"

#include <memory>
#include <vector>

namespace core {

class SpinTeam;

// A copy of everything a simulator changes while it runs (not its probe
// records), to return to later: checkpoints for training.
template <class T>
struct SimulatorStateOf {
    long step = 0;
    std::vector<MatrixOf<T>> values;
};
using SimulatorState = SimulatorStateOf<double>;

template <class T>
class BasicSimulator {
public:
    using Signal = MatrixOf<T>;

    // Pool: a step shares its waves with TBB's threads where they pay.
    // CallingThread: every step runs on the thread that calls it, for callers
    // that already keep the threads busy with a simulator each.
    enum class Threading { Pool, CallingThread };

    explicit BasicSimulator(BuiltModel model, int minibatch = 1, Threading threading = Threading::Pool);
    ~BasicSimulator();
    BasicSimulator(const BasicSimulator&) = delete;
    BasicSimulator& operator=(const BasicSimulator&) = delete;

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
    const Signal& nodeOutput(int node) const;
    const Signal& neuronOutput(int ensemble) const;
    const Signal& weights(int connection, int stream = 0) const;
    const Signal& ensembleInput(int ensemble) const;  // decoded input x of this step
    const Signal& neuronInput(int ensemble) const;    // input current J of this step
    // For recorders (the trainer's tape): swaps this step's decoded input,
    // input current and output of an ensemble with same-shaped buffers. The
    // simulator rewrites all three in its next step, so nothing is lost.
    void exchangeEnsembleSignals(int ensemble, Signal& x, Signal& j, Signal& a);
    // The same for recorders that recompute J from x: the current stays.
    void exchangeEnsembleSignals(int ensemble, Signal& x, Signal& a);

    // Parameter changes from training; they apply from the next step on.
    void setEnsembleParameters(int ensemble, const Matrix& scaledEncoders, const Vector& bias);
    void setConnectionWeights(int connection, const Matrix& weights);

    // Profiling: from now on each step adds its seconds per operator kind to
    // *times (kernels run on several threads get their share of the wall
    // clock). Null, the default, times nothing.
    void setOperatorTimes(OperatorTimes* times) { times_ = times; }

    SimulatorStateOf<T> saveState() const;
    void restoreState(const SimulatorStateOf<T>& state);

    // The parameters the kernels read, in T: the model's own arrays when T is
    // double, copies rounded once (and on every change) when it is float.
    // (Connection weights: weights() above.) The trainer's backward pass
    // differentiates with these, the forward pass's own numbers.
    const Signal& scaledEncoders(int ensemble) const;
    const VectorOf<T>& bias(int ensemble) const;
    const Signal& probeDecoders(int probe) const;

private:
    struct State;
    template <class Visit>
    void forEachStateMatrix(Visit&& visit) const;
    // A range of minibatch columns: the unit of work a thread takes.
    struct Columns {
        Eigen::Index first = 0, count = 0;
    };
    std::vector<std::vector<int>> groupTasks();
    double taskCost(int task) const;
    void planWaves();
    bool hasParallelWave() const;
    void runWave(size_t wave);
    void addWaveTimes(size_t wave, double wallSeconds);
    void runStreamByStream(long steps);
    Eigen::Index streamGroups() const;
    Eigen::Index threads() const;
    void beginBlock(long first, long count);
    void advance(long step, Columns columns, bool planned);
    void applyLearnedChanges(Columns columns);
    void evaluateInputNodes(long step, Columns columns);
    void evaluate(const EvaluationItem& item, Columns columns, OperatorTimes* times);
    void evaluatePassthrough(int node, Columns columns);
    void evaluateEnsemble(int ensemble, Columns columns, OperatorTimes* times);
    void encodeEnsemble(int ensemble, Columns columns, OperatorTimes* times);
    void evaluateConnection(int connection, Columns columns);
    void learn(Columns columns);
    void updateSynapses(Columns columns);
    void recordProbes(long step, Columns columns);
    void reserveProbeRecords(long steps);
    const Signal& delivered(int connection) const;
    const T* connectionInput(int connection, Columns columns);
    void roundParameters();
    void roundEnsemble(int ensemble);
    void roundConnection(int connection);
    const Signal& fixedWeights(int connection) const;
    const Signal& errorEncoders(int connection) const;

    BuiltModel model_;
    int minibatch_;
    Threading threading_;
    long step_ = 0;
    std::unique_ptr<State> s_;
    std::vector<ProbeRecord> records_;
    OperatorTimes* times_ = nullptr;
    SpinTeam* team_ = nullptr;  // set while run() shares its parallel waves with a spinning helper
};

using Simulator = BasicSimulator<double>;
using FloatSimulator = BasicSimulator<float>;
extern template class BasicSimulator<double>;
extern template class BasicSimulator<float>;

}  // namespace core
