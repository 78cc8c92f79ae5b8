#include "sim/simulator.h"

#include "build/evaluation_order.h"
#include "common/error.h"
#include "common/rows.h"
#include "sim/node_function.h"
#include "sim/spin_team.h"
#include "sim/weight_product.h"

#include <tbb/global_control.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <cmath>

namespace core {

Matrix ProbeRecord::series(int batch) const {
    Matrix m(samples(), size);
    for (long s = 0; s < samples(); ++s)
        for (int i = 0; i < size; ++i) m(s, i) = at(batch, s, i);
    return m;
}

namespace {

template <class T>
MatrixOf<T> filterState(const std::optional<SynapseFilter>& f, Eigen::Index count) {
    return f ? MatrixOf<T>::Zero(f->order(), count) : MatrixOf<T>();
}

// Whether a connection or probe reading this source sees spikes (mostly zeros).
bool carriesSpikes(const BuiltModel& model, Source source, int pre) {
    return source == Source::NeuronOutput && isSpiking(model.ensembles[pre].neuronType);
}

// The filter state of a signal's columns from `first` on, for a signal of
// `rows` rows per column: the state's own columns are one per element.
template <class T>
T* stateOfColumns(MatrixOf<T>& state, Eigen::Index rows, Eigen::Index first) {
    return state.data() + state.rows() * rows * first;
}

// Rough nanoseconds per minibatch column, measured on the LIF chain: enough
// to decide whether a wave is worth splitting between threads and how finely.
constexpr double kNeuronCost = 4.0;
constexpr double kWeightCost = 0.25;
// Below this much work a wave runs on the calling thread: handing it to TBB
// costs a microsecond or two (measured: it pays from three ensembles of 1000
// LIF neurons on).
constexpr double kParallelMinCost = 10000.0;
// Parallel waves are cut into units of at most this cost, minibatch columns
// permitting: about one column of a 1000-neuron LIF ensemble, whose arrays
// then stay in the first-level cache (measured fastest at minibatch 32).
constexpr double kMaxUnitCost = 4000.0;

}  // namespace

template <class T>
struct BasicSimulator<T>::State {
    struct Node {
        std::unique_ptr<NodeFunction> function;
        std::vector<Matrix> data;  // per stream, when driven by data (double, as given)
        Signal output;             // size_out x mb
        Matrix block;              // the function's values for the block's steps, one column each
        std::vector<int> incoming;  // passthrough: connections delivering here
    };
    struct Ensemble {
        Signal x, j, a, voltage, refractoryTime;
        Signal encoders;     // float: the rounded parameters
        VectorOf<T> bias;
        std::vector<int> decodedInputs, gainedInputs, neuronInputs;
    };
    struct Connection {
        Signal input;  // gathered input when the connection picks elements
        Signal u;      // weighted value of this step
        Signal filter, y, yPrevious;
        std::vector<Signal> weights;  // learned connections: one matrix per stream
        Signal fixedWeights;          // float: the rounded weights
        Signal transposedWeights;     // transposedForProduct of fixed weights
        bool spikingInput = false;
    };
    struct Learning {
        Signal preFilter, activities, error, projected;  // per stream columns
        std::vector<Signal> delta, previousDelta;        // per stream
        Signal errorEncoders;                            // float: rounded
        std::vector<int> errorConnections;
    };
    struct Probe {
        Signal signal, filter, y;
        std::vector<long> slots;  // per step of the block: the sample it records, or -1
        Signal decoders;            // float: rounded
        Signal transposedDecoders;  // decoded output probes
        bool spikingInput = false;
    };
    // A piece of a wave: one task over some of the minibatch columns.
    struct Unit {
        int task;
        Columns columns;
    };
    struct Wave {
        std::vector<Unit> units;
        bool parallel = false;
        std::vector<OperatorTimes> unitTimes;  // when profiling: per unit, added up after the wave
    };
    std::vector<Node> nodes;
    std::vector<Ensemble> ensembles;
    std::vector<Connection> connections;
    std::vector<Learning> learning;  // indexed like connections; used where pes is set
    std::vector<Probe> probes;
    // An ensemble or passthrough node followed by the connections leaving it,
    // or a lone connection from an input node.
    std::vector<std::vector<EvaluationItem>> tasks;
    std::vector<Wave> waves;
    std::vector<std::vector<int>> waveTasks;  // each wave's tasks, for runs column by column
    long blockFirst = 1;                      // the first step of the block being run
};

template <class T>
BasicSimulator<T>::BasicSimulator(BuiltModel model, int minibatch, Threading threading)
    : model_(std::move(model)), minibatch_(minibatch), threading_(threading) {
    if (minibatch < 1) throw Error("minibatch size must be at least 1", {}, {}, "minibatch");
    s_ = std::make_unique<State>();
    s_->nodes.resize(model_.nodes.size());
    for (size_t i = 0; i < model_.nodes.size(); ++i) {
        const BuiltNode& n = model_.nodes[i];
        s_->nodes[i].function = makeNodeFunction(n.output, n.sizeOut, model_.dt);
    }
    s_->ensembles.resize(model_.ensembles.size());
    s_->connections.resize(model_.connections.size());
    s_->learning.resize(model_.connections.size());
    for (size_t i = 0; i < model_.connections.size(); ++i) {
        const BuiltConnection& c = model_.connections[i];
        switch (c.apply) {
            case Apply::EnsembleInput: s_->ensembles[c.postIndex].decodedInputs.push_back(static_cast<int>(i)); break;
            case Apply::NeuronInputTimesGain: s_->ensembles[c.postIndex].gainedInputs.push_back(static_cast<int>(i)); break;
            case Apply::NeuronInput: s_->ensembles[c.postIndex].neuronInputs.push_back(static_cast<int>(i)); break;
            case Apply::NodeInput: s_->nodes[c.postIndex].incoming.push_back(static_cast<int>(i)); break;
            case Apply::LearningRuleError: s_->learning[c.postIndex].errorConnections.push_back(static_cast<int>(i)); break;
        }
        s_->connections[i].spikingInput = carriesSpikes(model_, c.source, c.preIndex);
    }
    s_->probes.resize(model_.probes.size());
    for (size_t i = 0; i < model_.probes.size(); ++i) {
        const BuiltProbe& p = model_.probes[i];
        if (p.signal == ProbedSignal::DecodedOutput)
            s_->probes[i].spikingInput = carriesSpikes(model_, Source::NeuronOutput, p.targetIndex);
    }
    roundParameters();
    planWaves();
    reset();
}

template <class T>
void BasicSimulator<T>::roundParameters() {
    for (size_t i = 0; i < model_.ensembles.size(); ++i) roundEnsemble(static_cast<int>(i));
    for (size_t i = 0; i < model_.connections.size(); ++i) roundConnection(static_cast<int>(i));
    for (size_t i = 0; i < model_.probes.size(); ++i) {
        if (model_.probes[i].signal != ProbedSignal::DecodedOutput) continue;
        if constexpr (!std::is_same_v<T, double>) s_->probes[i].decoders = model_.probes[i].decoders.template cast<T>();
        s_->probes[i].transposedDecoders = transposedForProduct(probeDecoders(static_cast<int>(i)));
    }
}

template <class T>
void BasicSimulator<T>::roundEnsemble(int e) {
    if constexpr (!std::is_same_v<T, double>) {
        s_->ensembles[e].encoders = model_.ensembles[e].scaledEncoders.template cast<T>();
        s_->ensembles[e].bias = model_.ensembles[e].bias.template cast<T>();
    }
}

template <class T>
void BasicSimulator<T>::roundConnection(int c) {
    const BuiltConnection& conn = model_.connections[c];
    if constexpr (!std::is_same_v<T, double>) {
        s_->connections[c].fixedWeights = conn.weights.template cast<T>();
        if (conn.pes) s_->learning[c].errorEncoders = conn.pes->errorEncoders.template cast<T>();
    }
    if (!conn.pes) s_->connections[c].transposedWeights = transposedForProduct(fixedWeights(c));
}

namespace {

// The array the kernels read: the model's own in double, its rounded copy otherwise.
template <class T, class Exact>
const auto& inPrecision(const Exact& exact, const Eigen::Matrix<T, Exact::RowsAtCompileTime, Exact::ColsAtCompileTime>& rounded) {
    if constexpr (std::is_same_v<T, double>)
        return exact;
    else
        return rounded;
}

}  // namespace

template <class T>
const MatrixOf<T>& BasicSimulator<T>::scaledEncoders(int e) const {
    return inPrecision<T>(model_.ensembles[e].scaledEncoders, s_->ensembles[e].encoders);
}

template <class T>
const VectorOf<T>& BasicSimulator<T>::bias(int e) const {
    return inPrecision<T>(model_.ensembles[e].bias, s_->ensembles[e].bias);
}

template <class T>
const MatrixOf<T>& BasicSimulator<T>::fixedWeights(int c) const {
    return inPrecision<T>(model_.connections[c].weights, s_->connections[c].fixedWeights);
}

template <class T>
const MatrixOf<T>& BasicSimulator<T>::probeDecoders(int p) const {
    return inPrecision<T>(model_.probes[p].decoders, s_->probes[p].decoders);
}

template <class T>
const MatrixOf<T>& BasicSimulator<T>::errorEncoders(int c) const {
    return inPrecision<T>(model_.connections[c].pes->errorEncoders, s_->learning[c].errorEncoders);
}

// Each ensemble or passthrough node becomes a task together with the
// connections leaving it (they wait for nothing else), so one thread runs an
// ensemble's neurons and its outgoing products back to back. Returns the
// tasks of each wave.
template <class T>
std::vector<std::vector<int>> BasicSimulator<T>::groupTasks() {
    const auto waves = evaluationWaves(model_);
    std::vector<int> ensembleTask(model_.ensembles.size(), -1), nodeTask(model_.nodes.size(), -1);
    std::vector<std::vector<int>> tasksOfWave(waves.size());
    auto newTask = [&](size_t wave, const EvaluationItem& item) {
        tasksOfWave[wave].push_back(static_cast<int>(s_->tasks.size()));
        s_->tasks.push_back({item});
        return tasksOfWave[wave].back();
    };
    for (size_t w = 0; w < waves.size(); ++w)
        for (const EvaluationItem& item : waves[w]) {
            if (item.kind == EvaluationItem::Kind::Ensemble) ensembleTask[item.index] = newTask(w, item);
            if (item.kind == EvaluationItem::Kind::PassthroughNode) nodeTask[item.index] = newTask(w, item);
        }
    for (size_t w = 0; w < waves.size(); ++w)
        for (const EvaluationItem& item : waves[w]) {
            if (item.kind != EvaluationItem::Kind::Connection) continue;
            const BuiltConnection& c = model_.connections[item.index];
            const int owner = c.source == Source::NeuronOutput ? ensembleTask[c.preIndex] : nodeTask[c.preIndex];
            if (owner >= 0)
                s_->tasks[owner].push_back(item);
            else
                newTask(w, item);
        }
    return tasksOfWave;
}

template <class T>
double BasicSimulator<T>::taskCost(int task) const {
    double cost = 0.0;
    for (const EvaluationItem& item : s_->tasks[task]) {
        if (item.kind == EvaluationItem::Kind::Ensemble) cost += kNeuronCost * model_.ensembles[item.index].nNeurons;
        if (item.kind == EvaluationItem::Kind::Connection)
            cost += kWeightCost * static_cast<double>(model_.connections[item.index].weights.size());
    }
    return cost * minibatch_;
}

// A wave with enough work runs in parallel, its tasks cut into units of
// minibatch columns.
template <class T>
void BasicSimulator<T>::planWaves() {
    for (const auto& taskIds : groupTasks()) {
        if (taskIds.empty()) continue;
        double total = 0.0;
        for (int t : taskIds) total += taskCost(t);
        typename State::Wave wave;
        wave.parallel = threads() > 1 && total >= kParallelMinCost;
        for (int t : taskIds) {
            const long pieces = wave.parallel ? std::clamp(std::lround(std::ceil(taskCost(t) / kMaxUnitCost)), 1L,
                                                           static_cast<long>(minibatch_))
                                              : 1;
            for (long p = 0; p < pieces; ++p) {
                const Eigen::Index first = minibatch_ * p / pieces, last = minibatch_ * (p + 1) / pieces;
                wave.units.push_back({t, {first, last - first}});
            }
        }
        wave.unitTimes.resize(wave.units.size());
        s_->waves.push_back(std::move(wave));
        s_->waveTasks.push_back(taskIds);
    }
}

template <class T>
BasicSimulator<T>::~BasicSimulator() = default;

template <class T>
void BasicSimulator<T>::reset() {
    step_ = 0;
    const Eigen::Index mb = minibatch_;
    for (size_t i = 0; i < model_.nodes.size(); ++i) s_->nodes[i].output = Signal::Zero(model_.nodes[i].sizeOut, mb);
    for (size_t i = 0; i < model_.ensembles.size(); ++i) {
        const BuiltEnsemble& e = model_.ensembles[i];
        auto& st = s_->ensembles[i];
        st.x = Signal::Zero(e.dimensions, mb);
        st.j = Signal::Zero(e.nNeurons, mb);
        st.a = Signal::Zero(e.nNeurons, mb);
        st.voltage = e.initialVoltage.template cast<T>().replicate(1, mb);
        st.refractoryTime = e.initialRefractoryTime.template cast<T>().replicate(1, mb);
    }
    for (size_t i = 0; i < model_.connections.size(); ++i) {
        const BuiltConnection& c = model_.connections[i];
        auto& st = s_->connections[i];
        const Eigen::Index rows = c.weights.rows();
        st.input = Signal::Zero(c.preIndices.empty() ? 0 : static_cast<Eigen::Index>(c.preIndices.size()), mb);
        st.u = Signal::Zero(rows, mb);
        st.filter = filterState<T>(c.synapse, rows * mb);
        st.y = Signal::Zero(c.synapse ? rows : 0, mb);
        st.yPrevious = st.y;
        if (!c.pes) continue;
        st.weights.assign(mb, fixedWeights(static_cast<int>(i)));
        auto& l = s_->learning[i];
        l.preFilter = filterState<T>(c.pes->preSynapse, c.pes->nPre * mb);
        l.activities = Signal::Zero(c.pes->nPre, mb);
        l.error = Signal::Zero(c.pes->errorSize, mb);
        l.projected = Signal::Zero(rows, mb);
        l.delta.assign(mb, Signal::Zero(rows, c.weights.cols()));
        l.previousDelta = l.delta;
    }
    records_.clear();
    for (size_t i = 0; i < model_.probes.size(); ++i) {
        const BuiltProbe& p = model_.probes[i];
        auto& st = s_->probes[i];
        st.signal = Signal::Zero(p.size, mb);
        st.filter = filterState<T>(p.synapse, p.size * mb);
        st.y = Signal::Zero(p.synapse ? p.size : 0, mb);
        records_.push_back(ProbeRecord{p.id, p.label, p.size, p.rows, p.cols, minibatch_, {}, {}});
    }
}

template <class T>
void BasicSimulator<T>::clearProbeData() {
    for (auto& r : records_) {
        r.steps.clear();
        r.values.clear();
    }
}

template <class T>
const ProbeRecord& BasicSimulator<T>::probe(const std::string& id) const {
    const int i = model_.probeIndex(id);
    if (i < 0) throw Error("no probe with this id", {}, id);
    return records_[i];
}

template <class T>
void BasicSimulator<T>::setNodeData(int node, std::vector<Matrix> perStream) {
    const BuiltNode& n = model_.nodes.at(node);
    if (n.passthrough()) throw Error("a passthrough node cannot be driven by data", {}, n.id);
    if (static_cast<int>(perStream.size()) != minibatch_)
        throw Error("needs one data matrix per minibatch stream", {}, n.id);
    for (const auto& m : perStream)
        if (m.cols() != n.sizeOut || m.rows() == 0) throw Error("data must have size_out columns", {}, n.id);
    s_->nodes[node].data = std::move(perStream);
}

template <class T>
void BasicSimulator<T>::clearNodeData(int node) { s_->nodes.at(node).data.clear(); }

template <class T>
const MatrixOf<T>& BasicSimulator<T>::nodeOutput(int node) const { return s_->nodes.at(node).output; }
template <class T>
const MatrixOf<T>& BasicSimulator<T>::neuronOutput(int ensemble) const { return s_->ensembles.at(ensemble).a; }
template <class T>
const MatrixOf<T>& BasicSimulator<T>::weights(int connection, int stream) const {
    const auto& st = s_->connections.at(connection);
    return st.weights.empty() ? fixedWeights(connection) : st.weights.at(stream);
}

template <class T>
const MatrixOf<T>& BasicSimulator<T>::ensembleInput(int ensemble) const { return s_->ensembles.at(ensemble).x; }
template <class T>
const MatrixOf<T>& BasicSimulator<T>::neuronInput(int ensemble) const { return s_->ensembles.at(ensemble).j; }

template <class T>
void BasicSimulator<T>::exchangeEnsembleSignals(int ensemble, Signal& x, Signal& j, Signal& a) {
    auto& e = s_->ensembles.at(ensemble);
    if (j.rows() != e.j.rows() || j.cols() != e.j.cols())
        throw Error("exchanged buffers must have the ensemble's signal shapes", {}, model_.ensembles[ensemble].id);
    exchangeEnsembleSignals(ensemble, x, a);
    e.j.swap(j);
}

template <class T>
void BasicSimulator<T>::exchangeEnsembleSignals(int ensemble, Signal& x, Signal& a) {
    auto& e = s_->ensembles.at(ensemble);
    if (x.rows() != e.x.rows() || x.cols() != e.x.cols() || a.rows() != e.a.rows() || a.cols() != e.a.cols())
        throw Error("exchanged buffers must have the ensemble's signal shapes", {}, model_.ensembles[ensemble].id);
    e.x.swap(x);
    e.a.swap(a);
}

template <class T>
void BasicSimulator<T>::setEnsembleParameters(int ensemble, const Matrix& scaledEncoders, const Vector& bias) {
    BuiltEnsemble& e = model_.ensembles.at(ensemble);
    if (scaledEncoders.rows() != e.scaledEncoders.rows() || scaledEncoders.cols() != e.scaledEncoders.cols() ||
        bias.size() != e.bias.size())
        throw Error("new encoders or biases do not match the ensemble's shape", {}, e.id);
    e.scaledEncoders = scaledEncoders;
    e.bias = bias;
    roundEnsemble(ensemble);
}

template <class T>
void BasicSimulator<T>::setConnectionWeights(int connection, const Matrix& weights) {
    BuiltConnection& c = model_.connections.at(connection);
    if (weights.rows() != c.weights.rows() || weights.cols() != c.weights.cols())
        throw Error("new weights do not match the connection's shape", {}, c.id);
    if (c.pes) throw Error("a connection learning online (PES) keeps its own weights", {}, c.id);
    c.weights = weights;
    roundConnection(connection);
}

// Every matrix that stepping changes, in a fixed order.
template <class T>
template <class Visit>
void BasicSimulator<T>::forEachStateMatrix(Visit&& visit) const {
    for (auto& n : s_->nodes) visit(n.output);
    for (auto& e : s_->ensembles)
        for (Signal* m : {&e.x, &e.j, &e.a, &e.voltage, &e.refractoryTime}) visit(*m);
    for (auto& c : s_->connections) {
        for (Signal* m : {&c.input, &c.u, &c.filter, &c.y, &c.yPrevious}) visit(*m);
        for (Signal& w : c.weights) visit(w);
    }
    for (auto& l : s_->learning) {
        for (Signal* m : {&l.preFilter, &l.activities, &l.error, &l.projected}) visit(*m);
        for (auto* list : {&l.delta, &l.previousDelta})
            for (Signal& d : *list) visit(d);
    }
    for (auto& p : s_->probes)
        for (Signal* m : {&p.signal, &p.filter, &p.y}) visit(*m);
}

template <class T>
SimulatorStateOf<T> BasicSimulator<T>::saveState() const {
    SimulatorStateOf<T> state{step_, {}};
    forEachStateMatrix([&](const Signal& m) { state.values.push_back(m); });
    return state;
}

template <class T>
void BasicSimulator<T>::restoreState(const SimulatorStateOf<T>& state) {
    size_t i = 0;
    forEachStateMatrix([&](Signal& m) {
        if (i >= state.values.size()) throw Error("the saved state belongs to another simulator");
        m = state.values[i++];
    });
    if (i != state.values.size()) throw Error("the saved state belongs to another simulator");
    step_ = state.step;
}

// A minibatch of several streams runs a block of steps stream by stream, the
// streams shared between TBB's threads: a stream's values never depend on the
// others, and its state then stays in cache for the whole block instead of
// every stream's passing through it at every step. One stream: a run of many
// steps keeps a helper thread spinning beside this one for its parallel
// waves (see SpinTeam); single steps hand their waves to TBB.
template <class T>
void BasicSimulator<T>::run(long steps) {
    reserveProbeRecords(steps);
    if (minibatch_ > 1 && steps > 1 && !times_) {
        runStreamByStream(steps);
        return;
    }
    if (steps < 2 || !hasParallelWave()) {
        for (long k = 0; k < steps; ++k) step();
        return;
    }
    SpinTeam::run([&](SpinTeam& team) {
        team_ = &team;
        try {
            for (long k = 0; k < steps; ++k) step();
        } catch (...) {
            team_ = nullptr;
            throw;
        }
        team_ = nullptr;
    });
}

template <class T>
void BasicSimulator<T>::runStreamByStream(long steps) {
    // Enough steps per block that a stream's state is reused many times, few
    // enough that the node values prepared for them stay small.
    constexpr long kBlockSteps = 1000;
    const Eigen::Index groups = streamGroups();
    for (long done = 0; done < steps;) {
        const long count = std::min(kBlockSteps, steps - done);
        const long first = step_ + 1;
        beginBlock(first, count);
        auto runGroup = [&](Eigen::Index group) {
            const Eigen::Index from = minibatch_ * group / groups, to = minibatch_ * (group + 1) / groups;
            for (long k = 0; k < count; ++k) advance(first + k, {from, to - from}, false);
        };
        // Each thread takes a contiguous share of the groups: neighbouring
        // streams share cache lines of every one-dimensional signal, and two
        // threads writing them in turn would pass those lines to and fro.
        const Eigen::Index shares = std::min<Eigen::Index>(groups, threads());
        tbb::parallel_for(tbb::blocked_range<Eigen::Index>(0, shares, 1),
                          [&](const tbb::blocked_range<Eigen::Index>& r) {
                              for (Eigen::Index share = r.begin(); share != r.end(); ++share)
                                  for (Eigen::Index g = groups * share / shares; g < groups * (share + 1) / shares; ++g)
                                      runGroup(g);
                          },
                          tbb::simple_partitioner());
        step_ += count;
        done += count;
    }
}

// Streams per group: as many as keep a group's neuron state within about a
// core's second-level cache, each stream alone when one is already larger,
// and at least a group per thread.
template <class T>
Eigen::Index BasicSimulator<T>::streamGroups() const {
    constexpr double kCacheBytes = 256.0 * 1024.0;
    double bytesPerStream = 0.0;
    for (const auto& e : s_->ensembles)
        bytesPerStream += static_cast<double>(sizeof(T)) * static_cast<double>(e.voltage.rows()) * 4.0;  // v, rt, J, a
    const auto fitting = static_cast<Eigen::Index>(kCacheBytes / std::max(bytesPerStream, 1.0));
    const auto perGroup = std::clamp<Eigen::Index>(fitting, 1, std::max<Eigen::Index>(1, minibatch_ / threads()));
    return (minibatch_ + perGroup - 1) / perGroup;
}

// The threads a run may use: one on the calling thread, TBB's otherwise.
template <class T>
Eigen::Index BasicSimulator<T>::threads() const {
    if (threading_ == Threading::CallingThread) return 1;
    return static_cast<Eigen::Index>(tbb::global_control::active_value(tbb::global_control::max_allowed_parallelism));
}

template <class T>
bool BasicSimulator<T>::hasParallelWave() const {
    return std::any_of(s_->waves.begin(), s_->waves.end(), [](const auto& w) { return w.parallel; });
}

// So that recording never reallocates inside the run.
template <class T>
void BasicSimulator<T>::reserveProbeRecords(long steps) {
    for (size_t i = 0; i < records_.size(); ++i) {
        ProbeRecord& r = records_[i];
        const auto samples = static_cast<size_t>(static_cast<double>(steps) / model_.probes[i].samplePeriod) + 1;
        r.steps.reserve(r.steps.size() + samples);
        r.values.reserve(r.values.size() + samples * static_cast<size_t>(r.size) * static_cast<size_t>(minibatch_));
    }
}

template <class T>
void BasicSimulator<T>::step() {
    beginBlock(step_ + 1, 1);
    advance(step_ + 1, {0, minibatch_}, true);
    ++step_;
}

// What the block's steps share between streams, prepared before any of them
// runs: the input nodes' function values and the probes' record slots.
template <class T>
void BasicSimulator<T>::beginBlock(long first, long count) {
    s_->blockFirst = first;
    {
        const OperatorTimer timer(times_, OperatorKind::NodeEvaluation);
        for (size_t i = 0; i < model_.nodes.size(); ++i) {
            auto& st = s_->nodes[i];
            if (!st.data.empty() || !st.function) continue;
            st.block.resize(model_.nodes[i].sizeOut, count);
            for (long k = 0; k < count; ++k)
                st.function->evaluate(static_cast<double>(first + k) * model_.dt, st.block.col(k).data());
        }
    }
    for (size_t i = 0; i < model_.probes.size(); ++i) {
        auto& slots = s_->probes[i].slots;
        ProbeRecord& r = records_[i];
        slots.resize(static_cast<size_t>(count));
        for (long k = 0; k < count; ++k) {
            const long step = first + k;
            const bool sample = std::fmod(static_cast<double>(step), model_.probes[i].samplePeriod) < 1.0;
            slots[k] = sample ? r.samples() : -1;
            if (!sample) continue;
            r.steps.push_back(step);
            r.values.resize(r.values.size() + static_cast<size_t>(r.size) * static_cast<size_t>(minibatch_));
        }
    }
}

// One step of some streams. planned: the waves as planned for all streams
// (in parallel where that pays); otherwise each wave's tasks in turn.
template <class T>
void BasicSimulator<T>::advance(long step, Columns cols, bool planned) {
    applyLearnedChanges(cols);
    {
        const OperatorTimer timer(times_, OperatorKind::NodeEvaluation);
        evaluateInputNodes(step, cols);
    }
    if (planned) {
        for (size_t w = 0; w < s_->waves.size(); ++w) runWave(w);
    } else {
        for (const auto& taskIds : s_->waveTasks)
            for (int task : taskIds)
                for (const EvaluationItem& item : s_->tasks[task]) evaluate(item, cols, nullptr);
    }
    {
        const OperatorTimer timer(times_, OperatorKind::LearningRule);
        learn(cols);
    }
    {
        const OperatorTimer timer(times_, OperatorKind::SynapseFilter);
        updateSynapses(cols);
    }
    const OperatorTimer timer(times_, OperatorKind::ProbeRecording);
    recordProbes(step, cols);
}

template <class T>
void BasicSimulator<T>::runWave(size_t index) {
    typename State::Wave& wave = s_->waves[index];
    auto run = [&](size_t unit) {
        OperatorTimes* times = times_ ? &wave.unitTimes[unit] : nullptr;
        for (const EvaluationItem& item : s_->tasks[wave.units[unit].task])
            evaluate(item, wave.units[unit].columns, times);
    };
    const auto start = times_ ? std::chrono::steady_clock::now() : std::chrono::steady_clock::time_point();
    if (!wave.parallel) {
        for (size_t unit = 0; unit < wave.units.size(); ++unit) run(unit);
    } else if (team_) {
        team_->share(wave.units.size(), run);
    } else {
        // Work stealing rather than a fixed split: the two halves of a wave rarely
        // cost the same (spike counts vary, and so does the machine).
        tbb::parallel_for(tbb::blocked_range<size_t>(0, wave.units.size()), [&](const tbb::blocked_range<size_t>& r) {
            for (size_t i = r.begin(); i != r.end(); ++i) run(i);
        });
    }
    if (times_) addWaveTimes(index, std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
}

// The units' kernel times as shares of the wave's wall clock.
template <class T>
void BasicSimulator<T>::addWaveTimes(size_t index, double wallSeconds) {
    typename State::Wave& wave = s_->waves[index];
    times_->addShares(wave.unitTimes, wallSeconds);
    for (OperatorTimes& t : wave.unitTimes) t.clear();
}

template <class T>
void BasicSimulator<T>::evaluate(const EvaluationItem& item, Columns columns, OperatorTimes* times) {
    switch (item.kind) {
        case EvaluationItem::Kind::Ensemble: evaluateEnsemble(item.index, columns, times); break;
        case EvaluationItem::Kind::PassthroughNode: {
            const OperatorTimer timer(times, OperatorKind::NodeEvaluation);
            evaluatePassthrough(item.index, columns);
            break;
        }
        case EvaluationItem::Kind::Connection: {
            const OperatorTimer timer(times, OperatorKind::WeightProduct);
            evaluateConnection(item.index, columns);
            break;
        }
    }
}

// Step 0: the change PES computed in the previous step lands now (README 4.1).
template <class T>
void BasicSimulator<T>::applyLearnedChanges(Columns cols) {
    for (size_t i = 0; i < model_.connections.size(); ++i) {
        if (!model_.connections[i].pes) continue;
        auto& w = s_->connections[i].weights;
        const auto& delta = s_->learning[i].delta;
        for (Eigen::Index b = cols.first; b < cols.first + cols.count; ++b) w[b] += delta[b];
    }
}

template <class T>
void BasicSimulator<T>::evaluateInputNodes(long step, Columns cols) {
    for (size_t i = 0; i < model_.nodes.size(); ++i) {
        auto& st = s_->nodes[i];
        for (Eigen::Index b = cols.first; b < cols.first + cols.count; ++b) {
            if (!st.data.empty()) {
                const Matrix& d = st.data[b];
                st.output.col(b) = d.row((step - 1) % d.rows()).transpose().template cast<T>();
            } else if (st.function) {
                st.output.col(b) = st.block.col(step - s_->blockFirst).template cast<T>();
            }
        }
    }
}

// What connection c delivers during this step: its synapse's output from the
// end of the previous step, or this step's weighted value when it has no synapse.
template <class T>
const MatrixOf<T>& BasicSimulator<T>::delivered(int c) const {
    const auto& st = s_->connections[c];
    return model_.connections[c].synapse ? st.y : st.u;
}

template <class T>
void BasicSimulator<T>::evaluatePassthrough(int node, Columns cols) {
    auto output = s_->nodes[node].output.middleCols(cols.first, cols.count);
    output.setZero();
    for (int c : s_->nodes[node].incoming)
        scatterAdd(output, model_.connections[c].postIndices, delivered(c).middleCols(cols.first, cols.count));
}

template <class T>
void BasicSimulator<T>::evaluateEnsemble(int index, Columns cols, OperatorTimes* times) {
    encodeEnsemble(index, cols, times);
    const OperatorTimer timer(times, OperatorKind::NeuronStep);
    const BuiltEnsemble& e = model_.ensembles[index];
    auto& st = s_->ensembles[index];
    const Eigen::Index offset = cols.first * e.nNeurons;
    const NeuronStateViewOf<T> state{st.voltage.data() + offset, st.refractoryTime.data() + offset};
    auto j = st.j.middleCols(cols.first, cols.count);
    std::visit(
        [&](const auto& neurons) { neurons.step(model_.dt, j.data(), st.a.data() + offset, state, j.size()); },
        e.neuronType);
}

// The ensemble's decoded input x and input current J for these columns.
template <class T>
void BasicSimulator<T>::encodeEnsemble(int index, Columns cols, OperatorTimes* times) {
    const OperatorTimer timer(times, OperatorKind::Encode);
    auto& st = s_->ensembles[index];
    auto x = st.x.middleCols(cols.first, cols.count);
    x.setZero();
    for (int c : st.decodedInputs)
        scatterAdd(x, model_.connections[c].postIndices, delivered(c).middleCols(cols.first, cols.count));
    auto j = st.j.middleCols(cols.first, cols.count);
    encodeCurrents(scaledEncoders(index), bias(index), x.data(), j.data(), cols.count);
    for (int c : st.gainedInputs) {
        const BuiltConnection& conn = model_.connections[c];
        const auto d = delivered(c).middleCols(cols.first, cols.count);
        for (Eigen::Index b = 0; b < d.cols(); ++b)
            for (Eigen::Index i = 0; i < d.rows(); ++i) {
                const Eigen::Index row = conn.postIndices.empty() ? i : conn.postIndices[i];
                j(row, b) += static_cast<T>(conn.postGains[i]) * d(i, b);
            }
    }
    for (int c : st.neuronInputs) j += delivered(c).middleCols(cols.first, cols.count);
}

// The connection's input for these columns, (input size x columns) from the returned pointer.
template <class T>
const T* BasicSimulator<T>::connectionInput(int c, Columns cols) {
    const BuiltConnection& conn = model_.connections[c];
    const Signal& source = conn.source == Source::NodeOutput ? s_->nodes[conn.preIndex].output
                                                             : s_->ensembles[conn.preIndex].a;
    if (conn.preIndices.empty()) return source.col(cols.first).data();
    auto gathered = s_->connections[c].input.middleCols(cols.first, cols.count);
    gatherRows(source.middleCols(cols.first, cols.count), conn.preIndices, gathered);
    return gathered.data();
}

template <class T>
void BasicSimulator<T>::evaluateConnection(int c, Columns cols) {
    const BuiltConnection& conn = model_.connections[c];
    auto& st = s_->connections[c];
    const T* in = connectionInput(c, cols);
    T* u = st.u.col(cols.first).data();
    if (st.weights.empty()) {
        applyWeights(fixedWeights(c), st.transposedWeights, in, u, cols.count, st.spikingInput);
        return;
    }
    const Eigen::Index inSize = conn.weights.cols(), outSize = conn.weights.rows();
    for (Eigen::Index b = 0; b < cols.count; ++b)
        applyWeights(st.weights[cols.first + b], Signal(), in + b * inSize, u + b * outSize, 1, st.spikingInput);
}

// Step 3b (README 9.2): filtered activities, this step's error, the new change.
template <class T>
void BasicSimulator<T>::learn(Columns cols) {
    for (size_t i = 0; i < model_.connections.size(); ++i) {
        const BuiltConnection& c = model_.connections[i];
        if (!c.pes) continue;
        const BuiltPes& pes = *c.pes;
        auto& l = s_->learning[i];
        const Signal& source = c.preIndices.empty() ? (c.source == Source::NodeOutput ? s_->nodes[c.preIndex].output
                                                                                      : s_->ensembles[c.preIndex].a)
                                                    : s_->connections[i].input;
        const auto in = source.middleCols(cols.first, cols.count);
        auto activities = l.activities.middleCols(cols.first, cols.count);
        if (pes.preSynapse)
            filterStep(*pes.preSynapse, stateOfColumns(l.preFilter, pes.nPre, cols.first), in.data(), activities.data(),
                       in.size());
        else
            activities = in;
        auto error = l.error.middleCols(cols.first, cols.count);
        error.setZero();
        for (int ec : l.errorConnections)
            scatterAdd(error, model_.connections[ec].postIndices, delivered(ec).middleCols(cols.first, cols.count));
        auto projected = l.projected.middleCols(cols.first, cols.count);
        if (pes.errorEncoders.size() > 0)
            projected.noalias() = errorEncoders(static_cast<int>(i)) * error;
        else
            projected = error;
        for (Eigen::Index b = cols.first; b < cols.first + cols.count; ++b) {
            std::swap(l.delta[b], l.previousDelta[b]);
            l.delta[b].noalias() = (static_cast<T>(pes.alpha) * l.projected.col(b)) * l.activities.col(b).transpose();
        }
    }
}

// Step 4: every connection synapse takes this step's weighted value. The old
// output stays available as yPrevious for probes that read the value "during" the step.
template <class T>
void BasicSimulator<T>::updateSynapses(Columns cols) {
    for (size_t i = 0; i < model_.connections.size(); ++i) {
        const BuiltConnection& c = model_.connections[i];
        if (!c.synapse) continue;
        auto& st = s_->connections[i];
        const Eigen::Index rows = st.u.rows();
        st.yPrevious.middleCols(cols.first, cols.count) = st.y.middleCols(cols.first, cols.count);
        filterStep(*c.synapse, stateOfColumns(st.filter, rows, cols.first), st.u.col(cols.first).data(),
                   st.y.col(cols.first).data(), rows * cols.count);
    }
}

namespace {

// The probed rows of some columns of a signal.
template <class Signal>
void pick(const Signal& source, const std::vector<int>& indices, Signal& out, Eigen::Index first, Eigen::Index count) {
    if (indices.empty())
        out.middleCols(first, count) = source.middleCols(first, count);
    else
        gatherRows(source.middleCols(first, count), indices, out.middleCols(first, count));
}

template <class Signal>
void flattenRowMajor(const Signal& m, Eigen::Index column, Signal& out) {
    using RowMajor = Eigen::Matrix<typename Signal::Scalar, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
    Eigen::Map<RowMajor>(out.col(column).data(), m.rows(), m.cols()) = m;
}

}  // namespace

// Step 5 (README 7): an unfiltered probe records the end-of-step value; a
// filtered one records its filter output, then feeds it the value during the
// step. Each sample goes to the slot beginBlock made for it.
template <class T>
void BasicSimulator<T>::recordProbes(long step, Columns cols) {
    const Eigen::Index first = cols.first, count = cols.count;
    for (size_t i = 0; i < model_.probes.size(); ++i) {
        const BuiltProbe& p = model_.probes[i];
        auto& st = s_->probes[i];
        const bool during = p.synapse.has_value();
        auto pickFrom = [&](const Signal& source) { pick(source, p.indices, st.signal, first, count); };
        switch (p.signal) {
            case ProbedSignal::NodeOutput: pickFrom(s_->nodes[p.targetIndex].output); break;
            case ProbedSignal::DecodedOutput:
                applyWeights(probeDecoders(static_cast<int>(i)), st.transposedDecoders,
                             s_->ensembles[p.targetIndex].a.col(first).data(), st.signal.col(first).data(), count,
                             st.spikingInput);
                break;
            case ProbedSignal::EnsembleInput: pickFrom(s_->ensembles[p.targetIndex].x); break;
            case ProbedSignal::NeuronOutput: pickFrom(s_->ensembles[p.targetIndex].a); break;
            case ProbedSignal::NeuronInput: pickFrom(s_->ensembles[p.targetIndex].j); break;
            case ProbedSignal::Voltage: pickFrom(s_->ensembles[p.targetIndex].voltage); break;
            case ProbedSignal::RefractoryTime: pickFrom(s_->ensembles[p.targetIndex].refractoryTime); break;
            case ProbedSignal::ConnectionOutput: {
                const auto& c = s_->connections[p.targetIndex];
                const Signal& value = !model_.connections[p.targetIndex].synapse ? c.u : during ? c.yPrevious : c.y;
                pickFrom(value);
                break;
            }
            case ProbedSignal::Weights:
                for (Eigen::Index b = first; b < first + count; ++b)
                    flattenRowMajor(weights(p.targetIndex, static_cast<int>(b)), b, st.signal);
                break;
            case ProbedSignal::PesError: pickFrom(s_->learning[p.targetIndex].error); break;
            case ProbedSignal::PesActivities: pickFrom(s_->learning[p.targetIndex].activities); break;
            case ProbedSignal::PesDelta: {
                const auto& l = s_->learning[p.targetIndex];
                for (Eigen::Index b = first; b < first + count; ++b)
                    flattenRowMajor(during ? l.previousDelta[b] : l.delta[b], b, st.signal);
                break;
            }
        }
        const long slot = st.slots[static_cast<size_t>(step - s_->blockFirst)];
        if (slot >= 0) {
            const Signal& recorded = p.synapse ? st.y : st.signal;
            const auto at = (static_cast<size_t>(slot) * static_cast<size_t>(minibatch_) + static_cast<size_t>(first)) *
                            static_cast<size_t>(p.size);
            std::copy_n(recorded.col(first).data(), p.size * count,
                        records_[i].values.begin() + static_cast<std::ptrdiff_t>(at));
        }
        if (p.synapse)
            filterStep(*p.synapse, stateOfColumns(st.filter, p.size, first), st.signal.col(first).data(),
                       st.y.col(first).data(), p.size * count);
    }
}

template class BasicSimulator<double>;
template class BasicSimulator<float>;

}  // namespace core
