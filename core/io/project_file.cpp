// The project file: JSON with a format name and version, keys in a fixed
// order so that files diff well. Optional keys may be left out when written
// by hand (they take Nengo's defaults); unknown keys are errors, so a typo
// never passes silently.
#include "build/builder.h"
#include "common/error.h"
#include "io/atomic_file.h"
#include "io/project.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <regex>
#include <utility>

namespace core {

using Json = nlohmann::ordered_json;

namespace {

const char* formatName = "neuroloom-project";

// ---------------------------------------------------------------- writing

Json tableJson(const Table& t) {
    Json rows = Json::array();
    for (int r = 0; r < t.rows; ++r) {
        Json row = Json::array();
        for (int c = 0; c < t.cols; ++c) row.push_back(t.at(r, c));
        rows.push_back(std::move(row));
    }
    return rows;
}

template <class T>
Json optionalJson(const std::optional<T>& v) {
    return v ? Json(*v) : Json(nullptr);
}

Json sliceJson(const Slice& s) { return s ? Json(*s) : Json(nullptr); }

Json synapseJson(const OptionalSynapse& s) {
    if (!s) return nullptr;
    return std::visit(
        [](const auto& syn) {
            using S = std::decay_t<decltype(syn)>;
            return Json{{"type", std::is_same_v<S, LowpassSynapse> ? "Lowpass" : "Alpha"}, {"tau", syn.tau}};
        },
        *s);
}

Json distributionJson(const Distribution& d) {
    return std::visit(
        [](const auto& v) -> Json {
            using D = std::decay_t<decltype(v)>;
            if constexpr (std::is_same_v<D, Uniform>)
                return {{"type", "Uniform"}, {"low", v.low}, {"high", v.high}, {"integer", v.integer}};
            else if constexpr (std::is_same_v<D, Choice>)
                return {{"type", "Choice"}, {"options", v.options}, {"weights", v.weights}};
            else if constexpr (std::is_same_v<D, UniformHypersphere>)
                return {{"type", "UniformHypersphere"}, {"surface", v.surface}};
            else
                return {{"type", "Explicit"}, {"values", tableJson(v.values)}};
        },
        d);
}

Json neuronTypeJson(const NeuronType& t) {
    return std::visit(
        [](const auto& n) -> Json {
            using N = std::decay_t<decltype(n)>;
            Json j{{"type", n.typeName}};
            if constexpr (std::is_same_v<N, LifNeurons>)
                j.update({{"tau_rc", n.tauRc}, {"tau_ref", n.tauRef}, {"min_voltage", n.minVoltage}, {"amplitude", n.amplitude}});
            else if constexpr (std::is_same_v<N, LifRateNeurons>)
                j.update({{"tau_rc", n.tauRc}, {"tau_ref", n.tauRef}, {"amplitude", n.amplitude}});
            else if constexpr (std::is_same_v<N, RectifiedLinearNeurons> || std::is_same_v<N, SpikingRectifiedLinearNeurons>)
                j["amplitude"] = n.amplitude;
            else
                j["tau_ref"] = n.tauRef;
            return j;
        },
        t);
}

Json nodeOutputJson(const NodeOutput& o) {
    return std::visit(
        [](const auto& v) -> Json {
            using O = std::decay_t<decltype(v)>;
            if constexpr (std::is_same_v<O, ConstantOutput>)
                return {{"type", "constant"}, {"value", v.value}};
            else if constexpr (std::is_same_v<O, SineWave>)
                return {{"type", "sine"}, {"amplitude", v.amplitude}, {"frequency", v.frequency}, {"phase", v.phase}, {"offset", v.offset}};
            else if constexpr (std::is_same_v<O, SquareWave>)
                return {{"type", "square"}, {"amplitude", v.amplitude}, {"frequency", v.frequency}, {"phase", v.phase}, {"offset", v.offset}};
            else if constexpr (std::is_same_v<O, StepFunction>)
                return {{"type", "step"}, {"time", v.time}, {"before", v.before}, {"after", v.after}};
            else if constexpr (std::is_same_v<O, Piecewise>)
                return {{"type", "piecewise"}, {"times", v.times}, {"values", tableJson(v.values)}};
            else if constexpr (std::is_same_v<O, WhiteNoise>)
                return {{"type", "white_noise"}, {"period", v.period}, {"high", v.high}, {"rms", v.rms}, {"seed", v.seed}};
            else if constexpr (std::is_same_v<O, ExpressionOutput>)
                return {{"type", "expression"}, {"expressions", v.expressions}};
            else if constexpr (std::is_same_v<O, DataOutput>)
                return {{"type", "data"}, {"rows", tableJson(v.rows)}, {"presentation_time", v.presentationTime}};
            else
                return {{"type", "passthrough"}};
        },
        o);
}

std::string endpointText(const Endpoint& e) {
    switch (e.kind) {
        case EndpointKind::Neurons: return e.id + ".neurons";
        case EndpointKind::LearningRule: return e.id + ".learning_rule";
        default: return e.id;
    }
}

Json transformJson(const Transform& t) {
    return std::visit(
        [](const auto& v) -> Json {
            using T = std::decay_t<decltype(v)>;
            if constexpr (std::is_same_v<T, Table>)
                return tableJson(v);
            else
                return v;
        },
        t);
}

Json functionJson(const std::optional<ConnectionFunction>& f) {
    if (!f) return nullptr;
    if (auto e = std::get_if<FunctionExpression>(&*f)) return {{"expressions", e->expressions}};
    return {{"targets", tableJson(std::get<FunctionTargets>(*f).targets)}};
}

Json optionalTableJson(const std::optional<Table>& t) { return t ? tableJson(*t) : Json(nullptr); }

const std::pair<ProbeAttribute, const char*> attributeNames[] = {
    {ProbeAttribute::Output, "output"},     {ProbeAttribute::DecodedOutput, "decoded_output"},
    {ProbeAttribute::Input, "input"},       {ProbeAttribute::Voltage, "voltage"},
    {ProbeAttribute::RefractoryTime, "refractory_time"}, {ProbeAttribute::Weights, "weights"},
    {ProbeAttribute::Error, "error"},       {ProbeAttribute::Activities, "activities"},
    {ProbeAttribute::Delta, "delta"}};

Json networkJson(const Network& net) {
    Json j{{"id", net.id}, {"label", net.label}, {"seed", optionalJson(net.seed)}};
    Json nodes = Json::array();
    for (const Node& n : net.nodes)
        nodes.push_back({{"id", n.id}, {"label", n.label}, {"size_in", n.sizeIn}, {"size_out", n.sizeOut},
                         {"output", nodeOutputJson(n.output)}});
    Json ensembles = Json::array();
    for (const Ensemble& e : net.ensembles)
        ensembles.push_back({{"id", e.id}, {"label", e.label}, {"n_neurons", e.nNeurons}, {"dimensions", e.dimensions},
                             {"radius", e.radius}, {"neuron_type", neuronTypeJson(e.neuronType)},
                             {"max_rates", distributionJson(e.maxRates)}, {"intercepts", distributionJson(e.intercepts)},
                             {"encoders", distributionJson(e.encoders)}, {"eval_points", distributionJson(e.evalPoints)},
                             {"n_eval_points", optionalJson(e.nEvalPoints)}, {"normalize_encoders", e.normalizeEncoders},
                             {"seed", optionalJson(e.seed)}, {"gain", optionalJson(e.gain)}, {"bias", optionalJson(e.bias)},
                             {"initial_state", {{"voltage", e.initialState.voltage}, {"refractory_time", e.initialState.refractoryTime}}},
                             {"trainable", e.trainable}});
    Json connections = Json::array();
    for (const Connection& c : net.connections) {
        Json rule = nullptr;
        if (c.learningRule)
            rule = {{"type", "PES"}, {"learning_rate", c.learningRule->learningRate},
                    {"pre_synapse", synapseJson(c.learningRule->preSynapse)}};
        connections.push_back({{"id", c.id}, {"label", c.label}, {"pre", endpointText(c.pre)}, {"post", endpointText(c.post)},
                               {"pre_slice", sliceJson(c.preSlice)}, {"post_slice", sliceJson(c.postSlice)},
                               {"function", functionJson(c.function)}, {"transform", transformJson(c.transform)},
                               {"synapse", synapseJson(c.synapse)},
                               {"solver", {{"type", "LstsqL2"}, {"reg", c.solver.reg}, {"weights", c.solver.weights}}},
                               {"eval_points", optionalTableJson(c.evalPoints)}, {"decoders", optionalTableJson(c.decoders)},
                               {"weights", optionalTableJson(c.weights)}, {"learning_rule", rule}, {"trainable", c.trainable}});
    }
    Json probes = Json::array();
    for (const Probe& p : net.probes) {
        const char* attr = "output";
        for (const auto& [a, name] : attributeNames)
            if (a == p.attribute) attr = name;
        probes.push_back({{"id", p.id}, {"label", p.label}, {"target", endpointText(p.target)}, {"attr", attr},
                          {"slice", sliceJson(p.slice)}, {"synapse", synapseJson(p.synapse)},
                          {"sample_every", optionalJson(p.sampleEvery)},
                          {"solver", {{"type", "LstsqL2"}, {"reg", p.solver.reg}, {"weights", p.solver.weights}}},
                          {"decoders", optionalTableJson(p.decoders)}});
    }
    Json subnetworks = Json::array();
    for (const Network& sub : net.subnetworks) subnetworks.push_back(networkJson(sub));
    j["nodes"] = std::move(nodes);
    j["ensembles"] = std::move(ensembles);
    j["connections"] = std::move(connections);
    j["probes"] = std::move(probes);
    j["subnetworks"] = std::move(subnetworks);
    return j;
}

Json generatedJson(const GeneratedData& g) {
    Json j{{"sequences", g.sequences}, {"steps", g.steps}, {"dt", g.dt}};
    std::visit(
        [&](const auto& v) {
            using G = std::decay_t<decltype(v)>;
            if constexpr (std::is_same_v<G, BandLimitedNoiseData>)
                j.update({{"type", "band_limited_noise"}, {"size", v.size}, {"cutoff_hz", v.cutoffHz}, {"rms", v.rms},
                          {"seed", v.seed}});
            else if constexpr (std::is_same_v<G, SineSweepData>)
                j.update({{"type", "sine_sweep"}, {"size", v.size}, {"f0", v.f0}, {"f1", v.f1}, {"amplitude", v.amplitude}});
            else
                j.update({{"type", "gaussian_clusters"}, {"classes", v.classes}, {"dimensions", v.dimensions},
                          {"spread", v.spread}, {"seed", v.seed}, {"labels", v.labels}});
        },
        g.generator);
    return j;
}

Json sourcesJson(const std::map<std::string, DataSource>& sources) {
    Json j = Json::object();
    for (const auto& [id, s] : sources)
        j[id] = s.generated ? Json{{"generator", generatedJson(*s.generated)}} : Json{{"file", s.file}, {"key", s.key}};
    return j;
}

Json objectiveJson(const Objective& o) {
    return std::visit(
        [](const auto& v) -> Json {
            using O = std::decay_t<decltype(v)>;
            if constexpr (std::is_same_v<O, MeanSquaredError>) return {{"type", "mse"}};
            else if constexpr (std::is_same_v<O, MeanAbsoluteError>) return {{"type", "mae"}};
            else if constexpr (std::is_same_v<O, HuberLoss>) return {{"type", "huber"}, {"delta", v.delta}};
            else if constexpr (std::is_same_v<O, SoftmaxCrossEntropy>)
                return {{"type", "softmax_cross_entropy"}, {"last_step_only", v.lastStepOnly}};
            else if constexpr (std::is_same_v<O, OutputRegularization>)
                return {{"type", "regularization"}, {"order", v.order}, {"weight", v.weight}};
            else if constexpr (std::is_same_v<O, ExpressionObjective>) return {{"type", "expression"}, {"expression", v.expression}};
            else if constexpr (std::is_same_v<O, GivenGradient>) return {{"type", "none"}};
            else throw Error("a C++ custom objective cannot be saved in a project", {}, {}, "training.objectives");
        },
        o);
}

Json optimizerJson(const OptimizerSettings& o) {
    return std::visit(
        [](const auto& v) -> Json {
            using O = std::decay_t<decltype(v)>;
            if constexpr (std::is_same_v<O, Sgd>) return {{"type", "SGD"}, {"learning_rate", v.learningRate}};
            else if constexpr (std::is_same_v<O, Momentum>)
                return {{"type", "Momentum"}, {"learning_rate", v.learningRate}, {"momentum", v.momentum}, {"nesterov", v.nesterov}};
            else if constexpr (std::is_same_v<O, Adam>)
                return {{"type", "Adam"}, {"learning_rate", v.learningRate}, {"beta1", v.beta1}, {"beta2", v.beta2}, {"epsilon", v.epsilon}};
            else if constexpr (std::is_same_v<O, RmsProp>)
                return {{"type", "RMSProp"}, {"learning_rate", v.learningRate}, {"decay", v.decay}, {"momentum", v.momentum},
                        {"epsilon", v.epsilon}, {"centered", v.centered}};
            else
                return {{"type", "Adagrad"}, {"learning_rate", v.learningRate}, {"initial_accumulator", v.initialAccumulator},
                        {"epsilon", v.epsilon}};
        },
        o);
}

Json trainingJson(const std::optional<TrainingSetup>& t) {
    if (!t) return nullptr;
    Json objectives = Json::array();
    for (const auto& o : t->objectives) objectives.push_back({{"probes", o.probes}, {"objective", objectiveJson(o.objective)}});
    const TrainOptions& o = t->options;
    return {{"inputs", sourcesJson(t->inputs)}, {"targets", sourcesJson(t->targets)}, {"objectives", objectives},
            {"optimizer", optimizerJson(t->optimizer)}, {"minibatch_size", t->minibatchSize}, {"epochs", o.epochs},
            {"shuffle", o.shuffle}, {"seed", o.seed}, {"truncation", o.truncation}, {"checkpointing", o.checkpointing},
            {"rate_mode", o.rateMode}, {"lif_smoothing", o.lifSmoothing}, {"summaries", o.summaries},
            {"summary_every", o.summaryEvery}, {"histogram_bins", o.histogramBins}, {"label", o.label},
            {"profile", o.profile}, {"dtype", o.precision == Precision::Float32 ? "float32" : "float64"},
            {"logdir", t->logdir}};
}

Json pointsJson(const std::map<std::string, Point>& points) {
    Json j = Json::object();
    for (const auto& [id, p] : points) j[id] = {p.x, p.y};
    return j;
}

// ---------------------------------------------------------------- reading

template <class T>
struct VectorOf : std::false_type {};
template <class T>
struct VectorOf<std::vector<T>> : std::true_type {
    using Element = T;
};

// Whether the numbers in `v` fit the integer type T (or the elements of a
// std::vector<T>): nlohmann turns 2.5 or 1e10 into an int by a cast, which
// truncates in range and is undefined behaviour out of it.
template <class T>
bool fitsInteger(const Json& v) {
    if constexpr (VectorOf<T>::value) {
        return !v.is_array() || std::all_of(v.begin(), v.end(), fitsInteger<typename VectorOf<T>::Element>);
    } else if constexpr (std::is_integral_v<T> && !std::is_same_v<T, bool>) {
        using Limits = std::numeric_limits<T>;
        if (v.is_number_unsigned()) return std::cmp_less_equal(v.get<uint64_t>(), Limits::max());
        if (v.is_number_integer())
            return std::cmp_greater_equal(v.get<int64_t>(), Limits::min()) &&
                   std::cmp_less_equal(v.get<int64_t>(), Limits::max());
        if (v.is_number_float()) {
            const double d = v.get<double>();
            return d == std::floor(d) && d >= static_cast<double>(Limits::min()) &&
                   d < static_cast<double>(Limits::max()) + 1.0;
        }
    }
    return true;  // not a number: get() reports the type
}

// One JSON object being read: every access names the object and the field in
// its errors, and leftover keys are reported as unknown.
class Reader {
public:
    Reader(const Json& j, std::string object, std::string path) : j_(j), object_(std::move(object)), path_(std::move(path)) {
        if (!j.is_object()) fail("expected an object", {});
    }
    ~Reader() = default;

    [[noreturn]] void fail(const std::string& message, const std::string& key) const {
        throw Error(message, {}, object_, path_.empty() ? key : key.empty() ? path_ : path_ + "." + key);
    }

    bool has(const std::string& key) const { return j_.contains(key) && !j_.at(key).is_null(); }

    // Whether the key is there at all (null included); marks it as read.
    bool present(const std::string& key) {
        used_.insert(key);
        return j_.contains(key);
    }

    const Json& at(const std::string& key) {
        used_.insert(key);
        if (!j_.contains(key)) fail("missing", key);
        return j_.at(key);
    }

    template <class T>
    T get(const std::string& key) {
        const Json& v = at(key);
        if (!fitsInteger<T>(v)) fail("must be a whole number in range", key);
        try {
            return v.get<T>();
        } catch (const Json::exception&) {
            fail("has the wrong type (" + std::string(v.type_name()) + ")", key);
        }
    }

    template <class T>
    T get(const std::string& key, T fallback) {
        used_.insert(key);
        return has(key) ? get<T>(key) : fallback;
    }

    template <class T>
    std::optional<T> optional(const std::string& key) {
        used_.insert(key);
        if (!has(key)) return std::nullopt;
        return get<T>(key);
    }

    Reader sub(const std::string& key) { return Reader(at(key), object_, path_.empty() ? key : path_ + "." + key); }

    Table table(const std::string& key) {
        const Json& v = at(key);
        if (!v.is_array()) fail("expected a list of rows", key);
        try {
            if (!v.empty() && !v[0].is_array()) return Table::column(v.get<std::vector<double>>());
            const auto rows = v.get<std::vector<std::vector<double>>>();
            for (const auto& r : rows)
                if (r.size() != rows[0].size()) fail("rows differ in length", key);
            return Table::fromRows(rows);
        } catch (const Json::exception&) {
            fail("expected numbers", key);
        }
    }

    std::optional<Table> optionalTable(const std::string& key) {
        used_.insert(key);
        return has(key) ? std::optional<Table>(table(key)) : std::nullopt;
    }

    void finish() const {
        for (const auto& [key, value] : j_.items())
            if (!used_.count(key)) fail("unknown field", key);
    }

    const std::string& object() const { return object_; }

private:
    const Json& j_;
    std::string object_, path_;
    std::set<std::string> used_;
};

std::string objectName(const Json& j, const std::string& kind, size_t index) {
    std::string id = j.is_object() && j.contains("id") && j["id"].is_string() ? j["id"].get<std::string>() : "";
    std::string label = j.is_object() && j.contains("label") && j["label"].is_string() ? j["label"].get<std::string>() : "";
    if (id.empty()) return kind + " #" + std::to_string(index + 1);
    return label.empty() || label == id ? id : label + " (id " + id + ")";
}

void checkId(const std::string& id, Reader& r) {
    static const std::regex valid(R"([A-Za-z_][A-Za-z0-9_\-]*)");
    if (!std::regex_match(id, valid)) r.fail("'" + id + "' is not a valid id (letters, digits, _ and -)", "id");
}

OptionalSynapse readSynapse(Reader& r, const std::string& key, OptionalSynapse fallback) {
    // Left out: the default; null: no synapse.
    if (!r.present(key)) return fallback;
    if (r.at(key).is_null()) return std::nullopt;
    Reader s = r.sub(key);
    const auto type = s.get<std::string>("type");
    const double tau = s.get<double>("tau");
    s.finish();
    if (type == "Lowpass") return LowpassSynapse{tau};
    if (type == "Alpha") return AlphaSynapse{tau};
    r.fail("unknown synapse type '" + type + "' (Lowpass or Alpha)", key);
}

Distribution readDistribution(Reader& r, const std::string& key, Distribution fallback) {
    if (!r.has(key)) {
        r.present(key);
        return fallback;
    }
    Reader d = r.sub(key);
    const auto type = d.get<std::string>("type");
    Distribution out;
    if (type == "Uniform")
        out = Uniform{d.get<double>("low"), d.get<double>("high"), d.get<bool>("integer", false)};
    else if (type == "Choice")
        out = Choice{d.get<std::vector<double>>("options"), d.get<std::vector<double>>("weights", {})};
    else if (type == "UniformHypersphere")
        out = UniformHypersphere{d.get<bool>("surface", false)};
    else if (type == "Explicit")
        out = ExplicitValues{d.table("values")};
    else
        d.fail("unknown distribution '" + type + "' (Uniform, Choice, UniformHypersphere or Explicit)", "type");
    d.finish();
    return out;
}

NeuronType readNeuronType(Reader& r) {
    if (!r.has("neuron_type")) {
        r.present("neuron_type");
        return LifNeurons{};
    }
    Reader n = r.sub("neuron_type");
    const auto type = n.get<std::string>("type");
    NeuronType out;
    if (type == "LIF") {
        const LifNeurons d;
        out = LifNeurons{n.get("tau_rc", d.tauRc), n.get("tau_ref", d.tauRef), n.get("min_voltage", d.minVoltage),
                         n.get("amplitude", d.amplitude)};
    } else if (type == "LIFRate") {
        const LifRateNeurons d;
        out = LifRateNeurons{n.get("tau_rc", d.tauRc), n.get("tau_ref", d.tauRef), n.get("amplitude", d.amplitude)};
    } else if (type == "RectifiedLinear") {
        out = RectifiedLinearNeurons{n.get("amplitude", 1.0)};
    } else if (type == "SpikingRectifiedLinear") {
        out = SpikingRectifiedLinearNeurons{n.get("amplitude", 1.0)};
    } else if (type == "Sigmoid") {
        out = SigmoidNeurons{n.get("tau_ref", SigmoidNeurons{}.tauRef)};
    } else if (type == "Tanh") {
        out = TanhNeurons{n.get("tau_ref", TanhNeurons{}.tauRef)};
    } else {
        n.fail("unknown neuron type '" + type + "' (LIF, LIFRate, RectifiedLinear, SpikingRectifiedLinear, Sigmoid, Tanh)",
               "type");
    }
    n.finish();
    return out;
}

NodeOutput readNodeOutput(Reader& r) {
    Reader o = r.sub("output");
    const auto type = o.get<std::string>("type");
    NodeOutput out;
    if (type == "constant") {
        out = ConstantOutput{o.get<std::vector<double>>("value")};
    } else if (type == "sine" || type == "square") {
        const double a = o.get("amplitude", 1.0), f = o.get("frequency", 1.0), p = o.get("phase", 0.0), c = o.get("offset", 0.0);
        out = type == "sine" ? NodeOutput(SineWave{a, f, p, c}) : NodeOutput(SquareWave{a, f, p, c});
    } else if (type == "step") {
        out = StepFunction{o.get("time", 0.5), o.get("before", 0.0), o.get("after", 1.0)};
    } else if (type == "piecewise") {
        out = Piecewise{o.get<std::vector<double>>("times"), o.table("values")};
    } else if (type == "white_noise") {
        const WhiteNoise d;
        out = WhiteNoise{o.get("period", d.period), o.get("high", d.high), o.get("rms", d.rms), o.get<uint64_t>("seed", 0)};
    } else if (type == "expression") {
        out = ExpressionOutput{o.get<std::vector<std::string>>("expressions")};
    } else if (type == "data") {
        out = DataOutput{o.table("rows"), o.get("presentation_time", 0.0)};
    } else if (type == "passthrough") {
        out = PassthroughOutput{};
    } else {
        o.fail("unknown output type '" + type +
                   "' (constant, sine, square, step, piecewise, white_noise, expression, data, passthrough)",
               "type");
    }
    o.finish();
    return out;
}

Slice readSlice(Reader& r, const std::string& key) { return r.optional<std::vector<int>>(key); }

Transform readTransform(Reader& r) {
    if (!r.has("transform")) {
        r.present("transform");
        return 1.0;
    }
    const Json& t = r.at("transform");
    if (t.is_number()) return t.get<double>();
    if (t.is_array() && !t.empty() && t[0].is_array()) return r.table("transform");
    return r.get<std::vector<double>>("transform");
}

LstsqL2 readSolver(Reader& r) {
    if (!r.has("solver")) {
        r.present("solver");
        return {};
    }
    Reader s = r.sub("solver");
    const auto type = s.get<std::string>("type", "LstsqL2");
    if (type != "LstsqL2") s.fail("unknown solver '" + type + "' (LstsqL2)", "type");
    LstsqL2 out{s.get("reg", 0.1), s.get("weights", false)};
    s.finish();
    return out;
}

Node readNode(Reader& r) {
    Node n;
    n.id = r.get<std::string>("id");
    checkId(n.id, r);
    n.label = r.get<std::string>("label", n.id);
    n.output = readNodeOutput(r);
    n.sizeIn = r.get("size_in", n.isPassthrough() ? 1 : 0);
    n.sizeOut = r.get("size_out", n.isPassthrough() ? n.sizeIn : 1);
    return n;
}

Ensemble readEnsemble(Reader& r) {
    Ensemble e;
    e.id = r.get<std::string>("id");
    checkId(e.id, r);
    e.label = r.get<std::string>("label", e.id);
    e.nNeurons = r.get<int>("n_neurons");
    e.dimensions = r.get("dimensions", 1);
    e.radius = r.get("radius", 1.0);
    e.neuronType = readNeuronType(r);
    e.maxRates = readDistribution(r, "max_rates", e.maxRates);
    e.intercepts = readDistribution(r, "intercepts", e.intercepts);
    e.encoders = readDistribution(r, "encoders", e.encoders);
    e.evalPoints = readDistribution(r, "eval_points", e.evalPoints);
    e.nEvalPoints = r.optional<int>("n_eval_points");
    e.normalizeEncoders = r.get("normalize_encoders", true);
    e.seed = r.optional<uint64_t>("seed");
    e.gain = r.optional<std::vector<double>>("gain");
    e.bias = r.optional<std::vector<double>>("bias");
    if (r.has("initial_state")) {
        Reader s = r.sub("initial_state");
        e.initialState.voltage = s.get<std::vector<double>>("voltage", {});
        e.initialState.refractoryTime = s.get<std::vector<double>>("refractory_time", {});
        s.finish();
    } else {
        r.present("initial_state");
    }
    e.trainable = r.get("trainable", true);
    return e;
}

// Endpoints are written "A", "A.neurons" or "C.learning_rule"; what "A" is
// (node, ensemble, connection) is resolved once all ids are known.
Endpoint readEndpoint(Reader& r, const std::string& key) {
    const auto text = r.get<std::string>(key);
    for (const auto& [suffix, kind] : {std::pair<std::string, EndpointKind>{".neurons", EndpointKind::Neurons},
                                       {".learning_rule", EndpointKind::LearningRule}})
        if (text.size() > suffix.size() && text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0)
            return {text.substr(0, text.size() - suffix.size()), kind};
    return {text, EndpointKind::Node};  // placeholder kind, see resolveEndpoints
}

Connection readConnection(Reader& r) {
    Connection c;
    c.id = r.get<std::string>("id");
    checkId(c.id, r);
    c.label = r.get<std::string>("label", c.id);
    c.pre = readEndpoint(r, "pre");
    c.post = readEndpoint(r, "post");
    c.preSlice = readSlice(r, "pre_slice");
    c.postSlice = readSlice(r, "post_slice");
    if (r.has("function")) {
        Reader f = r.sub("function");
        if (f.has("expressions"))
            c.function = FunctionExpression{f.get<std::vector<std::string>>("expressions")};
        else if (f.has("targets"))
            c.function = FunctionTargets{f.table("targets")};
        else
            f.fail("needs 'expressions' or 'targets'", {});
        f.finish();
    } else {
        r.present("function");
    }
    c.transform = readTransform(r);
    c.synapse = readSynapse(r, "synapse", LowpassSynapse{0.005});
    c.solver = readSolver(r);
    c.evalPoints = r.optionalTable("eval_points");
    c.decoders = r.optionalTable("decoders");
    c.weights = r.optionalTable("weights");
    if (r.has("learning_rule")) {
        Reader l = r.sub("learning_rule");
        const auto type = l.get<std::string>("type", "PES");
        if (type != "PES") l.fail("unknown learning rule '" + type + "' (PES)", "type");
        c.learningRule = PesRule{l.get("learning_rate", 1e-4), readSynapse(l, "pre_synapse", LowpassSynapse{0.005})};
        l.finish();
    } else {
        r.present("learning_rule");
    }
    c.trainable = r.get("trainable", true);
    return c;
}

Probe readProbe(Reader& r) {
    Probe p;
    p.id = r.get<std::string>("id");
    checkId(p.id, r);
    p.label = r.get<std::string>("label", p.id);
    p.target = readEndpoint(r, "target");
    const auto attr = r.get<std::string>("attr", "output");
    bool known = false;
    for (const auto& [a, name] : attributeNames)
        if (attr == name) p.attribute = a, known = true;
    if (!known) r.fail("unknown attribute '" + attr + "'", "attr");
    p.slice = readSlice(r, "slice");
    p.synapse = readSynapse(r, "synapse", std::nullopt);
    p.sampleEvery = r.optional<double>("sample_every");
    p.solver = readSolver(r);
    p.decoders = r.optionalTable("decoders");
    return p;
}

template <class T, class F>
std::vector<T> readList(Reader& parent, const std::string& key, const std::string& kind, F&& read) {
    std::vector<T> out;
    if (!parent.has(key)) {
        parent.present(key);
        return out;
    }
    const Json& list = parent.at(key);
    if (!list.is_array()) parent.fail("expected a list", key);
    for (size_t i = 0; i < list.size(); ++i) {
        Reader r(list[i], objectName(list[i], kind, i), {});
        out.push_back(read(r));
        r.finish();
    }
    return out;
}

// Deeper than any model needs, shallow enough for the recursive code that
// walks the tree (reading, building, the editor) to stay far from the stack's end.
constexpr int maxNetworkDepth = 100;

Network readNetwork(Reader& r, int depth = 0) {
    if (depth > maxNetworkDepth)
        r.fail("subnetworks are nested more than " + std::to_string(maxNetworkDepth) + " deep", "subnetworks");
    Network net;
    net.id = r.get<std::string>("id", "model");
    net.label = r.get<std::string>("label", net.id);
    net.seed = r.optional<uint64_t>("seed");
    net.nodes = readList<Node>(r, "nodes", "node", readNode);
    net.ensembles = readList<Ensemble>(r, "ensembles", "ensemble", readEnsemble);
    net.connections = readList<Connection>(r, "connections", "connection", readConnection);
    net.probes = readList<Probe>(r, "probes", "probe", readProbe);
    net.subnetworks =
        readList<Network>(r, "subnetworks", "subnetwork", [depth](Reader& sub) { return readNetwork(sub, depth + 1); });
    return net;
}

void collectKinds(const Network& net, std::map<std::string, EndpointKind>& kinds) {
    for (const auto& n : net.nodes) kinds[n.id] = EndpointKind::Node;
    for (const auto& e : net.ensembles) kinds[e.id] = EndpointKind::Ensemble;
    for (const auto& c : net.connections) kinds[c.id] = EndpointKind::Connection;
    for (const auto& sub : net.subnetworks) collectKinds(sub, kinds);
}

void resolve(Endpoint& e, const std::map<std::string, EndpointKind>& kinds) {
    if (e.kind != EndpointKind::Node) return;  // suffixed endpoints are explicit
    auto it = kinds.find(e.id);
    if (it != kinds.end()) e.kind = it->second;  // unknown ids are reported by the build check
}

void resolveEndpoints(Network& net, const std::map<std::string, EndpointKind>& kinds) {
    for (auto& c : net.connections) resolve(c.pre, kinds), resolve(c.post, kinds);
    for (auto& p : net.probes) resolve(p.target, kinds);
    for (auto& sub : net.subnetworks) resolveEndpoints(sub, kinds);
}

std::map<std::string, Point> readPoints(Reader& r, const std::string& key) {
    std::map<std::string, Point> out;
    if (!r.has(key)) {
        r.present(key);
        return out;
    }
    const Json& j = r.at(key);
    if (!j.is_object()) r.fail("expected an object of id: [x, y]", key);
    for (const auto& [id, v] : j.items()) {
        if (!v.is_array() || v.size() != 2 || !v[0].is_number() || !v[1].is_number())
            r.fail("expected [x, y] for '" + id + "'", key);
        out[id] = {v[0].get<double>(), v[1].get<double>()};
    }
    return out;
}

GeneratedData readGenerated(Reader& g) {
    GeneratedData out;
    out.sequences = g.get<int>("sequences");
    out.steps = g.get<int>("steps");
    out.dt = g.get("dt", out.dt);
    if (out.sequences < 1) g.fail("must be at least 1", "sequences");
    if (out.steps < 1) g.fail("must be at least 1", "steps");
    if (!(out.dt > 0.0)) g.fail("must be positive", "dt");
    const auto type = g.get<std::string>("type");
    if (type == "band_limited_noise") {
        const BandLimitedNoiseData d;
        out.generator = BandLimitedNoiseData{g.get("size", d.size), g.get("cutoff_hz", d.cutoffHz), g.get("rms", d.rms),
                                             g.get<uint64_t>("seed", d.seed)};
    } else if (type == "sine_sweep") {
        const SineSweepData d;
        out.generator = SineSweepData{g.get("size", d.size), g.get("f0", d.f0), g.get("f1", d.f1), g.get("amplitude", d.amplitude)};
    } else if (type == "gaussian_clusters") {
        const GaussianClustersData d;
        out.generator = GaussianClustersData{g.get("classes", d.classes), g.get("dimensions", d.dimensions),
                                             g.get("spread", d.spread), g.get<uint64_t>("seed", d.seed), g.get("labels", d.labels)};
    } else {
        g.fail("unknown generator '" + type + "' (band_limited_noise, sine_sweep, gaussian_clusters)", "type");
    }
    return out;
}

std::map<std::string, DataSource> readSources(Reader& r, const std::string& key) {
    std::map<std::string, DataSource> out;
    if (!r.has(key)) {
        r.present(key);
        return out;
    }
    const Json& j = r.at(key);
    if (!j.is_object()) r.fail("expected an object of id: {file, key}", key);
    for (const auto& [id, v] : j.items()) {
        Reader s(v, r.object(), "training." + key + "." + id);
        if (s.has("generator")) {
            Reader g = s.sub("generator");
            out[id].generated = readGenerated(g);
            g.finish();
        } else {
            out[id] = DataSource{s.get<std::string>("file"), s.get<std::string>("key", ""), std::nullopt};
        }
        s.finish();
    }
    return out;
}

Objective readObjective(Reader& r) {
    const auto type = r.get<std::string>("type");
    if (type == "mse") return MeanSquaredError{};
    if (type == "mae") return MeanAbsoluteError{};
    if (type == "huber") return HuberLoss{r.get("delta", 1.0)};
    if (type == "softmax_cross_entropy") return SoftmaxCrossEntropy{r.get("last_step_only", true)};
    if (type == "regularization") return OutputRegularization{r.get("order", 2), r.get("weight", 1.0)};
    if (type == "expression") return ExpressionObjective{r.get<std::string>("expression")};
    if (type == "none") return GivenGradient{};
    r.fail("unknown objective '" + type + "' (mse, mae, huber, softmax_cross_entropy, regularization, expression, none)",
           "type");
}

OptimizerSettings readOptimizer(Reader& r) {
    const auto type = r.get<std::string>("type");
    OptimizerSettings out;
    if (type == "SGD") {
        out = Sgd{r.get("learning_rate", Sgd{}.learningRate)};
    } else if (type == "Momentum") {
        const Momentum d;
        out = Momentum{r.get("learning_rate", d.learningRate), r.get("momentum", d.momentum), r.get("nesterov", d.nesterov)};
    } else if (type == "Adam") {
        const Adam d;
        out = Adam{r.get("learning_rate", d.learningRate), r.get("beta1", d.beta1), r.get("beta2", d.beta2),
                   r.get("epsilon", d.epsilon)};
    } else if (type == "RMSProp") {
        const RmsProp d;
        out = RmsProp{r.get("learning_rate", d.learningRate), r.get("decay", d.decay), r.get("momentum", d.momentum),
                      r.get("epsilon", d.epsilon), r.get("centered", d.centered)};
    } else if (type == "Adagrad") {
        const Adagrad d;
        out = Adagrad{r.get("learning_rate", d.learningRate), r.get("initial_accumulator", d.initialAccumulator),
                      r.get("epsilon", d.epsilon)};
    } else {
        r.fail("unknown optimizer '" + type + "' (SGD, Momentum, Adam, RMSProp, Adagrad)", "type");
    }
    return out;
}

TrainingSetup readTraining(Reader& t) {
    TrainingSetup s;
    s.inputs = readSources(t, "inputs");
    s.targets = readSources(t, "targets");
    if (t.has("objectives")) {
        const Json& list = t.at("objectives");
        if (!list.is_array()) t.fail("expected a list", "objectives");
        for (size_t i = 0; i < list.size(); ++i) {
            Reader o(list[i], t.object(), "training.objectives[" + std::to_string(i) + "]");
            ObjectiveSetup setup;
            setup.probes = o.get<std::vector<std::string>>("probes");
            Reader spec = o.sub("objective");
            setup.objective = readObjective(spec);
            spec.finish();
            o.finish();
            s.objectives.push_back(std::move(setup));
        }
    } else {
        t.present("objectives");
    }
    if (t.has("optimizer")) {
        Reader o = t.sub("optimizer");
        s.optimizer = readOptimizer(o);
        o.finish();
    } else {
        t.present("optimizer");
    }
    const TrainOptions d;
    s.minibatchSize = t.get("minibatch_size", 1);
    s.options.epochs = t.get("epochs", d.epochs);
    s.options.shuffle = t.get("shuffle", d.shuffle);
    s.options.seed = t.get<uint64_t>("seed", d.seed);
    s.options.truncation = t.get("truncation", d.truncation);
    s.options.checkpointing = t.get("checkpointing", d.checkpointing);
    s.options.rateMode = t.get("rate_mode", d.rateMode);
    s.options.lifSmoothing = t.get("lif_smoothing", d.lifSmoothing);
    s.options.summaries = t.get<std::vector<std::string>>("summaries", {});
    s.options.summaryEvery = t.get("summary_every", d.summaryEvery);
    s.options.histogramBins = t.get("histogram_bins", d.histogramBins);
    s.options.label = t.get<std::string>("label", d.label);
    s.options.profile = t.get("profile", d.profile);
    s.logdir = t.get<std::string>("logdir", {});
    const auto dtype = t.get<std::string>("dtype", "float64");
    if (dtype != "float64" && dtype != "float32") t.fail("must be \"float64\" or \"float32\"", "dtype");
    s.options.precision = dtype == "float32" ? Precision::Float32 : Precision::Float64;
    if (s.minibatchSize < 1) t.fail("must be at least 1", "minibatch_size");
    if (s.options.epochs < 1) t.fail("must be at least 1", "epochs");
    if (s.options.truncation < 0) t.fail("must not be negative", "truncation");
    if (s.options.histogramBins < 1) t.fail("must be at least 1", "histogram_bins");
    return s;
}

}  // namespace

std::string projectToJson(const Project& p) {
    Json j{{"format", formatName}, {"version", projectFormatVersion}, {"title", p.title}, {"description", p.description},
           {"simulation", {{"dt", p.simulation.dt}, {"duration", p.simulation.duration}}},
           {"network", networkJson(p.network)},
           {"layout", {{"positions", pointsJson(p.layout.positions)}, {"sizes", pointsJson(p.layout.sizes)},
                       {"collapsed", p.layout.collapsed}}},
           {"training", trainingJson(p.training)}};
    return j.dump(2) + "\n";
}

Project projectFromJson(const std::string& text, const std::string& fileName) {
    Json j;
    try {
        j = Json::parse(text);
    } catch (const Json::exception& e) {
        throw Error(std::string("not valid JSON: ") + e.what(), fileName);
    }
    try {
        Reader top(j, {}, {});
        if (top.get<std::string>("format") != formatName) top.fail("is not a NeuroLoom project", "format");
        const int version = top.get<int>("version");
        if (version > projectFormatVersion)
            top.fail("is " + std::to_string(version) + ": the file was written by a newer NeuroLoom (this one reads up to " +
                         std::to_string(projectFormatVersion) + ")",
                     "version");
        if (version < 1) top.fail("is " + std::to_string(version) + ", not a known version", "version");
        Project p;
        p.title = top.get<std::string>("title", "");
        p.description = top.get<std::string>("description", "");
        if (top.has("simulation")) {
            Reader s = top.sub("simulation");
            p.simulation.dt = s.get("dt", 0.001);
            p.simulation.duration = s.get("duration", 1.0);
            s.finish();
            if (!(p.simulation.dt > 0.0)) s.fail("must be positive", "dt");
            if (!(p.simulation.duration > 0.0)) s.fail("must be positive", "duration");
        } else {
            top.present("simulation");
        }
        Reader net = top.sub("network");
        p.network = readNetwork(net);
        net.finish();
        std::map<std::string, EndpointKind> kinds;
        collectKinds(p.network, kinds);
        resolveEndpoints(p.network, kinds);
        if (top.has("layout")) {
            Reader l = top.sub("layout");
            p.layout.positions = readPoints(l, "positions");
            p.layout.sizes = readPoints(l, "sizes");
            const auto collapsed = l.get<std::vector<std::string>>("collapsed", {});
            p.layout.collapsed = {collapsed.begin(), collapsed.end()};
            l.finish();
        } else {
            top.present("layout");
        }
        if (top.has("training")) {
            Reader t = top.sub("training");
            p.training = readTraining(t);
            t.finish();
        } else {
            top.present("training");
        }
        top.finish();
        // The builder's checks (references, sizes, expressions) without its
        // decoder solves, which take minutes for large ensembles.
        const auto problems = checkNetwork(p.network, {p.simulation.dt, {}});
        if (!problems.empty()) throw problems.front().error;
        return p;
    } catch (const Error& e) {
        throw e.inFile(fileName);
    }
}

void saveProject(const Project& project, const std::string& path) { writeFileAtomically(path, projectToJson(project)); }

Project loadProject(const std::string& path) { return projectFromJson(readFile(path), path); }

}  // namespace core
