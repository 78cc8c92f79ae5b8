#include "train/bptt_trainer.h"

#include "common/error.h"
#include "common/rows.h"
#include "model/distribution.h"
#include "sim/simulator.h"
#include "sim/weight_product.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <numeric>
#include <thread>

#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

namespace core {

namespace {

using Clock = std::chrono::steady_clock;

double secondsSince(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

// Up to this many dimensions, recomputing an ensemble's currents (d
// multiply-adds per neuron) is cheaper than storing and reloading them.
constexpr int kMaxRecomputedDimensions = 8;

enum class ParameterKind { Encoders, Bias, Weights };

struct ParameterSlot {
    ParameterKind kind;
    int index;
    std::string objectId, name;
};

// The neuron types the forward pass runs in rate mode.
NeuronType rateEquivalent(const NeuronType& t) {
    if (auto lif = std::get_if<LifNeurons>(&t)) return LifRateNeurons{lif->tauRc, lif->tauRef, lif->amplitude};
    if (auto relu = std::get_if<SpikingRectifiedLinearNeurons>(&t)) return RectifiedLinearNeurons{relu->amplitude};
    return t;
}

bool allFinite(const Matrix& m) { return m.allFinite(); }

// What training may change, in a fixed order: per trainable ensemble its
// scaled encoders then its biases; per trainable connection its weights.
std::vector<ParameterSlot> trainableSlots(const BuiltModel& model) {
    std::vector<ParameterSlot> slots;
    for (size_t e = 0; e < model.ensembles.size(); ++e) {
        const BuiltEnsemble& ens = model.ensembles[e];
        if (!ens.trainable) continue;
        slots.push_back({ParameterKind::Encoders, static_cast<int>(e), ens.id, "encoders"});
        slots.push_back({ParameterKind::Bias, static_cast<int>(e), ens.id, "bias"});
    }
    for (size_t c = 0; c < model.connections.size(); ++c) {
        const BuiltConnection& conn = model.connections[c];
        // NengoDL trains decoders and neuron-to-neuron weights, not transforms from
        // nodes; a connection that PES changes online, or that feeds a rule, is left alone.
        const bool neural = conn.source == Source::NeuronOutput;
        if (conn.trainable && neural && !conn.pes && conn.apply != Apply::LearningRuleError)
            slots.push_back({ParameterKind::Weights, static_cast<int>(c), conn.id, "weights"});
    }
    return slots;
}

Matrix parameterValue(const ParameterSlot& s, const BuiltModel& m) {
    switch (s.kind) {
        case ParameterKind::Encoders: return m.ensembles[s.index].scaledEncoders;
        case ParameterKind::Bias: return m.ensembles[s.index].bias;
        case ParameterKind::Weights: return m.connections[s.index].weights;
    }
    return {};
}

void setParameterValue(const ParameterSlot& s, BuiltModel& m, const Matrix& value) {
    switch (s.kind) {
        case ParameterKind::Encoders: m.ensembles[s.index].scaledEncoders = value; break;
        case ParameterKind::Bias: m.ensembles[s.index].bias = value.col(0); break;
        case ParameterKind::Weights: m.connections[s.index].weights = value; break;
    }
}

}  // namespace

// Everything one training call needs: per lane of minibatch columns a
// forward simulator, the tape of the current segment, the adjoints and the
// gradients, all in precision T (the parameters and the optimiser stay double).
template <class T>
struct BpttTrainer::Engine {
    using Signal = MatrixOf<T>;
    using Sim = BasicSimulator<T>;

    const BuiltModel& model;  // the trainer's model: parameters live here
    int minibatch;
    TrainOptions options;
    std::vector<ParameterSlot> slots;

    // Who feeds what, for routing gradients backwards.
    std::vector<std::vector<int>> decodedInputs, gainedInputs, neuronInputs, passthroughInputs;

    // Tape: what step k of the current segment left, indexed [k - segment start].
    struct StepRecord {
        std::vector<Signal> j, x, a;  // per ensemble; j empty where recomputed
        std::vector<Signal> node;     // per node
    };
    // Per ensemble: whether the backward pass recomputes the input current
    // J = E x + b from the recorded x instead of reading a recorded J. With
    // few dimensions and nothing else adding to J that is a few operations per
    // neuron in cache, against a tape as large as the activities' in memory.
    std::vector<bool> recomputeCurrents;

    std::map<std::string, double> profile;
    // Per operator kind when profiling: each lane's simulator adds to its
    // laneForwardTimes and its backward to its laneTimes, shared out into
    // forwardTimes and backwardTimes.
    OperatorTimes forwardTimes, backwardTimes;
    std::vector<OperatorTimes> laneTimes, laneForwardTimes;

    Engine(const BuiltModel& m, int mb, const TrainOptions& o)
        : model(m), minibatch(mb), options(o), slots(trainableSlots(m)) {
        decodedInputs.resize(model.ensembles.size());
        gainedInputs.resize(model.ensembles.size());
        neuronInputs.resize(model.ensembles.size());
        passthroughInputs.resize(model.nodes.size());
        for (size_t c = 0; c < model.connections.size(); ++c) {
            const BuiltConnection& conn = model.connections[c];
            const int ci = static_cast<int>(c);
            switch (conn.apply) {
                case Apply::EnsembleInput: decodedInputs[conn.postIndex].push_back(ci); break;
                case Apply::NeuronInputTimesGain: gainedInputs[conn.postIndex].push_back(ci); break;
                case Apply::NeuronInput: neuronInputs[conn.postIndex].push_back(ci); break;
                case Apply::NodeInput: passthroughInputs[conn.postIndex].push_back(ci); break;
                case Apply::LearningRuleError: break;
            }
        }
        for (size_t e = 0; e < model.ensembles.size(); ++e)
            recomputeCurrents.push_back(model.ensembles[e].dimensions <= kMaxRecomputedDimensions &&
                                        gainedInputs[e].empty() && neuronInputs[e].empty());
        BuiltModel forward = model;
        if (options.rateMode)
            for (auto& e : forward.ensembles) e.neuronType = rateEquivalent(e.neuronType);
        makeLanes(forward);
        if (options.profile) {
            laneTimes.resize(lanes.size());
            laneForwardTimes.resize(lanes.size());
            for (size_t l = 0; l < lanes.size(); ++l) {
                lanes[l].times = &laneTimes[l];
                lanes[l].sim->setOperatorTimes(&laneForwardTimes[l]);
            }
        }
    }

    // Copies the trainer's current parameters into the forward simulators.
    void pushParameters() {
        for (Lane& lane : lanes)
            for (const auto& s : slots) {
                if (s.kind == ParameterKind::Weights)
                    lane.sim->setConnectionWeights(s.index, model.connections[s.index].weights);
                else if (s.kind == ParameterKind::Encoders)
                    lane.sim->setEnsembleParameters(s.index, model.ensembles[s.index].scaledEncoders,
                                                    model.ensembles[s.index].bias);
            }
    }

    // Feeds the minibatch's sequences to the input nodes that have data,
    // each lane its own rows.
    void loadBatch(const TrainingData& data, const std::vector<int>& rows) {
        for (Lane& lane : lanes) {
            lane.sim->reset();
            for (const auto& [id, t] : data.inputs) {
                std::vector<Matrix> streams;
                for (Eigen::Index b = lane.first; b < lane.first + lane.width; ++b) {
                    Matrix m(t.steps, t.size);
                    for (int k = 0; k < t.steps; ++k)
                        for (int j = 0; j < t.size; ++j) m(k, j) = t.at(rows[b], k, j);
                    streams.push_back(std::move(m));
                }
                lane.sim->setNodeData(model.nodeIndex(id), std::move(streams));
            }
        }
    }

    // Runs f on every lane, one per thread.
    template <class F>
    void forEachLane(F&& f) {
        if (lanes.size() == 1) return f(lanes.front());
        tbb::parallel_for(size_t(0), lanes.size(), [&](size_t l) { f(lanes[l]); });
    }

    // Runs `steps` forward steps; with `record`, keeps what backward needs.
    void forward(int steps, bool record) {
        const auto start = Clock::now();
        forEachLane([&](Lane& lane) { lane.forward(steps, record); });
        const double seconds = secondsSince(start);
        profile["forward"] += seconds;
        if (options.profile) {
            forwardTimes.addShares(laneForwardTimes, seconds);
            for (OperatorTimes& t : laneForwardTimes) t.clear();
        }
    }

    void clearProbeData() {
        for (Lane& lane : lanes) lane.sim->clearProbeData();
    }

    std::vector<SimulatorStateOf<T>> saveStates() const {
        std::vector<SimulatorStateOf<T>> states;
        for (const Lane& lane : lanes) states.push_back(lane.sim->saveState());
        return states;
    }

    void restoreStates(const std::vector<SimulatorStateOf<T>>& states) {
        for (size_t l = 0; l < lanes.size(); ++l) lanes[l].sim->restoreState(states[l]);
    }

    // The last `steps` samples of a probe as (minibatch, steps, size).
    Tensor3 probeOutputs(int probe, int steps) const {
        Tensor3 out(minibatch, steps, lanes.front().sim->probe(probe).size);
        for (const Lane& lane : lanes) {
            const ProbeRecord& r = lane.sim->probe(probe);
            const long first = r.samples() - steps;
            for (Eigen::Index b = 0; b < lane.width; ++b)
                for (int k = 0; k < steps; ++k)
                    for (int j = 0; j < r.size; ++j)
                        out.at(static_cast<int>(lane.first + b), k, j) = r.at(static_cast<int>(b), first + k, j);
        }
        return out;
    }

    // The objective over steps [from, from + steps) of the batch; fills
    // outputGradients[probe] (minibatch, steps, size) and returns the value.
    double objective(const TrainingData& data, const std::vector<int>& rows, const std::vector<ObjectiveTerm>& terms,
                     int from, int steps, std::map<int, Tensor3>& outputGradients, std::vector<double>* perTerm) {
        const auto start = Clock::now();
        double total = 0.0;
        std::map<int, Tensor3> outputs, targets;
        for (const ObjectiveTerm& term : terms) {
            Tensors y, t;
            MutableTensors g;
            std::vector<Tensor3> termGradients;
            termGradients.reserve(term.probes.size());
            for (const std::string& id : term.probes) {
                const int p = model.probeIndex(id);
                if (!outputs.count(p)) outputs.emplace(p, probeOutputs(p, steps));
                y.push_back(&outputs.at(p));
                auto target = data.targets.find(id);
                if (target != data.targets.end()) {
                    if (!targets.count(p)) {
                        Tensor3 slice(minibatch, steps, target->second.size);
                        for (size_t b = 0; b < rows.size(); ++b)
                            for (int k = 0; k < steps; ++k)
                                for (int j = 0; j < slice.size; ++j)
                                    slice.at(static_cast<int>(b), k, j) = target->second.at(rows[b], from + k, j);
                        targets.emplace(p, std::move(slice));
                    }
                    t.push_back(&targets.at(p));
                } else {
                    t.push_back(nullptr);
                }
                termGradients.emplace_back(minibatch, steps, outputs.at(p).size);
            }
            for (auto& tg : termGradients) g.push_back(&tg);
            const double value = evaluate(term.objective, y, t, g);
            if (perTerm) perTerm->push_back(value);
            total += value;
            for (size_t i = 0; i < term.probes.size(); ++i) {
                const int p = model.probeIndex(term.probes[i]);
                auto [it, fresh] = outputGradients.try_emplace(p, termGradients[i]);
                if (!fresh)
                    for (size_t v = 0; v < it->second.values.size(); ++v) it->second.values[v] += termGradients[i].values[v];
            }
        }
        profile["objective"] += secondsSince(start);
        return total;
    }

    // ----------------------------------------------------------- backward

    // A block of minibatch columns, forward and backward. Columns never mix
    // (every kernel is column-wise), so lanes run on separate threads, each
    // with its own simulator, tape, adjoints and gradient partial sums: a
    // segment's steps need no synchronisation between threads.
    struct Lane {
        const Engine& engine;
        const BuiltModel& model;
        Eigen::Index first, width;
        std::unique_ptr<Sim> sim;
        std::vector<StepRecord> tape;
        // Adjoints that live across steps.
        std::vector<Signal> synapseAdjoint, pendingY, laterY;  // per connection with a synapse
        std::vector<Signal> probeAdjoint, probePending;        // per filtered probe
        // Per-step accumulators.
        std::vector<Signal> gA, gJ, gX, gNode, gU, gSignal;
        Signal scratch, gathered, currents;
        std::vector<Signal> gradients;  // per slot, this lane's part
        OperatorTimes* times = nullptr;  // when profiling

        Lane(const Engine& e, const BuiltModel& forwardModel, Eigen::Index firstColumn, Eigen::Index columns,
             typename Sim::Threading threading)
            : engine(e),
              model(e.model),
              first(firstColumn),
              width(columns),
              sim(std::make_unique<Sim>(forwardModel, static_cast<int>(columns), threading)) {
            auto zeros = [&](Eigen::Index rows) { return Signal(Signal::Zero(rows, width)); };
            for (const auto& ens : model.ensembles) {
                gA.push_back(zeros(ens.nNeurons));
                gJ.push_back(zeros(ens.nNeurons));
                gX.push_back(zeros(ens.dimensions));
            }
            for (const auto& n : model.nodes) gNode.push_back(zeros(n.sizeOut));
            for (const auto& c : model.connections) {
                const Eigen::Index rows = c.weights.rows();
                gU.push_back(zeros(rows));
                synapseAdjoint.push_back(c.synapse ? Signal(Signal::Zero(c.synapse->order(), rows * width)) : Signal());
                pendingY.push_back(c.synapse ? zeros(rows) : Signal());
                laterY.push_back(c.synapse ? zeros(rows) : Signal());
            }
            for (const auto& p : model.probes) {
                gSignal.push_back(zeros(p.size));
                probeAdjoint.push_back(p.synapse ? Signal(Signal::Zero(p.synapse->order(), p.size * width)) : Signal());
                probePending.push_back(p.synapse ? zeros(p.size) : Signal());
            }
            for (const auto& s : e.slots) {
                const Matrix value = parameterValue(s, model);
                gradients.push_back(Signal::Zero(value.rows(), value.cols()));
            }
        }

        void resetAdjoints() {
            for (auto* list : {&synapseAdjoint, &pendingY, &laterY, &probeAdjoint, &probePending})
                for (Signal& m : *list) m.setZero();
        }

        void ensureTape(int length) {
            if (static_cast<int>(tape.size()) >= length) return;
            tape.resize(length);
            for (auto& r : tape) {
                if (!r.j.empty()) continue;
                for (size_t e = 0; e < model.ensembles.size(); ++e) {
                    const BuiltEnsemble& ens = model.ensembles[e];
                    r.j.push_back(engine.recomputeCurrents[e] ? Signal() : Signal(ens.nNeurons, width));
                    r.x.push_back(Signal(ens.dimensions, width));
                    r.a.push_back(Signal(ens.nNeurons, width));
                }
                for (const auto& n : model.nodes) r.node.push_back(Signal(n.sizeOut, width));
            }
        }

        void forward(int steps, bool record) {
            if (record) ensureTape(steps);
            for (int k = 0; k < steps; ++k) {
                sim->step();
                if (!record) continue;
                StepRecord& r = tape[k];
                for (size_t e = 0; e < model.ensembles.size(); ++e) {
                    if (engine.recomputeCurrents[e])
                        sim->exchangeEnsembleSignals(static_cast<int>(e), r.x[e], r.a[e]);
                    else
                        sim->exchangeEnsembleSignals(static_cast<int>(e), r.x[e], r.j[e], r.a[e]);
                }
                for (size_t n = 0; n < model.nodes.size(); ++n) r.node[n] = sim->nodeOutput(static_cast<int>(n));
            }
        }

        // dL/dJ += dL/da * da/dJ for n neurons of one column. In rate mode the
        // forward pass ran the rate equivalents: differentiate those. LIFRate
        // reuses the recorded rates.
        void addNeuronGradient(const NeuronType& type, const T* j, const T* a, const T* ga, T* gj, Eigen::Index n) const {
            std::visit(
                [&](const auto& neurons) {
                    using N = std::decay_t<decltype(neurons)>;
                    if constexpr (std::is_same_v<N, LifRateNeurons>) {
                        neurons.addStepGradient(j, a, ga, gj, static_cast<std::size_t>(n));
                    } else {
                        for (Eigen::Index i = 0; i < n; ++i)
                            gj[i] += ga[i] * static_cast<T>(neurons.rateDerivative(j[i], engine.options.lifSmoothing));
                    }
                },
                engine.options.rateMode ? rateEquivalent(type) : type);
        }

        // g is the gradient of what connection c delivered in this step.
        void routeDelivered(int c, const Signal& g) {
            if (model.connections[c].synapse)
                pendingY[c] += g;  // dL/dy of the previous step
            else
                gU[c] += g;
        }

        void routeDelivered(int c, const Signal& g, const std::vector<int>& postIndices) {
            if (postIndices.empty()) return routeDelivered(c, g);
            scratch.resize(static_cast<Eigen::Index>(postIndices.size()), width);
            gatherRows(g, postIndices, scratch);
            routeDelivered(c, scratch);
        }

        void backwardProbes(int offset, const std::map<int, Tensor3>& outputGradients) {
            for (size_t p = 0; p < model.probes.size(); ++p) {
                const BuiltProbe& probe = model.probes[p];
                auto it = outputGradients.find(static_cast<int>(p));
                if (it == outputGradients.end() && !probe.synapse) continue;
                Signal& gs = gSignal[p];
                auto recorded = [&](Signal& into) {
                    for (Eigen::Index b = 0; b < width; ++b)
                        for (int j = 0; j < probe.size; ++j)
                            into(j, b) = static_cast<T>(it->second.at(static_cast<int>(first + b), offset, j));
                };
                if (probe.synapse) {
                    // Recorded value of step k is the filter's output before its update
                    // (y_{k-1}); this step's input gets B^T lambda with lambda carrying
                    // the next step's recorded-value gradient.
                    filterBackwardStep(*probe.synapse, probeAdjoint[p], probePending[p].data(), gs.data(), gs.size());
                    if (it != outputGradients.end())
                        recorded(probePending[p]);
                    else
                        probePending[p].setZero();
                } else {
                    recorded(gs);
                }
                scatterSignalGradient(static_cast<int>(p), gs);
            }
        }

        void scatterSignalGradient(int probe, const Signal& gs) {
            const BuiltProbe& p = model.probes[probe];
            switch (p.signal) {
                case ProbedSignal::DecodedOutput:
                    gA[p.targetIndex].noalias() += sim->probeDecoders(probe).transpose() * gs;
                    break;
                case ProbedSignal::NeuronOutput: scatterAdd(gA[p.targetIndex], p.indices, gs); break;
                case ProbedSignal::NeuronInput: scatterAdd(gJ[p.targetIndex], p.indices, gs); break;
                case ProbedSignal::EnsembleInput: scatterAdd(gX[p.targetIndex], p.indices, gs); break;
                case ProbedSignal::NodeOutput:
                    if (model.nodes[p.targetIndex].passthrough()) scatterAdd(gNode[p.targetIndex], p.indices, gs);
                    break;
                case ProbedSignal::ConnectionOutput: {
                    const BuiltConnection& c = model.connections[p.targetIndex];
                    // Unfiltered probes see y_k (end of step); filtered ones fed on y_{k-1}.
                    Signal& target = !c.synapse ? gU[p.targetIndex] : p.synapse ? laterY[p.targetIndex] : pendingY[p.targetIndex];
                    scatterAdd(target, p.indices, gs);
                    break;
                }
                default: break;  // validated: no objective reaches other signals
            }
        }

        void backwardSynapses() {
            for (size_t c = 0; c < model.connections.size(); ++c) {
                const BuiltConnection& conn = model.connections[c];
                if (!conn.synapse) continue;
                scratch.resize(conn.weights.rows(), width);
                filterBackwardStep(*conn.synapse, synapseAdjoint[c], pendingY[c].data(), scratch.data(), scratch.size());
                gU[c] += scratch;
                std::swap(pendingY[c], laterY[c]);
                laterY[c].setZero();
            }
        }

        // dW += dL/du times the connection's input during the recorded step;
        // the input's gradient += W^T dL/du (this lane's columns).
        void backwardConnection(int c, const StepRecord& r) {
            const BuiltConnection& conn = model.connections[c];
            if (conn.pes) return;  // PES weights change online: a constant to training
            const int s = engine.weightSlot[c];
            const bool fromNode = conn.source == Source::NodeOutput;
            // An input node's gradient goes nowhere.
            const bool routeInput = !fromNode || model.nodes[conn.preIndex].passthrough();
            if (s < 0 && !routeInput) return;
            const Signal& source = fromNode ? r.node[conn.preIndex] : r.a[conn.preIndex];
            Signal& target = fromNode ? gNode[conn.preIndex] : gA[conn.preIndex];
            T* weightGradient = s >= 0 ? gradients[s].data() : nullptr;
            const Signal& weights = sim->weights(c);
            if (conn.preIndices.empty()) {
                addWeightGradients(weights, source.data(), gU[c].data(), weightGradient,
                                   routeInput ? target.data() : nullptr, width);
                return;
            }
            const auto picked = static_cast<Eigen::Index>(conn.preIndices.size());
            gathered.resize(picked, width);
            gatherRows(source, conn.preIndices, gathered);
            scratch.setZero(picked, width);
            addWeightGradients(weights, gathered.data(), gU[c].data(), weightGradient,
                               routeInput ? scratch.data() : nullptr, width);
            if (routeInput) scatterAdd(target, conn.preIndices, scratch);
        }

        // In blocks of columns (as many as hold 512 values, at least one) small enough
        // that a block's current gradient is still in the first-level cache
        // when the encoders' backward reads it; small ensembles take many
        // columns per call, so calls and profiling clock reads stay few.
        void backwardEnsemble(int e, const StepRecord& r) {
            const BuiltEnsemble& ens = model.ensembles[e];
            Signal& gj = gJ[e];
            const int s = engine.encoderSlot[e];
            T* encoderGradient = s >= 0 ? gradients[s].data() : nullptr;
            T* biasGradient = s >= 0 ? gradients[s + 1].data() : nullptr;
            const Signal& encoders = sim->scaledEncoders(e);
            const bool routeDecoded = engine.needsDecodedGradient[e];
            constexpr Eigen::Index kBlockValues = 512;  // 4 kB per array: the four arrays stay in the cache
            const Eigen::Index block = std::max<Eigen::Index>(1, kBlockValues / std::max(1, ens.nNeurons));
            OperatorLaps laps(times);
            const bool recompute = engine.recomputeCurrents[e];
            if (recompute) currents.resize(ens.nNeurons, block);
            for (Eigen::Index b = 0; b < width; b += block) {
                const Eigen::Index count = std::min(block, width - b);
                if (recompute) {
                    // The forward pass's own kernel on the same values: the same J, bit for bit.
                    encodeCurrents(encoders, sim->bias(e), r.x[e].col(b).data(), currents.data(), count);
                    laps.lap(OperatorKind::Encode);
                }
                addNeuronGradient(ens.neuronType, recompute ? currents.data() : r.j[e].col(b).data(),
                                  r.a[e].col(b).data(), gA[e].col(b).data(), gj.col(b).data(), ens.nNeurons * count);
                laps.lap(OperatorKind::NeuronStep);
                addEncodeGradients(encoders, r.x[e].col(b).data(), gj.col(b).data(), encoderGradient,
                                   biasGradient, routeDecoded ? gX[e].col(b).data() : nullptr, count);
                laps.lap(OperatorKind::Encode);
            }
            if (routeDecoded)
                for (int c : engine.decodedInputs[e]) routeDelivered(c, gX[e], model.connections[c].postIndices);
            for (int c : engine.gainedInputs[e]) {
                const BuiltConnection& conn = model.connections[c];
                scratch.resize(static_cast<Eigen::Index>(conn.postGains.size()), width);
                for (Eigen::Index i = 0; i < scratch.rows(); ++i)
                    scratch.row(i) = static_cast<T>(conn.postGains[i]) * gj.row(conn.postIndices.empty() ? i : conn.postIndices[i]);
                routeDelivered(c, scratch);
            }
            for (int c : engine.neuronInputs[e]) routeDelivered(c, gj);
            laps.lap(OperatorKind::Encode);
        }

        void backwardItem(const EvaluationItem& item, const StepRecord& r) {
            switch (item.kind) {
                case EvaluationItem::Kind::Connection: {
                    const OperatorTimer timer(times, OperatorKind::WeightProduct);
                    backwardConnection(item.index, r);
                    break;
                }
                case EvaluationItem::Kind::Ensemble: backwardEnsemble(item.index, r); break;
                case EvaluationItem::Kind::PassthroughNode: {
                    const OperatorTimer timer(times, OperatorKind::NodeEvaluation);
                    backwardPassthrough(item.index);
                    break;
                }
            }
        }

        void backwardPassthrough(int n) {
            for (int c : engine.passthroughInputs[n]) routeDelivered(c, gNode[n], model.connections[c].postIndices);
        }

        void clearStepAccumulators() {
            for (auto* list : {&gA, &gJ, &gX, &gNode, &gU})
                for (Signal& m : *list) m.setZero();
        }

        // Backward over the recorded steps [0, steps) of the tape, in reverse;
        // outputGradients are indexed from gradientOffset.
        void backward(int steps, int gradientOffset, const std::map<int, Tensor3>& outputGradients) {
            for (int k = steps - 1; k >= 0; --k) {
                const StepRecord& r = tape[k];
                {
                    const OperatorTimer timer(times, OperatorKind::ProbeRecording);
                    backwardProbes(gradientOffset + k, outputGradients);
                }
                {
                    const OperatorTimer timer(times, OperatorKind::SynapseFilter);
                    backwardSynapses();
                }
                for (auto it = model.order.rbegin(); it != model.order.rend(); ++it) backwardItem(*it, r);
                clearStepAccumulators();
            }
        }
    };
    std::vector<Lane> lanes;

    // One lane per thread when the minibatch has enough neurons-times-columns
    // to pay for the threads (a lane waits for the others only at the ends of
    // a segment: from about 2000 on, measured on the x^2 benchmark); one lane
    // otherwise, whose simulator shares out each step's waves instead.
    void makeLanes(const BuiltModel& forwardModel) {
        double neurons = 0.0;
        for (const auto& e : model.ensembles) neurons += e.nNeurons;
        const int threads = std::max(1, tbb::this_task_arena::max_concurrency());
        const int count = neurons * minibatch >= 2000.0 ? std::min(threads, minibatch) : 1;
        for (int l = 0; l < count; ++l) {
            const Eigen::Index from = static_cast<Eigen::Index>(minibatch) * l / count;
            const Eigen::Index to = static_cast<Eigen::Index>(minibatch) * (l + 1) / count;
            lanes.emplace_back(*this, forwardModel, from, to - from,
                               count > 1 ? Sim::Threading::CallingThread : Sim::Threading::Pool);
        }
    }

    void resetAdjoints() {
        for (Lane& lane : lanes) lane.resetAdjoints();
    }

    void zeroGradients() {
        for (Lane& lane : lanes)
            for (Signal& g : lane.gradients) g.setZero();
    }

    // The lanes' partial gradients summed in double, in slot order.
    std::vector<Matrix> gradients() const {
        std::vector<Matrix> total;
        for (const Signal& g : lanes.front().gradients) total.push_back(g.template cast<double>());
        for (size_t l = 1; l < lanes.size(); ++l)
            for (size_t s = 0; s < total.size(); ++s) total[s] += lanes[l].gradients[s].template cast<double>();
        return total;
    }

    std::vector<int> weightSlot, encoderSlot;
    // Whether an ensemble's decoded-input gradient reaches anything: a
    // connection with trainable weights, or one from an ensemble or a
    // passthrough node. From an input node alone it is thrown away.
    std::vector<bool> needsDecodedGradient;

    void indexSlots() {
        weightSlot.assign(model.connections.size(), -1);
        encoderSlot.assign(model.ensembles.size(), -1);
        for (size_t s = 0; s < slots.size(); ++s) {
            if (slots[s].kind == ParameterKind::Weights) weightSlot[slots[s].index] = static_cast<int>(s);
            if (slots[s].kind == ParameterKind::Encoders) encoderSlot[slots[s].index] = static_cast<int>(s);
        }
        needsDecodedGradient.assign(model.ensembles.size(), false);
        for (size_t e = 0; e < model.ensembles.size(); ++e)
            for (int c : decodedInputs[e]) {
                const BuiltConnection& conn = model.connections[c];
                if (weightSlot[c] >= 0 || conn.source == Source::NeuronOutput || model.nodes[conn.preIndex].passthrough())
                    needsDecodedGradient[e] = true;
            }
    }

    void backward(int steps, int gradientOffset, const std::map<int, Tensor3>& outputGradients) {
        const auto start = Clock::now();
        tbb::parallel_for(size_t(0), lanes.size(),
                          [&](size_t l) { lanes[l].backward(steps, gradientOffset, outputGradients); });
        const double seconds = secondsSince(start);
        profile["backward"] += seconds;
        if (options.profile) {
            backwardTimes.addShares(laneTimes, seconds);
            for (OperatorTimes& t : laneTimes) t.clear();
        }
    }

    // Loss and gradients for one minibatch over steps [from, from + length),
    // continuing the simulator's state; adjoints start from zero.
    double segment(const TrainingData& data, const std::vector<int>& rows, const std::vector<ObjectiveTerm>& terms,
                   int from, int length) {
        clearProbeData();
        forward(length, true);
        std::map<int, Tensor3> outputGradients;
        const double loss = objective(data, rows, terms, from, length, outputGradients, nullptr);
        resetAdjoints();
        backward(length, 0, outputGradients);
        return loss;
    }

    // Full BPTT with checkpoints: forward once keeping the state every
    // ~sqrt(n) steps, then recompute each segment (last first) with its tape
    // and carry the adjoints across segment borders.
    double checkpointed(const TrainingData& data, const std::vector<int>& rows, const std::vector<ObjectiveTerm>& terms,
                        int steps) {
        const int length = std::max(1, static_cast<int>(std::ceil(std::sqrt(static_cast<double>(steps)))));
        std::vector<std::vector<SimulatorStateOf<T>>> checkpoints;
        clearProbeData();
        for (int from = 0; from < steps; from += length) {
            checkpoints.push_back(saveStates());
            forward(std::min(length, steps - from), false);
        }
        std::map<int, Tensor3> outputGradients;
        const double loss = objective(data, rows, terms, 0, steps, outputGradients, nullptr);
        resetAdjoints();
        for (int s = static_cast<int>(checkpoints.size()) - 1; s >= 0; --s) {
            const int from = s * length;
            restoreStates(checkpoints[s]);
            forward(std::min(length, steps - from), true);
            backward(std::min(length, steps - from), from, outputGradients);
        }
        return loss;
    }
};

BpttTrainer::BpttTrainer(BuiltModel model, int minibatchSize) : model_(std::move(model)), minibatch_(minibatchSize) {
    if (minibatchSize < 1) throw Error("minibatch size must be at least 1", {}, {}, "minibatch_size");
}

BpttTrainer::~BpttTrainer() = default;

std::vector<ParameterArray> BpttTrainer::parameters() const {
    std::vector<ParameterArray> out;
    for (const auto& s : trainableSlots(model_)) out.push_back({s.objectId, s.name, parameterValue(s, model_)});
    return out;
}

void BpttTrainer::setParameters(const std::vector<ParameterArray>& parameters) {
    const auto current = this->parameters();
    if (parameters.size() != current.size()) throw Error("parameter count differs from the model's");
    for (size_t i = 0; i < parameters.size(); ++i) {
        const auto& p = parameters[i];
        if (p.objectId != current[i].objectId || p.name != current[i].name ||
            p.value.rows() != current[i].value.rows() || p.value.cols() != current[i].value.cols())
            throw Error("parameter does not match the model", {}, p.objectId, p.name);
    }
    const auto slots = trainableSlots(model_);
    for (size_t i = 0; i < parameters.size(); ++i) setParameterValue(slots[i], model_, parameters[i].value);
}

double BpttTrainer::gradients(const TrainingData& batch, const std::vector<ObjectiveTerm>& objectives,
                              const TrainOptions& options, std::vector<Matrix>& gradients) {
    return options.precision == Precision::Float32 ? gradientsIn<float>(batch, objectives, options, gradients)
                                                   : gradientsIn<double>(batch, objectives, options, gradients);
}

template <class T>
double BpttTrainer::gradientsIn(const TrainingData& batch, const std::vector<ObjectiveTerm>& objectives,
                                const TrainOptions& options, std::vector<Matrix>& gradients) {
    validateTrainingData(model_, batch, objectives, minibatch_);
    if (batch.sequences() != minibatch_) throw Error("gradients() takes exactly one minibatch of sequences");
    Engine<T> e(model_, minibatch_, options);
    e.indexSlots();
    std::vector<int> rows(minibatch_);
    std::iota(rows.begin(), rows.end(), 0);
    e.loadBatch(batch, rows);
    e.pushParameters();
    e.zeroGradients();
    double loss = 0.0;
    const int steps = batch.steps();
    if (options.checkpointing) {
        loss = e.checkpointed(batch, rows, objectives, steps);
    } else {
        const int length = options.truncation > 0 ? options.truncation : steps;
        for (int from = 0; from < steps; from += length) loss += e.segment(batch, rows, objectives, from, std::min(length, steps - from));
    }
    gradients = e.gradients();
    return loss;
}

namespace {

std::vector<int> epochOrder(const TrainOptions& options, int epoch, int n, Rng& rng) {
    if (!options.order.empty()) {
        const auto& o = options.order[epoch % options.order.size()];
        if (static_cast<int>(o.size()) != n) throw Error("an explicit epoch order must list every sequence once");
        return o;
    }
    std::vector<int> order(n);
    std::iota(order.begin(), order.end(), 0);
    if (options.shuffle)
        for (int i = n - 1; i > 0; --i) std::swap(order[i], order[static_cast<int>(rng.uniform() * (i + 1))]);
    return order;
}

}  // namespace

TrainingSummary BpttTrainer::train(const TrainingData& data, const OptimizerSettings& optimizerSettings,
                                   const std::vector<ObjectiveTerm>& objectives, const TrainOptions& options,
                                   const TrainCallbacks& callbacks) {
    return options.precision == Precision::Float32 ? trainIn<float>(data, optimizerSettings, objectives, options, callbacks)
                                                   : trainIn<double>(data, optimizerSettings, objectives, options, callbacks);
}

template <class T>
TrainingSummary BpttTrainer::trainIn(const TrainingData& data, const OptimizerSettings& optimizerSettings,
                                     const std::vector<ObjectiveTerm>& objectives, const TrainOptions& options,
                                     const TrainCallbacks& callbacks) {
    validateTrainingData(model_, data, objectives, minibatch_);
    if (options.epochs < 1) throw Error("epochs must be at least 1", {}, {}, "epochs");
    cancel_ = false;
    const auto start = Clock::now();
    TrainingSummary summary;
    summary.label = calls_ == 0 ? options.label : options.label + "_" + std::to_string(calls_);
    ++calls_;

    Engine<T> e(model_, minibatch_, options);
    e.indexSlots();
    std::vector<std::string> optimized;
    for (const auto& slot : e.slots) optimized.push_back(slot.objectId + "/" + slot.name);
    // Taken out while training: a call that throws leaves no half-updated state behind.
    Optimizer optimizer = optimizer_ && optimizer_->settings() == optimizerSettings && optimizedParameters_ == optimized
                              ? std::move(*optimizer_)
                              : Optimizer(optimizerSettings);
    optimizer_.reset();
    // A call that continues an optimiser shuffles on from where it stands,
    // as a second fit() draws new orders, instead of replaying the first
    // call's epochs; a fresh start keeps the orders its seed has always given.
    Rng rng(Rng::mix(options.seed, 0x5eed ^ static_cast<uint64_t>(optimizer.steps())));
    const int n = data.sequences(), steps = data.steps();
    const long batches = n / minibatch_;
    const int length = options.truncation > 0 && !options.checkpointing ? options.truncation : steps;
    const long stepsPerEpoch = batches * ((steps + length - 1) / length);

    auto sampleDistributions = [&](long step) {
        for (const std::string& id : options.summaries) {
            const bool neurons = id.size() > 8 && id.compare(id.size() - 8, 8, ".neurons") == 0;
            const std::string object = neurons ? id.substr(0, id.size() - 8) : id;
            if (const int ei = model_.ensembleIndex(object); ei >= 0) {
                const auto& ens = model_.ensembles[ei];
                const Matrix values = neurons ? Matrix(ens.bias) : ens.scaledEncoders;
                summary.distributions[object + (neurons ? "/bias" : "/encoders")].push_back(
                    describeDistribution(values, step, options.histogramBins));
            } else if (const int ci = model_.connectionIndex(object); ci >= 0) {
                summary.distributions[object + "/weights"].push_back(
                    describeDistribution(model_.connections[ci].weights, step, options.histogramBins));
            } else {
                throw Error("no ensemble, neurons or connection with this id", {}, id, "summaries");
            }
        }
        if (callbacks.summary) callbacks.summary(summary);
    };
    sampleDistributions(0);

    // The optimiser works on copies of the parameters; they go back into the
    // model only when the whole update is finite.
    std::vector<Matrix> values;
    std::vector<Matrix*> parameters;
    for (const auto& slot : e.slots) values.push_back(parameterValue(slot, model_));
    for (Matrix& v : values) parameters.push_back(&v);

    long step = 0;
    for (int epoch = 0; epoch < options.epochs && !cancel_; ++epoch) {
        const std::vector<int> order = epochOrder(options, epoch, n, rng);
        double epochTotal = 0.0;
        long epochSteps = 0;
        for (long b = 0; b < batches && !cancel_; ++b) {
            const std::vector<int> rows(order.begin() + b * minibatch_, order.begin() + (b + 1) * minibatch_);
            e.loadBatch(data, rows);
            for (int from = 0; from < steps && !cancel_; from += length) {
                while (paused_ && !cancel_) std::this_thread::sleep_for(std::chrono::milliseconds(20));
                if (cancel_) break;
                e.pushParameters();
                e.zeroGradients();
                const double loss = options.checkpointing ? e.checkpointed(data, rows, objectives, steps)
                                                          : e.segment(data, rows, objectives, from, std::min(length, steps - from));
                const std::vector<Matrix> gradients = e.gradients();
                const bool finite = std::isfinite(loss) && std::all_of(gradients.begin(), gradients.end(), allFinite);
                if (!finite)
                    throw Error("training stopped at epoch " + std::to_string(epoch + 1) + ", step " +
                                std::to_string(epochSteps + 1) + ": the " + (std::isfinite(loss) ? "gradient" : "loss") +
                                " is not finite; the parameters are those after the last good step");
                const auto update = Clock::now();
                std::vector<const Matrix*> gradientPointers;
                for (const Matrix& g : gradients) gradientPointers.push_back(&g);
                optimizer.step(parameters, gradientPointers);
                if (!std::all_of(values.begin(), values.end(), allFinite))
                    throw Error("training stopped at epoch " + std::to_string(epoch + 1) + ", step " +
                                std::to_string(epochSteps + 1) +
                                ": an update made a parameter non-finite; the parameters are those after the last good step");
                for (size_t s = 0; s < e.slots.size(); ++s) setParameterValue(e.slots[s], model_, values[s]);
                e.profile["optimizer"] += secondsSince(update);
                ++step;
                ++epochSteps;
                epochTotal += loss;
                summary.stepLoss.push_back(loss);
                if (options.summaryEvery > 0 && step % options.summaryEvery == 0) sampleDistributions(step);
                if (callbacks.progress)
                    callbacks.progress({epoch + 1, options.epochs, epochSteps, stepsPerEpoch, loss, secondsSince(start)});
            }
        }
        if (epochSteps == stepsPerEpoch) summary.epochLoss.push_back(epochTotal / static_cast<double>(epochSteps));
    }
    if (options.profile) {
        summary.profile = e.profile;
        summary.profile["total"] = secondsSince(start);
        for (OperatorKind kind : operatorKindsOf(model_)) {
            summary.operatorProfile["forward"][operatorKindName(kind)] = e.forwardTimes[kind];
            summary.operatorProfile["backward"][operatorKindName(kind)] = e.backwardTimes[kind];
        }
    }
    optimizer_ = std::move(optimizer);
    optimizedParameters_ = std::move(optimized);
    return summary;
}

void BpttTrainer::continueOptimizerOf(const BpttTrainer& previous) {
    optimizer_ = previous.optimizer_;
    optimizedParameters_ = previous.optimizedParameters_;
}

std::vector<double> BpttTrainer::loss(const TrainingData& data, const std::vector<ObjectiveTerm>& objectives,
                                      const TrainOptions& options) {
    return options.precision == Precision::Float32 ? lossIn<float>(data, objectives, options)
                                                   : lossIn<double>(data, objectives, options);
}

template <class T>
std::vector<double> BpttTrainer::lossIn(const TrainingData& data, const std::vector<ObjectiveTerm>& objectives,
                                        const TrainOptions& options) {
    validateTrainingData(model_, data, objectives, minibatch_);
    Engine<T> e(model_, minibatch_, options);
    std::vector<double> totals(objectives.size() + 1, 0.0);
    const int n = data.sequences(), steps = data.steps();
    for (int b = 0; b < n / minibatch_; ++b) {
        std::vector<int> rows(minibatch_);
        std::iota(rows.begin(), rows.end(), b * minibatch_);
        e.loadBatch(data, rows);
        e.forward(steps, false);
        std::map<int, Tensor3> unused;
        std::vector<double> perTerm;
        e.objective(data, rows, objectives, 0, steps, unused, &perTerm);
        for (size_t t = 0; t < perTerm.size(); ++t) {
            totals[t + 1] += perTerm[t];
            totals[0] += perTerm[t];
        }
    }
    for (double& v : totals) v /= static_cast<double>(n / minibatch_);
    return totals;
}

std::map<std::string, Tensor3> BpttTrainer::predict(const TrainingData& data, const TrainOptions& options) {
    return options.precision == Precision::Float32 ? predictIn<float>(data, options) : predictIn<double>(data, options);
}

template <class T>
std::map<std::string, Tensor3> BpttTrainer::predictIn(const TrainingData& data, const TrainOptions& options) {
    validateInputs(model_, data, minibatch_);
    const int n = data.sequences(), steps = data.steps();
    Engine<T> e(model_, minibatch_, options);
    std::map<std::string, Tensor3> out;
    for (int b = 0; b < n / minibatch_; ++b) {
        std::vector<int> rows(minibatch_);
        std::iota(rows.begin(), rows.end(), b * minibatch_);
        e.loadBatch(data, rows);
        e.forward(steps, false);
        for (size_t p = 0; p < model_.probes.size(); ++p) {
            const long samples = e.lanes.front().sim->probe(static_cast<int>(p)).samples();
            const Tensor3 outputs = e.probeOutputs(static_cast<int>(p), static_cast<int>(samples));
            const BuiltProbe& probe = model_.probes[p];
            auto [it, fresh] = out.try_emplace(probe.id, n, outputs.steps, outputs.size);
            for (int i = 0; i < minibatch_; ++i)
                for (int k = 0; k < outputs.steps; ++k)
                    for (int j = 0; j < outputs.size; ++j) it->second.at(rows[i], k, j) = outputs.at(i, k, j);
        }
    }
    return out;
}

}  // namespace core
