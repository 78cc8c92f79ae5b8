#include "build/builder.h"

#include "build/decoder_cache.h"
#include "build/evaluation_order.h"
#include "common/error.h"
#include "common/expression.h"

#include <tbb/parallel_for.h>

#include <algorithm>
#include <exception>
#include <limits>
#include <map>
#include <set>
#include <type_traits>

namespace core {

namespace {
template <class Objects>
int indexOf(const Objects& objects, const std::string& id) {
    for (size_t i = 0; i < objects.size(); ++i)
        if (objects[i].id == id) return static_cast<int>(i);
    return -1;
}
}  // namespace

int BuiltModel::probeIndex(const std::string& id) const { return indexOf(probes, id); }
int BuiltModel::nodeIndex(const std::string& id) const { return indexOf(nodes, id); }
int BuiltModel::ensembleIndex(const std::string& id) const { return indexOf(ensembles, id); }
int BuiltModel::connectionIndex(const std::string& id) const { return indexOf(connections, id); }

int defaultEvalPointCount(int nNeurons, int dimensions) {
    // In 64 bits: sizes come from files, and 500 d overflows an int from d = 4.3 million.
    const long long count = std::max(std::clamp(500LL * dimensions, 750LL, 2500LL), 2LL * nNeurons);
    return static_cast<int>(std::min<long long>(count, std::numeric_limits<int>::max()));
}

Matrix ensembleActivities(const BuiltEnsemble& ensemble, const Matrix& points) {
    // Nengo divides the encoders by the radius before the product (README 6.2).
    const Matrix x = points * (ensemble.encoders.transpose() / ensemble.radius);
    Matrix rates(x.rows(), x.cols());
    std::visit(
        [&](const auto& neurons) {
            // A rate costs a transcendental function per point: neurons in parallel,
            // each neuron's points through the type's rate kernel at once.
            tbb::parallel_for(Eigen::Index(0), x.cols(), [&](Eigen::Index j) {
                const Vector currents = ensemble.gain[j] * x.col(j).array() + ensemble.bias[j];
                ratesOf(neurons, currents.data(), rates.col(j).data(), static_cast<std::size_t>(x.rows()));
            });
        },
        ensemble.neuronType);
    return rates;
}

namespace {

std::string objectName(const std::string& id, const std::string& label) {
    return label.empty() || label == id ? id : label + " (id " + id + ")";
}

// Runs f; an Error it throws is re-raised naming the object and field.
template <class F>
auto inField(const std::string& object, const std::string& field, F&& f) -> decltype(f()) {
    try {
        return f();
    } catch (const Error& e) {
        throw Error(e.message(), e.file(), e.object().empty() ? object : e.object(),
                    e.field().empty() ? field : e.field());
    }
}

uint64_t hashId(const std::string& s) {
    uint64_t h = 1469598103934665603ull;  // FNV-1a
    for (unsigned char c : s) h = (h ^ c) * 1099511628211ull;
    return h;
}

Matrix selectColumns(const Matrix& m, const std::vector<int>& idx) {
    if (idx.empty()) return m;
    Matrix out(m.rows(), static_cast<Eigen::Index>(idx.size()));
    for (size_t i = 0; i < idx.size(); ++i) out.col(static_cast<Eigen::Index>(i)) = m.col(idx[i]);
    return out;
}

Matrix selectRows(const Matrix& m, const std::vector<int>& idx) {
    if (idx.empty()) return m;
    Matrix out(static_cast<Eigen::Index>(idx.size()), m.cols());
    for (size_t i = 0; i < idx.size(); ++i) out.row(static_cast<Eigen::Index>(i)) = m.row(idx[i]);
    return out;
}

std::vector<int> checkedSlice(const Slice& slice, int size, bool allowRepeats) {
    if (!slice) return {};
    std::set<int> seen;
    for (int i : *slice) {
        if (i < 0 || i >= size)
            throw Error("index " + std::to_string(i) + " is out of range for a vector of size " + std::to_string(size));
        if (!allowRepeats && !seen.insert(i).second) throw Error("index " + std::to_string(i) + " is repeated");
    }
    if (slice->empty()) throw Error("slice selects nothing");
    return *slice;
}

int sliceLength(const std::vector<int>& idx, int size) { return idx.empty() ? size : static_cast<int>(idx.size()); }

// Sizes come from project files: a matrix larger than this (about 7000 x 7000,
// 400 MB) is refused before it is allocated, not left to exhaust memory.
constexpr double maxMatrixValues = 5e7;

void requireBuildable(double rows, double cols) {
    if (rows * cols > maxMatrixValues)
        throw Error("needs a " + std::to_string(static_cast<long long>(rows)) + " x " +
                    std::to_string(static_cast<long long>(cols)) + " matrix, more than the " +
                    std::to_string(static_cast<long long>(maxMatrixValues)) + " values a build allows");
}

Matrix transformMatrix(const Transform& t, int sizeMid) {
    return std::visit(
        [&](const auto& v) -> Matrix {
            using T = std::decay_t<decltype(v)>;
            if constexpr (!std::is_same_v<T, Table>) requireBuildable(sizeMid, sizeMid);
            if constexpr (std::is_same_v<T, double>) {
                return v * Matrix::Identity(sizeMid, sizeMid);
            } else if constexpr (std::is_same_v<T, std::vector<double>>) {
                if (static_cast<int>(v.size()) != sizeMid)
                    throw Error("diagonal transform has " + std::to_string(v.size()) + " entries, expected " +
                                std::to_string(sizeMid));
                return Eigen::Map<const Vector>(v.data(), sizeMid).asDiagonal();
            } else {
                if (v.cols != sizeMid)
                    throw Error("transform matrix has " + std::to_string(v.cols) + " columns, expected " +
                                std::to_string(sizeMid));
                if (v.rows <= 0) throw Error("transform matrix has no rows");
                return v.toMatrix();
            }
        },
        t);
}

struct FlatNetwork {
    std::vector<const Node*> nodes;
    std::vector<const Ensemble*> ensembles;
    std::vector<const Connection*> connections;
    std::vector<const Probe*> probes;
};

void flatten(const Network& net, FlatNetwork& flat) {
    for (const auto& n : net.nodes) flat.nodes.push_back(&n);
    for (const auto& e : net.ensembles) flat.ensembles.push_back(&e);
    for (const auto& c : net.connections) flat.connections.push_back(&c);
    for (const auto& p : net.probes) flat.probes.push_back(&p);
    for (const auto& sub : net.subnetworks) flatten(sub, flat);
}

class Builder {
public:
    // With `problems`, a check: every object's errors are collected (objects
    // that depend on a broken one are skipped, not blamed) and no decoders are
    // solved, so an editor can check a network as the user types.
    Builder(const Network& network, const BuildOptions& options, std::vector<BuildProblem>* problems = nullptr)
        : network_(network), options_(options), problems_(problems) {
        if (!(options.dt > 0.0)) throw Error("dt must be positive", {}, {}, "dt");
        model_.dt = options.dt;
        seed_ = options.seed ? *options.seed : network.seed.value_or(0);
        flatten(network, flat_);
        indexIds();
    }

    BuiltModel run() {
        for (const Node* n : flat_.nodes)
            model_.nodes.push_back(checked(*n, [&] { return buildNode(*n); }, [&] { return placeholder(*n); }));
        for (const Ensemble* e : flat_.ensembles)
            model_.ensembles.push_back(checked(*e, [&] { return buildEnsemble(*e); }, [&] { return placeholder(*e); }));
        model_.connections = buildEach(flat_.connections, [&](const Connection& c) { return buildConnection(c); });
        for (size_t i = 0; i < flat_.connections.size(); ++i) {
            const Connection& c = *flat_.connections[i];
            checked(c, [&] { attachLearning(c, i); }, [] {});
        }
        for (size_t i = 0; i < flat_.connections.size(); ++i) {
            const Connection& c = *flat_.connections[i];
            checked(c, [&] { attachErrorTarget(c, i); }, [] {});
        }
        model_.probes = buildEach(flat_.probes, [&](const Probe& p) { return buildProbe(p); });
        if (!problems_) {
            orderEvaluation();
        } else if (problems_->empty()) {
            try {
                orderEvaluation();
            } catch (const Error& e) {
                problems_->push_back({{}, e});
            }
        }
        return std::move(model_);
    }

private:
    enum class Kind { Node, Ensemble, Connection, Probe };

    // In a check, runs f for `object` and records its error; an object that
    // depends on a broken one is skipped. Either way `fallback` stands in.
    template <class Object, class F, class Fallback>
    auto checked(const Object& object, F&& f, Fallback&& fallback) -> decltype(f()) {
        if (!problems_) return f();
        if (dependsOnBroken(object)) {
            broken_.insert(object.id);
            return fallback();
        }
        try {
            return f();
        } catch (const Error& e) {
            problems_->push_back({object.id, e});
            broken_.insert(object.id);
            return fallback();
        }
    }

    bool dependsOnBroken(const Node& n) const { return broken_.count(n.id) > 0; }
    bool dependsOnBroken(const Ensemble& e) const { return broken_.count(e.id) > 0; }
    bool dependsOnBroken(const Connection& c) const {
        return broken_.count(c.id) || broken_.count(c.pre.id) || broken_.count(c.post.id);
    }
    bool dependsOnBroken(const Probe& p) const { return broken_.count(p.id) || broken_.count(p.target.id); }

    // Stand-ins for broken objects in a check: right ids and sizes, no values.
    static BuiltNode placeholder(const Node& n) {
        return BuiltNode{n.id, n.label, std::max(n.sizeIn, 0), std::max(n.sizeOut, 0), n.output};
    }
    static BuiltEnsemble placeholder(const Ensemble& e) {
        BuiltEnsemble b;
        b.id = e.id;
        b.label = e.label;
        return b;
    }
    static BuiltConnection placeholder(const Connection& c) {
        BuiltConnection b;
        b.id = c.id;
        b.label = c.label;
        return b;
    }
    static BuiltProbe placeholder(const Probe& p) {
        BuiltProbe b;
        b.id = p.id;
        b.label = p.label;
        return b;
    }

    // Connections and probes build independently of each other (their decoder
    // solves are most of a build), so TBB's threads share them. The error
    // reported is the first in model order, as in a serial build. A check has
    // no solves and records into shared lists: it goes in order.
    template <class Described, class BuildOne>
    std::vector<std::invoke_result_t<BuildOne, const Described&>> buildEach(const std::vector<const Described*>& objects,
                                                                            BuildOne buildOne) {
        std::vector<std::invoke_result_t<BuildOne, const Described&>> built(objects.size());
        if (problems_) {
            for (size_t i = 0; i < objects.size(); ++i) {
                const Described& o = *objects[i];
                built[i] = checked(o, [&] { return buildOne(o); }, [&] { return placeholder(o); });
            }
            return built;
        }
        std::vector<std::exception_ptr> errors(objects.size());
        tbb::parallel_for(size_t(0), objects.size(), [&](size_t i) {
            try {
                built[i] = buildOne(*objects[i]);
            } catch (...) {
                errors[i] = std::current_exception();
            }
        });
        for (const auto& e : errors)
            if (e) std::rethrow_exception(e);
        return built;
    }

    void indexIds() {
        auto add = [&](const std::string& id, const std::string& label, Kind k, int i) {
            std::optional<Error> error;
            if (id.empty())
                error = Error("object has an empty id", {}, label, "id");
            else if (!ids_.emplace(id, std::make_pair(k, i)).second)
                error = Error("id is used by more than one object", {}, objectName(id, label), "id");
            if (error && !problems_) throw *error;
            if (error) problems_->push_back({id, *error});
        };
        for (size_t i = 0; i < flat_.nodes.size(); ++i)
            add(flat_.nodes[i]->id, flat_.nodes[i]->label, Kind::Node, static_cast<int>(i));
        for (size_t i = 0; i < flat_.ensembles.size(); ++i)
            add(flat_.ensembles[i]->id, flat_.ensembles[i]->label, Kind::Ensemble, static_cast<int>(i));
        for (size_t i = 0; i < flat_.connections.size(); ++i)
            add(flat_.connections[i]->id, flat_.connections[i]->label, Kind::Connection, static_cast<int>(i));
        for (size_t i = 0; i < flat_.probes.size(); ++i)
            add(flat_.probes[i]->id, flat_.probes[i]->label, Kind::Probe, static_cast<int>(i));
    }

    int lookup(const std::string& id, Kind kind, const std::string& object, const std::string& field) const {
        auto it = ids_.find(id);
        if (it == ids_.end()) throw Error("refers to '" + id + "', which does not exist", {}, object, field);
        if (it->second.first != kind) throw Error("'" + id + "' is not an object of the expected kind", {}, object, field);
        return it->second.second;
    }

    BuiltNode buildNode(const Node& n) {
        const std::string name = objectName(n.id, n.label);
        if (n.sizeOut < 0 || n.sizeIn < 0) throw Error("sizes must not be negative", {}, name, "size_out");
        if (n.isPassthrough()) {
            if (n.sizeIn <= 0) throw Error("a passthrough node needs size_in > 0", {}, name, "size_in");
            if (n.sizeOut != n.sizeIn) throw Error("a passthrough node has size_out == size_in", {}, name, "size_out");
        } else {
            if (n.sizeIn != 0) throw Error("a node with an output function takes no input (size_in 0)", {}, name, "size_in");
            if (n.sizeOut <= 0) throw Error("a node needs size_out > 0", {}, name, "size_out");
            inField(name, "output", [&] { checkNodeOutput(n); });
        }
        return BuiltNode{n.id, n.label, n.sizeIn, n.sizeOut, n.output};
    }

    static void checkNodeOutput(const Node& n) {
        if (auto c = std::get_if<ConstantOutput>(&n.output); c && static_cast<int>(c->value.size()) != n.sizeOut)
            throw Error("constant has " + std::to_string(c->value.size()) + " values, size_out is " +
                        std::to_string(n.sizeOut));
        if (auto p = std::get_if<Piecewise>(&n.output)) {
            if (p->values.rows != static_cast<int>(p->times.size()) || p->values.cols != n.sizeOut)
                throw Error("piecewise values must be (times x size_out)");
            if (!std::is_sorted(p->times.begin(), p->times.end())) throw Error("piecewise times must be increasing");
        }
        if (auto d = std::get_if<DataOutput>(&n.output)) {
            if (d->rows.rows <= 0 || d->rows.cols != n.sizeOut)
                throw Error("data has " + std::to_string(d->rows.cols) + " columns, size_out is " +
                            std::to_string(n.sizeOut));
            if (d->presentationTime < 0.0) throw Error("presentation time must not be negative");
        }
        if (auto e = std::get_if<ExpressionOutput>(&n.output)) {
            if (static_cast<int>(e->expressions.size()) != n.sizeOut)
                throw Error(std::to_string(e->expressions.size()) + " expressions for size_out " +
                            std::to_string(n.sizeOut));
            ExpressionVector parsed(e->expressions, {"t"});  // throws on a syntax error
        }
        if (auto w = std::get_if<WhiteNoise>(&n.output); w && !(w->period > 0.0 && w->high > 0.0 && w->rms >= 0.0))
            throw Error("white noise needs period > 0, high > 0 and rms >= 0");
    }

    BuiltEnsemble buildEnsemble(const Ensemble& e) {
        const std::string name = objectName(e.id, e.label);
        if (e.nNeurons <= 0) throw Error("an ensemble needs at least one neuron", {}, name, "n_neurons");
        if (e.dimensions <= 0) throw Error("an ensemble needs at least one dimension", {}, name, "dimensions");
        if (!(e.radius > 0.0)) throw Error("radius must be positive", {}, name, "radius");
        BuiltEnsemble b;
        b.id = e.id;
        b.label = e.label;
        b.nNeurons = e.nNeurons;
        b.dimensions = e.dimensions;
        b.radius = e.radius;
        b.neuronType = e.neuronType;
        b.trainable = e.trainable;
        const uint64_t seed = e.seed ? *e.seed : Rng::mix(seed_, hashId(e.id));
        const int n = e.nNeurons, d = e.dimensions;
        inField(name, "n_neurons", [&] { requireBuildable(n, d); });

        Rng encoderRng(Rng::mix(seed, 1));
        b.encoders = inField(name, "encoders", [&] { return sampleVectors(e.encoders, n, d, encoderRng); });
        if (e.normalizeEncoders) {
            for (int i = 0; i < n; ++i) {
                const double norm = b.encoders.row(i).norm();
                if (norm == 0.0) throw Error("encoder " + std::to_string(i) + " is zero", {}, name, "encoders");
                b.encoders.row(i) /= norm;
            }
        }
        if (e.gain || e.bias) {
            if (!e.gain || !e.bias) throw Error("give both gain and bias, or neither", {}, name, e.gain ? "bias" : "gain");
            if (static_cast<int>(e.gain->size()) != n) throw Error("needs one gain per neuron", {}, name, "gain");
            if (static_cast<int>(e.bias->size()) != n) throw Error("needs one bias per neuron", {}, name, "bias");
            b.gain = Eigen::Map<const Vector>(e.gain->data(), n);
            b.bias = Eigen::Map<const Vector>(e.bias->data(), n);
        } else {
            Rng rateRng(Rng::mix(seed, 2)), interceptRng(Rng::mix(seed, 3));
            const auto rates = inField(name, "max_rates", [&] { return sampleScalars(e.maxRates, n, rateRng); });
            const auto icepts = inField(name, "intercepts", [&] { return sampleScalars(e.intercepts, n, interceptRng); });
            b.maxRates = Eigen::Map<const Vector>(rates.data(), n);
            b.intercepts = Eigen::Map<const Vector>(icepts.data(), n);
            b.gain.resize(n);
            b.bias.resize(n);
            inField(name, "max_rates", [&] {
                std::visit(
                    [&](const auto& neurons) {
                        for (int i = 0; i < n; ++i) {
                            const GainBias gb = neurons.gainBias(rates[i], icepts[i]);
                            b.gain[i] = gb.gain;
                            b.bias[i] = gb.bias;
                        }
                    },
                    e.neuronType);
            });
        }
        b.scaledEncoders = b.encoders.array().colwise() * (b.gain.array() / e.radius);

        Rng evalRng(Rng::mix(seed, 4));
        if (auto explicitPoints = std::get_if<ExplicitValues>(&e.evalPoints)) {
            if (explicitPoints->values.cols != d || explicitPoints->values.rows <= 0)
                throw Error("eval points must have " + std::to_string(d) + " columns", {}, name, "eval_points");
            b.evalPoints = explicitPoints->values.toMatrix();  // used as given, as Nengo does
        } else {
            const int m = e.nEvalPoints.value_or(defaultEvalPointCount(n, d));
            if (m <= 0) throw Error("needs at least one eval point", {}, name, "n_eval_points");
            inField(name, "n_eval_points", [&] { requireBuildable(m, d); });
            b.evalPoints = inField(name, "eval_points", [&] { return sampleVectors(e.evalPoints, m, d, evalRng); }) *
                           e.radius;
        }
        b.initialVoltage = initialVector(e.initialState.voltage, n, name, "initial_state.voltage");
        b.initialRefractoryTime = initialVector(e.initialState.refractoryTime, n, name, "initial_state.refractory_time");
        return b;
    }

    static Vector initialVector(const std::vector<double>& v, int n, const std::string& name, const std::string& field) {
        if (v.empty()) return Vector::Zero(n);
        if (static_cast<int>(v.size()) != n) throw Error("needs one value per neuron", {}, name, field);
        return Eigen::Map<const Vector>(v.data(), n);
    }

    struct PreInfo {
        Source source;
        int index;
        int size;
        bool decoded;
    };

    PreInfo resolvePre(const Connection& c, const std::string& name) const {
        switch (c.pre.kind) {
            case EndpointKind::Node: {
                const int i = lookup(c.pre.id, Kind::Node, name, "pre");
                return {Source::NodeOutput, i, model_.nodes[i].sizeOut, false};
            }
            case EndpointKind::Ensemble: {
                const int i = lookup(c.pre.id, Kind::Ensemble, name, "pre");
                return {Source::NeuronOutput, i, model_.ensembles[i].dimensions, true};
            }
            case EndpointKind::Neurons: {
                const int i = lookup(c.pre.id, Kind::Ensemble, name, "pre");
                return {Source::NeuronOutput, i, model_.ensembles[i].nNeurons, false};
            }
            default:
                throw Error("a connection starts at a node, an ensemble or an ensemble's neurons", {}, name, "pre");
        }
    }

    BuiltConnection buildConnection(const Connection& c) {
        const std::string name = objectName(c.id, c.label);
        BuiltConnection b;
        b.id = c.id;
        b.label = c.label;
        b.trainable = c.trainable;
        const PreInfo pre = resolvePre(c, name);
        b.source = pre.source;
        b.preIndex = pre.index;
        b.decoded = pre.decoded;
        const auto preSlice = inField(name, "pre_slice", [&] { return checkedSlice(c.preSlice, pre.size, true); });
        const int sizeIn = sliceLength(preSlice, pre.size);
        if (c.function && !pre.decoded)
            throw Error("a function needs an ensemble as pre (it is decoded from the neurons)", {}, name, "function");
        if (c.solver.weights && !(pre.decoded && c.post.kind == EndpointKind::Ensemble))
            throw Error("weights-mode solving needs an ensemble as pre and as post", {}, name, "solver");
        if (!(c.solver.reg >= 0.0)) throw Error("regularisation must not be negative", {}, name, "solver");

        if (c.weights) return withExplicitWeights(c, name, std::move(b), pre, preSlice);
        Matrix targets;
        if (pre.decoded) {
            b.evalPoints = evalPointsFor(c, name, pre);
            targets = inField(name, "function", [&] { return functionTargets(c, b.evalPoints, preSlice); });
        }
        const int sizeMid = pre.decoded ? static_cast<int>(targets.cols()) : sizeIn;
        const Matrix transform = inField(name, "transform", [&] { return transformMatrix(c.transform, sizeMid); });
        const int sizeOut = static_cast<int>(transform.rows());

        if (pre.decoded) {
            inField(name, "transform",
                    [&] { requireBuildable(std::max(sizeMid, sizeOut), model_.ensembles[pre.index].nNeurons); });
            b.targets = targets;
            b.decoders = solveDecoders(c, name, model_.ensembles[pre.index], b.evalPoints, targets);
            b.weights = transform * b.decoders;
        } else {
            b.preIndices = preSlice;
            b.weights = transform;
        }
        if (c.synapse) b.synapse = inField(name, "synapse", [&] { return discretise(*c.synapse, model_.dt); });
        resolvePost(c, name, b, sizeOut);
        return b;
    }

    // A frozen connection: the applied matrix as given (no function, transform or
    // solve): one column per input (every pre neuron when decoded), one row per
    // delivered value (per post neuron in weights mode).
    BuiltConnection withExplicitWeights(const Connection& c, const std::string& name, BuiltConnection b,
                                        const PreInfo& pre, const std::vector<int>& preSlice) {
        const int inputs = pre.decoded ? model_.ensembles[pre.index].nNeurons : sliceLength(preSlice, pre.size);
        if (c.weights->cols != inputs || c.weights->rows <= 0)
            throw Error("weights need " + std::to_string(inputs) + " columns (one per input)", {}, name, "weights");
        b.weights = c.weights->toMatrix();
        if (!pre.decoded) b.preIndices = preSlice;
        if (c.synapse) b.synapse = inField(name, "synapse", [&] { return discretise(*c.synapse, model_.dt); });
        resolvePost(c, name, b, static_cast<int>(b.weights.rows()));
        return b;
    }

    Matrix evalPointsFor(const Connection& c, const std::string& name, const PreInfo& pre) const {
        const BuiltEnsemble& ens = model_.ensembles[pre.index];
        if (!c.evalPoints) return ens.evalPoints;
        if (c.evalPoints->cols != ens.dimensions || c.evalPoints->rows <= 0)
            throw Error("eval points must have " + std::to_string(ens.dimensions) + " columns", {}, name, "eval_points");
        return c.evalPoints->toMatrix();
    }

    static Matrix functionTargets(const Connection& c, const Matrix& evalPoints, const std::vector<int>& preSlice) {
        const Matrix x = selectColumns(evalPoints, preSlice);
        if (!c.function) return x;
        if (auto t = std::get_if<FunctionTargets>(&*c.function)) {
            if (t->targets.rows != x.rows())
                throw Error("targets have " + std::to_string(t->targets.rows) + " rows for " +
                            std::to_string(x.rows()) + " eval points");
            if (t->targets.cols <= 0) throw Error("targets have no columns");
            return t->targets.toMatrix();
        }
        const auto& expressions = std::get<FunctionExpression>(*c.function).expressions;
        if (expressions.empty()) throw Error("function has no expressions");
        std::vector<std::string> names;
        for (Eigen::Index j = 0; j < x.cols(); ++j) names.push_back("x" + std::to_string(j));
        if (x.cols() == 1) names.push_back("x");
        ExpressionVector f(expressions, names);
        Matrix out(x.rows(), static_cast<Eigen::Index>(expressions.size()));
        std::vector<double> args(names.size()), row(expressions.size());
        for (Eigen::Index i = 0; i < x.rows(); ++i) {
            for (Eigen::Index j = 0; j < x.cols(); ++j) args[j] = x(i, j);
            if (x.cols() == 1) args[1] = x(i, 0);
            f.evaluate(args.data(), row.data());
            for (size_t k = 0; k < row.size(); ++k) out(i, static_cast<Eigen::Index>(k)) = row[k];
        }
        return out;
    }

    Matrix solveDecoders(const Connection& c, const std::string& name, const BuiltEnsemble& pre,
                         const Matrix& evalPoints, const Matrix& targets) const {
        if (c.decoders) {
            if (c.decoders->rows != targets.cols() || c.decoders->cols != pre.nNeurons)
                throw Error("decoders must be " + std::to_string(targets.cols()) + "x" + std::to_string(pre.nNeurons),
                            {}, name, "decoders");
            return c.decoders->toMatrix();
        }
        if (problems_) return Matrix::Zero(targets.cols(), pre.nNeurons);
        return inField(name, "solver", [&] { return cachedDecoders(pre, evalPoints, targets, c.solver.reg); });
    }

    void resolvePost(const Connection& c, const std::string& name, BuiltConnection& b, int sizeOut) {
        int postSize = 0;
        switch (c.post.kind) {
            case EndpointKind::Ensemble:
                b.postIndex = lookup(c.post.id, Kind::Ensemble, name, "post");
                postSize = model_.ensembles[b.postIndex].dimensions;
                b.apply = c.solver.weights ? Apply::NeuronInput : Apply::EnsembleInput;
                break;
            case EndpointKind::Node:
                b.postIndex = lookup(c.post.id, Kind::Node, name, "post");
                if (!model_.nodes[b.postIndex].passthrough())
                    throw Error("node '" + c.post.id + "' has an output function and takes no input", {}, name, "post");
                postSize = model_.nodes[b.postIndex].sizeIn;
                b.apply = Apply::NodeInput;
                break;
            case EndpointKind::Neurons:
                b.postIndex = lookup(c.post.id, Kind::Ensemble, name, "post");
                postSize = model_.ensembles[b.postIndex].nNeurons;
                b.apply = Apply::NeuronInputTimesGain;
                break;
            case EndpointKind::LearningRule:
                b.postIndex = lookup(c.post.id, Kind::Connection, name, "post");
                b.apply = Apply::LearningRuleError;
                return;  // sizes are checked once the rule is built (attachErrorTarget)
            default:
                throw Error("a connection ends at a node, an ensemble, its neurons or a learning rule", {}, name, "post");
        }
        b.postIndices = inField(name, "post_slice", [&] { return checkedSlice(c.postSlice, postSize, false); });
        if (b.apply == Apply::NeuronInput && c.weights) {
            // Frozen weights mode: the matrix already drives every post neuron.
            if (sizeOut != model_.ensembles[b.postIndex].nNeurons)
                throw Error("weights-mode weights need one row per post neuron", {}, name, "weights");
            b.postIndices.clear();
            return;
        }
        checkPostSize(name, sizeOut, sliceLength(b.postIndices, postSize));
        if (b.apply == Apply::NeuronInputTimesGain) {
            const Vector& gain = model_.ensembles[b.postIndex].gain;
            b.postGains = b.postIndices.empty() ? Matrix(gain) : selectRows(gain, b.postIndices);
        }
        if (b.apply == Apply::NeuronInput) {
            // Weights mode: fold the post's scaled encoders in; the result drives every post neuron.
            inField(name, "solver",
                    [&] { requireBuildable(model_.ensembles[b.postIndex].nNeurons, b.weights.cols()); });
            b.weights = selectColumns(model_.ensembles[b.postIndex].scaledEncoders, b.postIndices) * b.weights;
            b.postIndices.clear();
        }
    }

    static void checkPostSize(const std::string& name, int sizeOut, int postSize) {
        if (sizeOut != postSize)
            throw Error("delivers " + std::to_string(sizeOut) + " values into " + std::to_string(postSize), {}, name,
                        "transform");
    }

    void attachLearning(const Connection& c, size_t i) {
        if (!c.learningRule) return;
        const std::string name = objectName(c.id, c.label);
        BuiltConnection& b = model_.connections[i];
        if (c.pre.kind == EndpointKind::Node)
            throw Error("PES needs a neural pre (an ensemble or its neurons)", {}, name, "learning_rule");
        if (b.apply == Apply::LearningRuleError)
            throw Error("a connection into a learning rule cannot learn itself", {}, name, "learning_rule");
        BuiltPes& pes = b.pes.emplace();  // in place: a failed build is discarded whole
        pes.learningRate = c.learningRule->learningRate;
        pes.nPre = static_cast<int>(b.weights.cols());
        pes.alpha = (-pes.learningRate * model_.dt) / pes.nPre;
        if (c.learningRule->preSynapse)
            pes.preSynapse = inField(name, "learning_rule.pre_synapse",
                                     [&] { return discretise(*c.learningRule->preSynapse, model_.dt); });
        const BuiltEnsemble* post =
            b.apply == Apply::NeuronInput || b.apply == Apply::NeuronInputTimesGain ? &model_.ensembles[b.postIndex] : nullptr;
        if (b.apply == Apply::NeuronInput) {
            const auto postSlice = c.postSlice.value_or(std::vector<int>{});
            pes.errorEncoders = selectColumns(post->scaledEncoders, postSlice);
            pes.errorSize = static_cast<int>(pes.errorEncoders.cols());
        } else if (b.apply == Apply::NeuronInputTimesGain) {
            pes.errorEncoders = selectRows(post->scaledEncoders, b.postIndices);
            pes.errorSize = post->dimensions;
        } else {
            pes.errorSize = static_cast<int>(b.weights.rows());
        }
    }

    void attachErrorTarget(const Connection& c, size_t i) {
        BuiltConnection& b = model_.connections[i];
        if (b.apply != Apply::LearningRuleError) return;
        const std::string name = objectName(c.id, c.label);
        const BuiltConnection& learned = model_.connections[b.postIndex];
        if (!learned.pes) throw Error("connection '" + c.post.id + "' has no learning rule", {}, name, "post");
        const int errorSize = learned.pes->errorSize;
        b.postIndices = inField(name, "post_slice", [&] { return checkedSlice(c.postSlice, errorSize, false); });
        checkPostSize(name, static_cast<int>(b.weights.rows()), sliceLength(b.postIndices, errorSize));
    }

    BuiltProbe buildProbe(const Probe& p) {
        const std::string name = objectName(p.id, p.label);
        BuiltProbe b;
        b.id = p.id;
        b.label = p.label;
        int fullSize = 0;
        bool sliceable = true;
        auto bad = [&] { return Error("cannot probe this attribute of this target", {}, name, "attr"); };
        switch (p.target.kind) {
            case EndpointKind::Node:
                b.targetIndex = lookup(p.target.id, Kind::Node, name, "target");
                if (p.attribute != ProbeAttribute::Output) throw bad();
                b.signal = ProbedSignal::NodeOutput;
                fullSize = model_.nodes[b.targetIndex].sizeOut;
                break;
            case EndpointKind::Ensemble: {
                b.targetIndex = lookup(p.target.id, Kind::Ensemble, name, "target");
                const BuiltEnsemble& e = model_.ensembles[b.targetIndex];
                fullSize = e.dimensions;
                if (p.attribute == ProbeAttribute::Input) {
                    b.signal = ProbedSignal::EnsembleInput;
                } else if (p.attribute == ProbeAttribute::DecodedOutput || p.attribute == ProbeAttribute::Output) {
                    b.signal = ProbedSignal::DecodedOutput;
                    sliceable = false;
                    b.indices = inField(name, "slice", [&] { return checkedSlice(p.slice, fullSize, true); });
                    b.decoders = probeDecoders(p, name, e, b.indices);
                    fullSize = static_cast<int>(b.decoders.rows());
                } else {
                    throw bad();
                }
                break;
            }
            case EndpointKind::Neurons: {
                b.targetIndex = lookup(p.target.id, Kind::Ensemble, name, "target");
                const BuiltEnsemble& e = model_.ensembles[b.targetIndex];
                fullSize = e.nNeurons;
                switch (p.attribute) {
                    case ProbeAttribute::Output: b.signal = ProbedSignal::NeuronOutput; break;
                    case ProbeAttribute::Input: b.signal = ProbedSignal::NeuronInput; break;
                    case ProbeAttribute::Voltage:
                        if (!hasVoltage(e.neuronType)) throw Error(neuronTypeName(e.neuronType) + " neurons have no voltage", {}, name, "attr");
                        b.signal = ProbedSignal::Voltage;
                        break;
                    case ProbeAttribute::RefractoryTime:
                        if (!hasRefractoryTime(e.neuronType))
                            throw Error(neuronTypeName(e.neuronType) + " neurons have no refractory time", {}, name, "attr");
                        b.signal = ProbedSignal::RefractoryTime;
                        break;
                    default: throw bad();
                }
                break;
            }
            case EndpointKind::Connection: {
                b.targetIndex = lookup(p.target.id, Kind::Connection, name, "target");
                const BuiltConnection& c = model_.connections[b.targetIndex];
                if (p.attribute == ProbeAttribute::Output) {
                    b.signal = ProbedSignal::ConnectionOutput;
                    fullSize = static_cast<int>(c.weights.rows());
                } else if (p.attribute == ProbeAttribute::Weights) {
                    b.signal = ProbedSignal::Weights;
                    sliceable = false;
                    b.rows = static_cast<int>(c.weights.rows());
                    b.cols = static_cast<int>(c.weights.cols());
                } else {
                    throw bad();
                }
                break;
            }
            case EndpointKind::LearningRule: {
                b.targetIndex = lookup(p.target.id, Kind::Connection, name, "target");
                const BuiltConnection& c = model_.connections[b.targetIndex];
                if (!c.pes) throw Error("connection '" + p.target.id + "' has no learning rule", {}, name, "target");
                if (p.attribute == ProbeAttribute::Error) {
                    b.signal = ProbedSignal::PesError;
                    fullSize = c.pes->errorSize;
                } else if (p.attribute == ProbeAttribute::Activities) {
                    b.signal = ProbedSignal::PesActivities;
                    fullSize = c.pes->nPre;
                } else if (p.attribute == ProbeAttribute::Delta) {
                    b.signal = ProbedSignal::PesDelta;
                    sliceable = false;
                    b.rows = static_cast<int>(c.weights.rows());
                    b.cols = static_cast<int>(c.weights.cols());
                } else {
                    throw bad();
                }
                break;
            }
        }
        if (b.rows > 0) {
            if (p.slice) throw Error("a matrix signal cannot be sliced", {}, name, "slice");
            b.size = b.rows * b.cols;
        } else {
            if (sliceable) b.indices = inField(name, "slice", [&] { return checkedSlice(p.slice, fullSize, true); });
            b.size = sliceable ? sliceLength(b.indices, fullSize) : fullSize;
            b.rows = b.size;
            b.cols = 1;
        }
        if (p.synapse) b.synapse = inField(name, "synapse", [&] { return discretise(*p.synapse, model_.dt); });
        if (p.sampleEvery) {
            if (!(*p.sampleEvery > 0.0)) throw Error("sample_every must be positive", {}, name, "sample_every");
            b.samplePeriod = *p.sampleEvery / model_.dt;
        }
        return b;
    }

    Matrix probeDecoders(const Probe& p, const std::string& name, const BuiltEnsemble& e,
                         const std::vector<int>& slice) const {
        const int size = sliceLength(slice, e.dimensions);
        if (p.decoders) {
            if (p.decoders->rows != size || p.decoders->cols != e.nNeurons)
                throw Error("decoders must be " + std::to_string(size) + "x" + std::to_string(e.nNeurons), {}, name,
                            "decoders");
            return p.decoders->toMatrix();
        }
        if (problems_) return Matrix::Zero(size, e.nNeurons);
        return inField(name, "solver", [&] {
            return cachedDecoders(e, e.evalPoints, selectColumns(e.evalPoints, slice), p.solver.reg);
        });
    }

    // Waves flattened: a valid order, and the simulator's parallel grouping.
    void orderEvaluation() {
        for (auto& wave : evaluationWaves(model_))
            model_.order.insert(model_.order.end(), wave.begin(), wave.end());
    }

    const Network& network_;
    BuildOptions options_;
    uint64_t seed_ = 0;
    FlatNetwork flat_;
    std::map<std::string, std::pair<Kind, int>> ids_;
    BuiltModel model_;
    std::vector<BuildProblem>* problems_;
    std::set<std::string> broken_;
};

}  // namespace

BuiltModel build(const Network& network, const BuildOptions& options) { return Builder(network, options).run(); }

std::vector<BuildProblem> checkNetwork(const Network& network, const BuildOptions& options) {
    std::vector<BuildProblem> problems;
    Builder(network, options, &problems).run();
    return problems;
}

}  // namespace core
