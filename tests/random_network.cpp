#include "random_network.h"

#include <algorithm>
#include <numeric>

using namespace core;

namespace {

class Maker {
public:
    explicit Maker(uint64_t seed) : rng_(seed) {}

    Network make() {
        Network net;
        net.id = "root";
        net.label = "random network";
        if (coin()) net.seed = rng_.next() % 1000;
        const int nNodes = 1 + integer(3);
        for (int i = 0; i < nNodes; ++i) net.nodes.push_back(inputNode(i));
        if (coin()) net.nodes.push_back(Node{"pass", "passthrough", 2, 2, PassthroughOutput{}});
        const int nEnsembles = 2 + integer(2);
        for (int i = 0; i < nEnsembles; ++i) net.ensembles.push_back(ensemble(i));
        connect(net);
        probe(net);
        // Move the last ensemble into a subnetwork: ids stay global.
        Network sub;
        sub.id = "sub";
        sub.label = "inner";
        sub.ensembles.push_back(net.ensembles.back());
        net.ensembles.pop_back();
        net.subnetworks.push_back(sub);
        return net;
    }

private:
    bool coin() { return rng_.uniform() < 0.5; }
    int integer(int n) { return static_cast<int>(rng_.uniform() * n); }
    double between(double a, double b) { return a + (b - a) * rng_.uniform(); }

    Table table(int rows, int cols) {
        Table t{rows, cols, {}};
        for (int i = 0; i < rows * cols; ++i) t.values.push_back(between(-1.0, 1.0));
        return t;
    }

    Node inputNode(int i) {
        Node n;
        n.id = "n" + std::to_string(i);
        n.label = "node " + std::to_string(i);
        n.sizeOut = 1 + integer(2);
        switch (integer(8)) {
            case 0: n.output = ConstantOutput{std::vector<double>(n.sizeOut, between(-1, 1))}; break;
            case 1: n.output = SineWave{between(0, 1), between(0.5, 3), between(0, 3), between(-0.2, 0.2)}; break;
            case 2: n.output = SquareWave{between(0, 1), between(0.5, 3), 0.0, 0.0}; break;
            case 3: n.output = StepFunction{between(0, 1), between(-1, 1), between(-1, 1)}; break;
            case 4: n.output = Piecewise{{0.0, 0.3}, table(2, n.sizeOut)}; break;
            case 5: n.output = WhiteNoise{between(1, 5), between(1, 10), between(0.1, 0.5), rng_.next() % 100}; break;
            case 6: n.output = ExpressionOutput{std::vector<std::string>(n.sizeOut, "sin(2*pi*t) * 0.5")}; break;
            default: n.output = DataOutput{table(5, n.sizeOut), coin() ? 0.0 : 0.01}; break;
        }
        return n;
    }

    NeuronType neuronType() {
        switch (integer(6)) {
            case 0: return LifNeurons{between(0.01, 0.03), 0.002, coin() ? 0.0 : -0.5, between(0.5, 1.5)};
            case 1: return LifRateNeurons{0.02, 0.002, 1.0};
            case 2: return RectifiedLinearNeurons{between(0.5, 1.5)};
            case 3: return SpikingRectifiedLinearNeurons{1.0};
            case 4: return SigmoidNeurons{0.0025};
            default: return TanhNeurons{0.0025};
        }
    }

    Ensemble ensemble(int i) {
        Ensemble e;
        e.id = "e" + std::to_string(i);
        e.label = "ensemble " + std::to_string(i);
        e.nNeurons = 8 + integer(12);
        e.dimensions = 1 + integer(2);
        e.radius = between(0.5, 2.0);
        e.neuronType = neuronType();
        const bool sigmoid = std::holds_alternative<SigmoidNeurons>(e.neuronType);
        e.maxRates = sigmoid ? Distribution(Uniform{250, 350, false}) : Distribution(Choice{{100, 150, 200}, {}});
        if (coin()) e.intercepts = ExplicitValues{table(e.nNeurons, 1)};
        if (coin()) e.encoders = ExplicitValues{table(e.nNeurons, e.dimensions)};
        if (coin())
            e.evalPoints = ExplicitValues{table(40, e.dimensions)};
        else
            e.nEvalPoints = 40 + integer(30);
        if (coin()) e.seed = rng_.next() % 100000;
        if (coin()) {
            // Biases above 1 keep every neuron type active somewhere, so decoders can be solved.
            e.gain = std::vector<double>(e.nNeurons, between(1, 3));
            e.bias = std::vector<double>(e.nNeurons, between(1.2, 2));
        }
        if (std::holds_alternative<LifNeurons>(e.neuronType) && coin())
            e.initialState.voltage = std::vector<double>(e.nNeurons, between(0, 0.9));
        e.trainable = coin();
        return e;
    }

    OptionalSynapse synapse() {
        switch (integer(3)) {
            case 0: return std::nullopt;
            case 1: return LowpassSynapse{between(0.002, 0.05)};
            default: return AlphaSynapse{between(0.002, 0.05)};
        }
    }

    std::vector<int> pick(int from, int count) {
        std::vector<int> all(from);
        std::iota(all.begin(), all.end(), 0);
        for (int i = from - 1; i > 0; --i) std::swap(all[i], all[integer(i + 1)]);
        all.resize(count);
        return all;
    }

    void connect(Network& net) {
        const auto& ens = net.ensembles;
        for (const Node& n : net.nodes) {
            if (n.isPassthrough()) continue;
            const Ensemble& post = ens[integer(static_cast<int>(ens.size()))];
            Connection c = base("from_" + n.id, {n.id, EndpointKind::Node}, {post.id, EndpointKind::Ensemble});
            if (n.sizeOut <= post.dimensions && coin()) {
                c.postSlice = pick(post.dimensions, n.sizeOut);
                c.transform = between(-1, 1);
            } else {
                c.transform = table(post.dimensions, n.sizeOut);
            }
            net.connections.push_back(c);
        }
        // Decoded connections, forward only, so loops always have a synapse.
        for (size_t i = 0; i + 1 < ens.size(); ++i) {
            const Ensemble& pre = ens[i];
            const Ensemble& post = ens[i + 1];
            Connection c = base("dec" + std::to_string(i), {pre.id, EndpointKind::Ensemble}, {post.id, EndpointKind::Ensemble});
            c.function = FunctionExpression{{"x0^2"}};
            c.transform = std::vector<double>{between(-1, 1)};
            c.postSlice = std::vector<int>{0};
            if (pre.dimensions > 1 && coin()) c.preSlice = std::vector<int>{1};
            c.solver.reg = between(0.01, 0.2);
            if (coin()) c.solver = {0.1, true};
            if (coin()) c.learningRule = PesRule{between(1e-5, 1e-3), coin() ? OptionalSynapse{} : OptionalSynapse(LowpassSynapse{0.01})};
            net.connections.push_back(c);
            if (c.learningRule) {
                Connection err = base("err" + std::to_string(i), {"n0", EndpointKind::Node}, {c.id, EndpointKind::LearningRule});
                err.preSlice = std::vector<int>{0};
                err.postSlice = std::vector<int>{0};
                net.connections.push_back(err);
                Probe error;
                error.id = "pe" + std::to_string(i);
                error.target = {c.id, EndpointKind::LearningRule};
                error.attribute = ProbeAttribute::Error;
                error.synapse = synapse();
                net.probes.push_back(error);
            }
        }
        // A recurrent decoded connection with explicit decoders, and neuron-to-neuron weights.
        const Ensemble& last = ens.back();
        Connection rec = base("rec", {last.id, EndpointKind::Ensemble}, {last.id, EndpointKind::Ensemble});
        rec.synapse = LowpassSynapse{0.1};
        rec.decoders = table(last.dimensions, last.nNeurons);
        rec.evalPoints = table(30, last.dimensions);
        net.connections.push_back(rec);
        const Ensemble& first = ens.front();
        Connection nn = base("nn", {first.id, EndpointKind::Neurons}, {last.id, EndpointKind::Neurons});
        nn.preSlice = pick(first.nNeurons, 3);
        nn.postSlice = pick(last.nNeurons, 2);
        nn.transform = table(2, 3);
        nn.synapse = LowpassSynapse{0.01};
        net.connections.push_back(nn);
    }

    Connection base(const std::string& id, Endpoint pre, Endpoint post) {
        Connection c;
        c.id = id;
        c.label = coin() ? "" : "connection " + id;
        c.pre = std::move(pre);
        c.post = std::move(post);
        c.synapse = synapse();
        if (!c.synapse && c.pre.id == c.post.id) c.synapse = LowpassSynapse{0.05};
        c.trainable = coin();
        return c;
    }

    void probe(Network& net) {
        const Ensemble& e = net.ensembles.front();
        auto add = [&](const std::string& id, Endpoint target, ProbeAttribute attr, Slice slice = std::nullopt) {
            Probe p{id, coin() ? "" : "probe " + id, std::move(target), attr, std::move(slice), synapse(), {}, {}, {}};
            if (coin()) p.sampleEvery = 0.001 * (1 + integer(5));
            net.probes.push_back(p);
        };
        add("p_node", {net.nodes.front().id, EndpointKind::Node}, ProbeAttribute::Output);
        add("p_dec", {e.id, EndpointKind::Ensemble}, ProbeAttribute::DecodedOutput);
        add("p_in", {e.id, EndpointKind::Ensemble}, ProbeAttribute::Input);
        add("p_spk", {e.id, EndpointKind::Neurons}, ProbeAttribute::Output, pick(e.nNeurons, 4));
        add("p_cur", {e.id, EndpointKind::Neurons}, ProbeAttribute::Input);
        add("p_conn", {"rec", EndpointKind::Connection}, ProbeAttribute::Output);
        add("p_w", {"nn", EndpointKind::Connection}, ProbeAttribute::Weights);
        net.probes.back().synapse = std::nullopt;
    }

    Rng rng_;
};

}  // namespace

Network randomNetwork(uint64_t seed) { return Maker(seed).make(); }
