#include "build/ensemble_analysis.h"

#include "common/error.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <utility>

namespace core {

namespace {

template <class Net, class F>
void forEachNetwork(Net& network, F&& f) {
    f(network);
    for (auto& sub : network.subnetworks) forEachNetwork(sub, f);
}

// Frozen connections (explicit weights) have no decoders to evaluate.
bool isDecodedFrom(const Connection& c, const std::string& ensembleId) {
    return c.pre.kind == EndpointKind::Ensemble && c.pre.id == ensembleId && !c.weights;
}

// Nengo's size_mid: how many values the function delivers before the transform.
int functionSize(const Connection& c, int preDimensions) {
    if (!c.function) return c.preSlice ? static_cast<int>(c.preSlice->size()) : preDimensions;
    if (auto given = std::get_if<FunctionTargets>(&*c.function)) return given->targets.cols;
    return static_cast<int>(std::get<FunctionExpression>(*c.function).expressions.size());
}

// Decoders depend only on the pre and the function, never on what receives
// them: a passthrough node of the function's size stands in for each post,
// with no transform, slice, synapse or learning rule to build. The network's
// seed is kept because the ensemble's own seed derives from it.
Network ensembleSubnetwork(const Network& network, const Ensemble& ensemble) {
    Network sub;
    sub.id = network.id;
    sub.seed = network.seed;
    sub.ensembles.push_back(ensemble);
    forEachNetwork(network, [&](const Network& net) {
        for (const Connection& c : net.connections) {
            if (!isDecodedFrom(c, ensemble.id)) continue;
            Node post;
            post.id = "stand-in post of " + c.id;
            // At least 1: an empty function is then reported by the connection's own check.
            post.sizeIn = post.sizeOut = std::max(functionSize(c, ensemble.dimensions), 1);
            post.output = PassthroughOutput{};
            Connection decoding = c;
            decoding.post = {post.id, EndpointKind::Node};
            decoding.postSlice.reset();
            decoding.transform = 1.0;
            decoding.solver.weights = false;  // weights mode solves the same decoders
            decoding.synapse.reset();
            decoding.learningRule.reset();
            sub.nodes.push_back(std::move(post));
            sub.connections.push_back(std::move(decoding));
        }
    });
    return sub;
}

std::vector<std::string> expressionsOf(const Connection& c) {
    if (!c.function) return {};
    if (auto f = std::get_if<FunctionExpression>(&*c.function)) return f->expressions;
    return {};
}

}  // namespace

TuningCurves tuningCurves(const BuiltEnsemble& ensemble, int nPoints) {
    const Vector x = Vector::LinSpaced(nPoints, -ensemble.radius, ensemble.radius);
    TuningCurves curves;
    curves.x.assign(x.data(), x.data() + x.size());
    if (ensemble.dimensions == 1) {
        curves.rates = ensembleActivities(ensemble, x);
        return curves;
    }
    // Along a neuron's preferred direction the abscissa is x·e itself: a 1-D
    // view whose encoders are all 1 gives every neuron's curve in one pass.
    BuiltEnsemble alongEncoders = ensemble;
    alongEncoders.dimensions = 1;
    alongEncoders.encoders = Matrix::Ones(ensemble.nNeurons, 1);
    curves.rates = ensembleActivities(alongEncoders, x);
    return curves;
}

DecodingQuality decodingQuality(const BuiltEnsemble& pre, const BuiltConnection& connection) {
    std::vector<Eigen::Index> order(static_cast<size_t>(connection.evalPoints.rows()));
    std::iota(order.begin(), order.end(), Eigen::Index(0));
    std::stable_sort(order.begin(), order.end(), [&](Eigen::Index a, Eigen::Index b) {
        return connection.evalPoints(a, 0) < connection.evalPoints(b, 0);
    });
    DecodingQuality q;
    q.connectionId = connection.id;
    q.connectionLabel = connection.label;
    q.evalPoints = connection.evalPoints(order, Eigen::all);
    q.target = connection.targets(order, Eigen::all);
    q.decoded = ensembleActivities(pre, q.evalPoints) * connection.decoders.transpose();
    q.rmsError = std::sqrt((q.decoded - q.target).squaredNorm() / static_cast<double>(q.target.size()));
    return q;
}

EnsembleAnalysis analyseEnsemble(const Network& network, const std::string& ensembleId, const BuildOptions& options) {
    const Ensemble* ensemble = findEnsemble(network, ensembleId);
    if (!ensemble) throw Error("no ensemble has this id", {}, ensembleId, "ensemble");
    const Network sub = ensembleSubnetwork(network, *ensemble);
    const BuiltModel built = build(sub, options);
    EnsembleAnalysis analysis;
    analysis.ensemble = built.ensembles.front();
    analysis.tuning = tuningCurves(analysis.ensemble);
    for (size_t i = 0; i < built.connections.size(); ++i) {
        DecodingQuality q = decodingQuality(analysis.ensemble, built.connections[i]);
        q.functionExpressions = expressionsOf(sub.connections[i]);
        analysis.decoding.push_back(std::move(q));
    }
    return analysis;
}

const Ensemble* findEnsemble(const Network& network, const std::string& id) {
    const Ensemble* found = nullptr;
    forEachNetwork(network, [&](const Network& net) {
        for (const Ensemble& e : net.ensembles)
            if (!found && e.id == id) found = &e;
    });
    return found;
}

Ensemble* findEnsemble(Network& network, const std::string& id) {
    return const_cast<Ensemble*>(findEnsemble(std::as_const(network), id));
}

}  // namespace core
