#include "io/reference_case.h"

#include "common/error.h"

#include <nlohmann/json.hpp>

#include <fstream>

namespace core {

using nlohmann::json;

namespace {

// Reads one object's fields, turning any JSON error into a core::Error that
// names the object and the field.
class Fields {
public:
    Fields(const json& j, std::string object) : j_(j), object_(std::move(object)) {}

    const json& at(const std::string& key) const {
        if (!j_.is_object() || !j_.contains(key)) throw Error("missing field", {}, object_, key);
        return j_.at(key);
    }
    bool isNull(const std::string& key) const { return at(key).is_null(); }

    template <class T>
    T get(const std::string& key) const {
        try {
            return at(key).get<T>();
        } catch (const json::exception& e) {
            throw Error(std::string("wrong type: ") + e.what(), {}, object_, key);
        }
    }

    Matrix matrix(const std::string& key) const { return toMatrix(at(key), key); }
    Vector vector(const std::string& key) const {
        const auto v = get<std::vector<double>>(key);
        return Eigen::Map<const Vector>(v.data(), static_cast<Eigen::Index>(v.size()));
    }
    Slice slice(const std::string& key) const {
        if (isNull(key)) return std::nullopt;
        return get<std::vector<int>>(key);
    }
    Table table(const std::string& key) const { return Table::fromMatrix(matrix(key)); }

    Matrix toMatrix(const json& v, const std::string& key) const {
        try {
            const auto rows = v.get<std::vector<std::vector<double>>>();
            Matrix m(static_cast<Eigen::Index>(rows.size()), rows.empty() ? 0 : static_cast<Eigen::Index>(rows[0].size()));
            for (size_t r = 0; r < rows.size(); ++r) {
                if (static_cast<Eigen::Index>(rows[r].size()) != m.cols()) throw Error("rows differ in length", {}, object_, key);
                for (size_t c = 0; c < rows[r].size(); ++c) m(r, c) = rows[r][c];
            }
            return m;
        } catch (const json::exception& e) {
            throw Error(std::string("expected a matrix: ") + e.what(), {}, object_, key);
        }
    }

    const std::string& object() const { return object_; }

private:
    const json& j_;
    std::string object_;
};

NeuronType neuronType(const Fields& f) {
    const Fields t(f.at("neuron_type"), f.object());
    const auto type = t.get<std::string>("type");
    if (type == "LIF")
        return LifNeurons{t.get<double>("tau_rc"), t.get<double>("tau_ref"), t.get<double>("min_voltage"),
                          t.get<double>("amplitude")};
    if (type == "LIFRate") return LifRateNeurons{t.get<double>("tau_rc"), t.get<double>("tau_ref"), t.get<double>("amplitude")};
    if (type == "RectifiedLinear") return RectifiedLinearNeurons{t.get<double>("amplitude")};
    if (type == "SpikingRectifiedLinear") return SpikingRectifiedLinearNeurons{t.get<double>("amplitude")};
    if (type == "Sigmoid") return SigmoidNeurons{t.get<double>("tau_ref")};
    if (type == "Tanh") return TanhNeurons{t.get<double>("tau_ref")};
    throw Error("unknown neuron type '" + type + "'", {}, f.object(), "neuron_type");
}

OptionalSynapse synapse(const Fields& f, const std::string& key) {
    if (f.isNull(key)) return std::nullopt;
    const Fields s(f.at(key), f.object());
    const auto type = s.get<std::string>("type");
    if (type == "Lowpass") return LowpassSynapse{s.get<double>("tau")};
    if (type == "Alpha") return AlphaSynapse{s.get<double>("tau")};
    throw Error("unknown synapse type '" + type + "'", {}, f.object(), key);
}

std::optional<SynapseFilter> discreteSynapse(const Fields& f, const std::string& key) {
    if (f.isNull(key)) return std::nullopt;
    const Fields d(Fields(f.at(key), f.object()).at("discrete"), f.object());
    SynapseFilter filter;
    filter.a = d.matrix("A");
    filter.b = d.matrix("B").col(0);
    filter.c = d.matrix("C").row(0).transpose();
    return filter;
}

Endpoint endpoint(const Fields& f, const std::string& idKey, const std::string& kindKey) {
    const auto id = f.get<std::string>(idKey);
    const auto kind = f.get<std::string>(kindKey);
    auto strip = [&](const std::string& suffix) {
        if (id.size() <= suffix.size() || id.compare(id.size() - suffix.size(), suffix.size(), suffix) != 0)
            throw Error("'" + id + "' does not end in " + suffix, {}, f.object(), idKey);
        return id.substr(0, id.size() - suffix.size());
    };
    if (kind == "node") return {id, EndpointKind::Node};
    if (kind == "ensemble") return {id, EndpointKind::Ensemble};
    if (kind == "neurons") return {strip(".neurons"), EndpointKind::Neurons};
    if (kind == "connection") return {id, EndpointKind::Connection};
    if (kind == "learning_rule") return {strip(".learning_rule"), EndpointKind::LearningRule};
    throw Error("unknown kind '" + kind + "'", {}, f.object(), kindKey);
}

Transform transform(const Fields& f) {
    const json& t = f.at("transform");
    if (t.is_null()) return 1.0;
    if (t.is_number()) return t.get<double>();
    if (t.is_array() && !t.empty() && t[0].is_array()) return Table::fromMatrix(f.toMatrix(t, "transform"));
    return f.get<std::vector<double>>("transform");
}

ProbeAttribute attribute(const Fields& f) {
    const auto a = f.get<std::string>("attr");
    static const std::pair<const char*, ProbeAttribute> names[] = {
        {"output", ProbeAttribute::Output},     {"decoded_output", ProbeAttribute::DecodedOutput},
        {"input", ProbeAttribute::Input},       {"voltage", ProbeAttribute::Voltage},
        {"refractory_time", ProbeAttribute::RefractoryTime}, {"weights", ProbeAttribute::Weights},
        {"error", ProbeAttribute::Error},       {"activities", ProbeAttribute::Activities},
        {"delta", ProbeAttribute::Delta}};
    for (const auto& [name, value] : names)
        if (a == name) return value;
    throw Error("unknown probe attribute '" + a + "'", {}, f.object(), "attr");
}

std::vector<double> flatten(const json& j) {
    std::vector<double> out;
    if (j.is_array()) {
        for (const auto& e : j) {
            const auto sub = flatten(e);
            out.insert(out.end(), sub.begin(), sub.end());
        }
    } else {
        out.push_back(j.get<double>());
    }
    return out;
}

void readNode(const Fields& f, ReferenceCase& rc) {
    Node n;
    n.id = f.get<std::string>("id");
    n.label = f.get<std::string>("label");
    n.sizeIn = f.get<int>("size_in");
    n.sizeOut = f.get<int>("size_out");
    const auto kind = f.get<std::string>("kind");
    if (kind == "passthrough")
        n.output = PassthroughOutput{};
    else if (kind == "input")
        n.output = DataOutput{f.table("output"), 0.0};
    else
        throw Error("unknown node kind '" + kind + "'", {}, f.object(), "kind");
    rc.network.nodes.push_back(std::move(n));
}

void readEnsemble(const Fields& f, ReferenceParameters parameters, ReferenceCase& rc) {
    Ensemble e;
    e.id = f.get<std::string>("id");
    e.label = f.get<std::string>("label");
    e.nNeurons = f.get<int>("n_neurons");
    e.dimensions = f.get<int>("dimensions");
    e.radius = f.get<double>("radius");
    e.neuronType = neuronType(f);
    e.maxRates = ExplicitValues{Table::column(f.get<std::vector<double>>("max_rates"))};
    e.intercepts = ExplicitValues{Table::column(f.get<std::vector<double>>("intercepts"))};
    e.encoders = ExplicitValues{f.table("encoders")};
    e.evalPoints = ExplicitValues{f.table("eval_points")};
    if (parameters == ReferenceParameters::Built) {
        e.normalizeEncoders = false;  // stored unit vectors, used bit for bit
        e.gain = f.get<std::vector<double>>("gain");
        e.bias = f.get<std::vector<double>>("bias");
    }
    const Fields state(f.at("initial_state"), f.object());
    if (f.at("initial_state").contains("voltage"))
        e.initialState.voltage = state.get<std::vector<double>>("voltage");
    if (f.at("initial_state").contains("refractory_time"))
        e.initialState.refractoryTime = state.get<std::vector<double>>("refractory_time");
    rc.ensembles.push_back({e.id, f.vector("gain"), f.vector("bias"), f.matrix("scaled_encoders")});
    rc.network.ensembles.push_back(std::move(e));
}

void readConnection(const Fields& f, ReferenceParameters parameters, ReferenceCase& rc) {
    Connection c;
    c.id = f.get<std::string>("id");
    c.label = f.get<std::string>("label");
    c.pre = endpoint(f, "pre", "pre_kind");
    c.post = endpoint(f, "post", "post_kind");
    c.preSlice = f.slice("pre_slice");
    c.postSlice = f.slice("post_slice");
    c.transform = transform(f);
    c.synapse = synapse(f, "synapse");
    ReferenceCase::Connection expected{c.id, {}, {}, f.matrix("weights"), discreteSynapse(f, "synapse"), {}, {}, {}};
    if (f.get<bool>("decoded")) {
        const Fields solver(f.at("solver"), f.object());
        c.solver.reg = solver.get<double>("reg");
        c.solver.weights = solver.get<std::string>("weights_mode") == "neurons";
        c.evalPoints = f.table("eval_points");
        c.function = FunctionTargets{f.table("targets")};
        expected.targets = f.matrix("targets");
        expected.decoders = f.matrix("decoders");
        if (parameters == ReferenceParameters::Built) c.decoders = Table::fromMatrix(expected.decoders);
    }
    if (!f.isNull("learning_rule")) {
        const Fields rule(f.at("learning_rule"), f.object());
        if (rule.get<std::string>("type") != "PES")
            throw Error("unknown learning rule", {}, f.object(), "learning_rule.type");
        c.learningRule = PesRule{rule.get<double>("learning_rate"), synapse(rule, "pre_synapse")};
        expected.preSynapse = discreteSynapse(rule, "pre_synapse");
        expected.alpha = rule.get<double>("alpha");
        if (!rule.isNull("error_encoders")) expected.errorEncoders = rule.matrix("error_encoders");
    }
    rc.connections.push_back(std::move(expected));
    rc.network.connections.push_back(std::move(c));
}

void readProbe(const Fields& f, ReferenceParameters parameters, ReferenceCase& rc) {
    Probe p;
    p.id = f.get<std::string>("id");
    p.label = f.get<std::string>("label");
    p.target = endpoint(f, "target", "target_kind");
    p.attribute = attribute(f);
    p.slice = f.slice("slice");
    p.synapse = synapse(f, "synapse");
    if (!f.isNull("sample_every")) p.sampleEvery = f.get<double>("sample_every");
    ReferenceCase::Probe expected;
    expected.id = p.id;
    if (p.attribute == ProbeAttribute::DecodedOutput) {
        p.solver.reg = Fields(f.at("solver"), f.object()).get<double>("reg");
        expected.decoders = f.matrix("decoders");
        if (parameters == ReferenceParameters::Built) p.decoders = Table::fromMatrix(expected.decoders);
    }
    expected.steps = f.get<std::vector<long>>("sample_steps");
    try {
        expected.data = flatten(f.at("data"));
    } catch (const json::exception& e) {
        throw Error(std::string("expected numbers: ") + e.what(), {}, f.object(), "data");
    }
    const auto shape = f.get<std::vector<int>>("shape");
    expected.size = 1;
    for (size_t i = 1; i < shape.size(); ++i) expected.size *= shape[i];
    expected.synapse = discreteSynapse(f, "synapse");
    if (p.target.kind == EndpointKind::Neurons && p.attribute == ProbeAttribute::Output && !p.synapse) {
        for (const auto& e : rc.network.ensembles)
            if (e.id == p.target.id) expected.spikeTrain = isSpiking(e.neuronType);
    }
    rc.probes.push_back(std::move(expected));
    rc.network.probes.push_back(std::move(p));
}

template <class F>
void forEach(const Fields& top, const std::string& key, F&& read) {
    const json& list = top.at(key);
    if (!list.is_array()) throw Error("expected a list", {}, {}, key);
    for (size_t i = 0; i < list.size(); ++i) {
        const std::string object = list[i].is_object() && list[i].contains("id") && list[i]["id"].is_string()
                                       ? list[i]["id"].get<std::string>()
                                       : key + "[" + std::to_string(i) + "]";
        read(Fields(list[i], object));
    }
}

}  // namespace

ReferenceCase loadReferenceCase(const std::string& path, ReferenceParameters parameters) {
    std::ifstream in(path);
    if (!in) throw Error("cannot open file", path);
    json j;
    try {
        j = json::parse(in);
    } catch (const json::exception& e) {
        throw Error(std::string("not valid JSON: ") + e.what(), path);
    }
    try {
        ReferenceCase rc;
        rc.file = path;
        const Fields top(j, {});
        const auto format = top.get<std::string>("format");
        if (format != "neuroloom-nengo-reference/1") throw Error("unknown format '" + format + "'", {}, {}, "format");
        rc.name = top.get<std::string>("name");
        rc.description = top.get<std::string>("description");
        rc.dt = top.get<double>("dt");
        rc.nSteps = top.get<long>("n_steps");
        rc.network.id = rc.name;
        rc.network.label = rc.name;
        forEach(top, "nodes", [&](const Fields& f) { readNode(f, rc); });
        forEach(top, "ensembles", [&](const Fields& f) { readEnsemble(f, parameters, rc); });
        forEach(top, "connections", [&](const Fields& f) { readConnection(f, parameters, rc); });
        forEach(top, "probes", [&](const Fields& f) { readProbe(f, parameters, rc); });
        return rc;
    } catch (const Error& e) {
        throw e.inFile(path);
    }
}

}  // namespace core
