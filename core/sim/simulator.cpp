#include "sim/simulator.h"

#include "common/error.h"
#include "sim/node_function.h"

#include <cmath>

namespace core {

Matrix ProbeRecord::series(int batch) const {
    Matrix m(samples(), size);
    for (long s = 0; s < samples(); ++s)
        for (int i = 0; i < size; ++i) m(s, i) = at(batch, s, i);
    return m;
}

namespace {

void scatterAdd(Matrix& target, const std::vector<int>& indices, const Matrix& values) {
    if (indices.empty()) {
        target += values;
        return;
    }
    for (Eigen::Index b = 0; b < values.cols(); ++b)
        for (size_t i = 0; i < indices.size(); ++i) target(indices[i], b) += values(static_cast<Eigen::Index>(i), b);
}

void gatherRows(const Matrix& source, const std::vector<int>& indices, Matrix& out) {
    for (Eigen::Index b = 0; b < source.cols(); ++b)
        for (size_t i = 0; i < indices.size(); ++i) out(static_cast<Eigen::Index>(i), b) = source(indices[i], b);
}

Matrix filterState(const std::optional<SynapseFilter>& f, Eigen::Index count) {
    return f ? Matrix::Zero(f->order(), count) : Matrix();
}

}  // namespace

struct Simulator::State {
    struct Node {
        std::unique_ptr<NodeFunction> function;
        std::vector<Matrix> data;  // per stream, when driven by data
        Matrix output;             // size_out x mb
        std::vector<double> scratch;
        std::vector<int> incoming;  // passthrough: connections delivering here
    };
    struct Ensemble {
        Matrix x, j, a, voltage, refractoryTime;
        std::vector<int> decodedInputs, gainedInputs, neuronInputs;
    };
    struct Connection {
        Matrix input;  // gathered input when the connection picks elements
        Matrix u;      // weighted value of this step
        Matrix filter, y, yPrevious;
        std::vector<Matrix> weights;  // learned connections: one matrix per stream
    };
    struct Learning {
        Matrix preFilter, activities, error, projected;  // per stream columns
        std::vector<Matrix> delta, previousDelta;        // per stream
        std::vector<int> errorConnections;
    };
    struct Probe {
        Matrix signal, filter, y;
        std::vector<double> sampleScratch;
    };
    std::vector<Node> nodes;
    std::vector<Ensemble> ensembles;
    std::vector<Connection> connections;
    std::vector<Learning> learning;  // indexed like connections; used where pes is set
    std::vector<Probe> probes;
};

Simulator::Simulator(BuiltModel model, int minibatch) : model_(std::move(model)), minibatch_(minibatch) {
    if (minibatch < 1) throw Error("minibatch size must be at least 1", {}, {}, "minibatch");
    s_ = std::make_unique<State>();
    s_->nodes.resize(model_.nodes.size());
    for (size_t i = 0; i < model_.nodes.size(); ++i) {
        const BuiltNode& n = model_.nodes[i];
        s_->nodes[i].function = makeNodeFunction(n.output, n.sizeOut, model_.dt);
        s_->nodes[i].scratch.resize(n.sizeOut);
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
    }
    s_->probes.resize(model_.probes.size());
    reset();
}

Simulator::~Simulator() = default;

void Simulator::reset() {
    step_ = 0;
    const Eigen::Index mb = minibatch_;
    for (size_t i = 0; i < model_.nodes.size(); ++i) s_->nodes[i].output = Matrix::Zero(model_.nodes[i].sizeOut, mb);
    for (size_t i = 0; i < model_.ensembles.size(); ++i) {
        const BuiltEnsemble& e = model_.ensembles[i];
        auto& st = s_->ensembles[i];
        st.x = Matrix::Zero(e.dimensions, mb);
        st.j = Matrix::Zero(e.nNeurons, mb);
        st.a = Matrix::Zero(e.nNeurons, mb);
        st.voltage = e.initialVoltage.replicate(1, mb);
        st.refractoryTime = e.initialRefractoryTime.replicate(1, mb);
    }
    for (size_t i = 0; i < model_.connections.size(); ++i) {
        const BuiltConnection& c = model_.connections[i];
        auto& st = s_->connections[i];
        const Eigen::Index rows = c.weights.rows();
        st.input = Matrix::Zero(c.preIndices.empty() ? 0 : static_cast<Eigen::Index>(c.preIndices.size()), mb);
        st.u = Matrix::Zero(rows, mb);
        st.filter = filterState(c.synapse, rows * mb);
        st.y = Matrix::Zero(c.synapse ? rows : 0, mb);
        st.yPrevious = st.y;
        if (!c.pes) continue;
        st.weights.assign(mb, c.weights);
        auto& l = s_->learning[i];
        l.preFilter = filterState(c.pes->preSynapse, c.pes->nPre * mb);
        l.activities = Matrix::Zero(c.pes->nPre, mb);
        l.error = Matrix::Zero(c.pes->errorSize, mb);
        l.projected = Matrix::Zero(rows, mb);
        l.delta.assign(mb, Matrix::Zero(rows, c.weights.cols()));
        l.previousDelta = l.delta;
    }
    records_.clear();
    for (size_t i = 0; i < model_.probes.size(); ++i) {
        const BuiltProbe& p = model_.probes[i];
        auto& st = s_->probes[i];
        st.signal = Matrix::Zero(p.size, mb);
        st.filter = filterState(p.synapse, p.size * mb);
        st.y = Matrix::Zero(p.synapse ? p.size : 0, mb);
        records_.push_back(ProbeRecord{p.id, p.label, p.size, p.rows, p.cols, minibatch_, {}, {}});
    }
}

void Simulator::clearProbeData() {
    for (auto& r : records_) {
        r.steps.clear();
        r.values.clear();
    }
}

const ProbeRecord& Simulator::probe(const std::string& id) const {
    const int i = model_.probeIndex(id);
    if (i < 0) throw Error("no probe with this id", {}, id);
    return records_[i];
}

void Simulator::setNodeData(int node, std::vector<Matrix> perStream) {
    const BuiltNode& n = model_.nodes.at(node);
    if (n.passthrough()) throw Error("a passthrough node cannot be driven by data", {}, n.id);
    if (static_cast<int>(perStream.size()) != minibatch_)
        throw Error("needs one data matrix per minibatch stream", {}, n.id);
    for (const auto& m : perStream)
        if (m.cols() != n.sizeOut || m.rows() == 0) throw Error("data must have size_out columns", {}, n.id);
    s_->nodes[node].data = std::move(perStream);
}

void Simulator::clearNodeData(int node) { s_->nodes.at(node).data.clear(); }

const Matrix& Simulator::nodeOutput(int node) const { return s_->nodes.at(node).output; }
const Matrix& Simulator::neuronOutput(int ensemble) const { return s_->ensembles.at(ensemble).a; }
const Matrix& Simulator::weights(int connection, int stream) const {
    const auto& st = s_->connections.at(connection);
    return st.weights.empty() ? model_.connections[connection].weights : st.weights.at(stream);
}

void Simulator::run(long steps) {
    for (long k = 0; k < steps; ++k) step();
}

void Simulator::step() {
    ++step_;
    const double t = static_cast<double>(step_) * model_.dt;
    applyLearnedChanges();
    evaluateInputNodes(t);
    for (const EvaluationItem& item : model_.order) {
        switch (item.kind) {
            case EvaluationItem::Kind::Ensemble: evaluateEnsemble(item.index); break;
            case EvaluationItem::Kind::PassthroughNode: evaluatePassthrough(item.index); break;
            case EvaluationItem::Kind::Connection: evaluateConnection(item.index); break;
        }
    }
    learn();
    updateSynapses();
    recordProbes();
}

// Step 0: the change PES computed in the previous step lands now (README 4.1).
void Simulator::applyLearnedChanges() {
    for (size_t i = 0; i < model_.connections.size(); ++i) {
        if (!model_.connections[i].pes) continue;
        auto& w = s_->connections[i].weights;
        const auto& delta = s_->learning[i].delta;
        for (int b = 0; b < minibatch_; ++b) w[b] += delta[b];
    }
}

void Simulator::evaluateInputNodes(double t) {
    for (size_t i = 0; i < model_.nodes.size(); ++i) {
        auto& st = s_->nodes[i];
        if (!st.data.empty()) {
            for (int b = 0; b < minibatch_; ++b) {
                const Matrix& d = st.data[b];
                st.output.col(b) = d.row((step_ - 1) % d.rows()).transpose();
            }
        } else if (st.function) {
            st.function->evaluate(t, st.scratch.data());
            for (int b = 0; b < minibatch_; ++b)
                st.output.col(b) = Eigen::Map<const Vector>(st.scratch.data(), static_cast<Eigen::Index>(st.scratch.size()));
        }
    }
}

// What connection c delivers during this step: its synapse's output from the
// end of the previous step, or this step's weighted value when it has no synapse.
const Matrix& Simulator::delivered(int c) const {
    const auto& st = s_->connections[c];
    return model_.connections[c].synapse ? st.y : st.u;
}

void Simulator::evaluatePassthrough(int node) {
    auto& st = s_->nodes[node];
    st.output.setZero();
    for (int c : st.incoming) scatterAdd(st.output, model_.connections[c].postIndices, delivered(c));
}

void Simulator::evaluateEnsemble(int index) {
    const BuiltEnsemble& e = model_.ensembles[index];
    auto& st = s_->ensembles[index];
    st.x.setZero();
    for (int c : st.decodedInputs) scatterAdd(st.x, model_.connections[c].postIndices, delivered(c));
    st.j.noalias() = e.scaledEncoders * st.x;
    st.j.colwise() += e.bias;
    for (int c : st.gainedInputs) {
        const BuiltConnection& conn = model_.connections[c];
        const Matrix& d = delivered(c);
        for (Eigen::Index b = 0; b < d.cols(); ++b)
            for (Eigen::Index i = 0; i < d.rows(); ++i) {
                const Eigen::Index row = conn.postIndices.empty() ? i : conn.postIndices[i];
                st.j(row, b) += conn.postGains[i] * d(i, b);
            }
    }
    for (int c : st.neuronInputs) st.j += delivered(c);
    const NeuronStateView state{st.voltage.data(), st.refractoryTime.data()};
    std::visit([&](const auto& neurons) { neurons.step(model_.dt, st.j.data(), st.a.data(), state, st.j.size()); },
               e.neuronType);
}

const Matrix& Simulator::connectionInput(int c) {
    const BuiltConnection& conn = model_.connections[c];
    const Matrix& source = conn.source == Source::NodeOutput ? s_->nodes[conn.preIndex].output
                                                             : s_->ensembles[conn.preIndex].a;
    if (conn.preIndices.empty()) return source;
    Matrix& gathered = s_->connections[c].input;
    gatherRows(source, conn.preIndices, gathered);
    return gathered;
}

void Simulator::evaluateConnection(int c) {
    auto& st = s_->connections[c];
    const Matrix& in = connectionInput(c);
    if (st.weights.empty()) {
        st.u.noalias() = model_.connections[c].weights * in;
        return;
    }
    for (int b = 0; b < minibatch_; ++b) st.u.col(b).noalias() = st.weights[b] * in.col(b);
}

// Step 3b (README 9.2): filtered activities, this step's error, the new change.
void Simulator::learn() {
    for (size_t i = 0; i < model_.connections.size(); ++i) {
        const BuiltConnection& c = model_.connections[i];
        if (!c.pes) continue;
        const BuiltPes& pes = *c.pes;
        auto& l = s_->learning[i];
        const Matrix& in = c.preIndices.empty() ? (c.source == Source::NodeOutput ? s_->nodes[c.preIndex].output
                                                                                  : s_->ensembles[c.preIndex].a)
                                                : s_->connections[i].input;
        if (pes.preSynapse)
            filterStep(*pes.preSynapse, l.preFilter, in.data(), l.activities.data(), in.size());
        else
            l.activities = in;
        l.error.setZero();
        for (int ec : l.errorConnections) scatterAdd(l.error, model_.connections[ec].postIndices, delivered(ec));
        if (pes.errorEncoders.size() > 0)
            l.projected.noalias() = pes.errorEncoders * l.error;
        else
            l.projected = l.error;
        for (int b = 0; b < minibatch_; ++b) {
            std::swap(l.delta[b], l.previousDelta[b]);
            l.delta[b].noalias() = (pes.alpha * l.projected.col(b)) * l.activities.col(b).transpose();
        }
    }
}

// Step 4: every connection synapse takes this step's weighted value. The old
// output stays available as yPrevious for probes that read the value "during" the step.
void Simulator::updateSynapses() {
    for (size_t i = 0; i < model_.connections.size(); ++i) {
        const BuiltConnection& c = model_.connections[i];
        if (!c.synapse) continue;
        auto& st = s_->connections[i];
        std::swap(st.y, st.yPrevious);
        filterStep(*c.synapse, st.filter, st.u.data(), st.y.data(), st.u.size());
    }
}

namespace {

void pick(const Matrix& source, const std::vector<int>& indices, Matrix& out) {
    if (indices.empty())
        out = source;
    else
        gatherRows(source, indices, out);
}

void flattenRowMajor(const Matrix& m, Eigen::Index column, Matrix& out) {
    Eigen::Map<RowMajorMatrix>(out.col(column).data(), m.rows(), m.cols()) = m;
}

}  // namespace

// Step 5 (README 7): an unfiltered probe records the end-of-step value; a
// filtered one records its filter output, then feeds it the value during the step.
void Simulator::recordProbes() {
    for (size_t i = 0; i < model_.probes.size(); ++i) {
        const BuiltProbe& p = model_.probes[i];
        auto& st = s_->probes[i];
        const bool during = p.synapse.has_value();
        switch (p.signal) {
            case ProbedSignal::NodeOutput: pick(s_->nodes[p.targetIndex].output, p.indices, st.signal); break;
            case ProbedSignal::DecodedOutput:
                st.signal.noalias() = p.decoders * s_->ensembles[p.targetIndex].a;
                break;
            case ProbedSignal::EnsembleInput: pick(s_->ensembles[p.targetIndex].x, p.indices, st.signal); break;
            case ProbedSignal::NeuronOutput: pick(s_->ensembles[p.targetIndex].a, p.indices, st.signal); break;
            case ProbedSignal::NeuronInput: pick(s_->ensembles[p.targetIndex].j, p.indices, st.signal); break;
            case ProbedSignal::Voltage: pick(s_->ensembles[p.targetIndex].voltage, p.indices, st.signal); break;
            case ProbedSignal::RefractoryTime:
                pick(s_->ensembles[p.targetIndex].refractoryTime, p.indices, st.signal);
                break;
            case ProbedSignal::ConnectionOutput: {
                const auto& c = s_->connections[p.targetIndex];
                const Matrix& value = !model_.connections[p.targetIndex].synapse ? c.u : during ? c.yPrevious : c.y;
                pick(value, p.indices, st.signal);
                break;
            }
            case ProbedSignal::Weights:
                for (int b = 0; b < minibatch_; ++b) flattenRowMajor(weights(p.targetIndex, b), b, st.signal);
                break;
            case ProbedSignal::PesError: pick(s_->learning[p.targetIndex].error, p.indices, st.signal); break;
            case ProbedSignal::PesActivities:
                pick(s_->learning[p.targetIndex].activities, p.indices, st.signal);
                break;
            case ProbedSignal::PesDelta: {
                const auto& l = s_->learning[p.targetIndex];
                for (int b = 0; b < minibatch_; ++b)
                    flattenRowMajor(during ? l.previousDelta[b] : l.delta[b], b, st.signal);
                break;
            }
        }
        const bool sample = std::fmod(static_cast<double>(step_), p.samplePeriod) < 1.0;
        const Matrix* recorded = &st.signal;
        if (p.synapse) {
            if (sample) st.sampleScratch.assign(st.y.data(), st.y.data() + st.y.size());
            filterStep(*p.synapse, st.filter, st.signal.data(), st.y.data(), st.signal.size());
        }
        if (!sample) continue;
        ProbeRecord& r = records_[i];
        r.steps.push_back(step_);
        if (p.synapse)
            r.values.insert(r.values.end(), st.sampleScratch.begin(), st.sampleScratch.end());
        else
            r.values.insert(r.values.end(), recorded->data(), recorded->data() + recorded->size());
    }
}

}  // namespace core
