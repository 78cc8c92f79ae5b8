#include "io/params_file.h"

#include "common/error.h"
#include "io/npy.h"
#include "sim/simulator.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

namespace core {

namespace {

struct Named {
    const std::string& id;
    const std::string& label;
};

// Object names in the file: labels where they are unique (and have no '/'), ids otherwise.
std::map<std::string, std::string> uniqueNames(const std::vector<Named>& objects) {
    std::map<std::string, int> uses;
    for (const auto& o : objects)
        if (!o.label.empty()) ++uses[o.label];
    std::map<std::string, std::string> names;
    for (const auto& o : objects)
        names[o.id] = !o.label.empty() && uses[o.label] == 1 && o.label.find('/') == std::string::npos ? o.label : o.id;
    return names;
}

// The parameters' names: ensembles and connections.
std::map<std::string, std::string> fileNames(const BuiltModel& m) {
    std::vector<Named> objects;
    for (const auto& e : m.ensembles) objects.push_back({e.id, e.label});
    for (const auto& c : m.connections) objects.push_back({c.id, c.label});
    return uniqueNames(objects);
}

uint64_t fnv(uint64_t h, const std::string& s) {
    for (unsigned char ch : s) h = (h ^ ch) * 1099511628211ull;
    return (h ^ 0xff) * 1099511628211ull;
}

// A 64-bit hash as four exactly representable 16-bit pieces.
NpyArray fingerprint(const std::vector<std::string>& parts) {
    uint64_t h = 1469598103934665603ull;
    for (const auto& p : parts) h = fnv(h, p);
    NpyArray a;
    a.shape = {4};
    for (int i = 0; i < 4; ++i) a.values.push_back(static_cast<double>((h >> (16 * i)) & 0xffff));
    return a;
}

NpyArray ensembleStructure(const BuiltEnsemble& e) {
    return fingerprint({"ensemble", e.id, std::to_string(e.nNeurons), std::to_string(e.dimensions)});
}

NpyArray connectionStructure(const BuiltModel& m, const BuiltConnection& c) {
    const std::string pre = c.source == Source::NodeOutput ? m.nodes[c.preIndex].id : m.ensembles[c.preIndex].id;
    std::string post;
    switch (c.apply) {
        case Apply::EnsembleInput:
        case Apply::NeuronInput:
        case Apply::NeuronInputTimesGain: post = m.ensembles[c.postIndex].id; break;
        case Apply::NodeInput: post = m.nodes[c.postIndex].id; break;
        case Apply::LearningRuleError: post = m.connections[c.postIndex].id; break;
    }
    return fingerprint({"connection", c.id, pre, post, std::to_string(static_cast<int>(c.apply)),
                        std::to_string(c.weights.rows()), std::to_string(c.weights.cols())});
}

NpyArray toArray(const Matrix& m) {
    NpyArray a;
    a.shape = {static_cast<size_t>(m.rows()), static_cast<size_t>(m.cols())};
    for (Eigen::Index r = 0; r < m.rows(); ++r)
        for (Eigen::Index c = 0; c < m.cols(); ++c) a.values.push_back(m(r, c));
    return a;
}

std::string shapeText(const std::vector<size_t>& shape) {
    std::string s;
    for (size_t d : shape) s += (s.empty() ? "" : "x") + std::to_string(d);
    return s.empty() ? "scalar" : s;
}

std::map<std::string, NpyArray> readArrays(const std::string& path) {
    std::map<std::string, NpyArray> file;
    for (auto& [key, array] : readNpz(path)) file.emplace(key, std::move(array));
    return file;
}

// The file's array `key` for `object`, which must have this shape.
const NpyArray& arrayOf(const std::map<std::string, NpyArray>& file, const std::string& path,
                        const std::string& object, const std::string& key, const std::vector<size_t>& shape) {
    const auto it = file.find(key);
    if (it == file.end()) throw Error("has no array '" + key + "': the file is from a different network", path, object);
    if (it->second.shape != shape)
        throw Error("'" + key + "' is " + shapeText(it->second.shape) + " in the file but " + shapeText(shape) +
                        " in the model",
                    path, object);
    return it->second;
}

// Parameters are finite: a NaN or infinity loaded would surface only later, as
// a network that outputs NaN, far from its cause.
void checkFinite(const NpyArray& a, const std::string& path, const std::string& object, const std::string& key) {
    const auto bad = std::find_if(a.values.begin(), a.values.end(), [](double v) { return !std::isfinite(v); });
    if (bad != a.values.end())
        throw Error("'" + key + "' holds " + (std::isnan(*bad) ? "NaN" : "infinity") + " at element " +
                        std::to_string(bad - a.values.begin()) + " (row-major)",
                    path, object);
}

Matrix toMatrix(const NpyArray& a, Eigen::Index rows, Eigen::Index cols) {
    return Eigen::Map<const RowMajorMatrix>(a.values.data(), rows, cols);
}

NpzArrays parameterArrays(const BuiltModel& m) {
    const auto names = fileNames(m);
    NpzArrays arrays;
    for (const auto& e : m.ensembles) {
        const std::string& n = names.at(e.id);
        arrays.emplace_back(n + "/structure", ensembleStructure(e));
        arrays.emplace_back(n + "/encoders", toArray(e.scaledEncoders));
        arrays.emplace_back(n + "/bias", toArray(e.bias));
    }
    for (const auto& c : m.connections) {
        const std::string& n = names.at(c.id);
        arrays.emplace_back(n + "/structure", connectionStructure(m, c));
        arrays.emplace_back(n + "/weights", toArray(c.weights));
    }
    return arrays;
}

// ---------------------------------------------------------------- simulator state

const std::string statePrefix = "state/";
const std::string stepKey = statePrefix + "simulator/step", dtKey = statePrefix + "simulator/dt";

// "state/<object>/<signal>" has two '/' at least; parameter keys have one (names
// have none), even for an object named "state".
bool isStateKey(const std::string& key) {
    return key.rfind(statePrefix, 0) == 0 && std::count(key.begin(), key.end(), '/') >= 2;
}

NpyArray scalar(double v) { return {{}, {v}}; }

struct StateKey {
    std::string object;  // id, for errors
    std::string key;
};

// The key of each SimulatorState value, "state/<object>/<signal>", in the order
// Simulator::forEachStateMatrix visits them: a change of that order must be
// mirrored here (tests/test_params.cpp checks the pairing on a whole run).
std::vector<StateKey> stateKeys(const BuiltModel& m, int minibatch) {
    std::vector<Named> objects;
    for (const auto& n : m.nodes) objects.push_back({n.id, n.label});
    for (const auto& e : m.ensembles) objects.push_back({e.id, e.label});
    for (const auto& c : m.connections) objects.push_back({c.id, c.label});
    for (const auto& p : m.probes) objects.push_back({p.id, p.label});
    const auto names = uniqueNames(objects);
    std::vector<StateKey> keys;
    auto add = [&](const std::string& id, std::initializer_list<const char*> signals) {
        for (const char* s : signals) keys.push_back({id, statePrefix + names.at(id) + "/" + s});
    };
    auto perStream = [&](const std::string& id, const std::string& signal) {
        for (int b = 0; b < minibatch; ++b)
            keys.push_back({id, statePrefix + names.at(id) + "/" + signal + "/" + std::to_string(b)});
    };
    for (const auto& n : m.nodes) add(n.id, {"output"});
    for (const auto& e : m.ensembles)
        add(e.id, {"decoded_input", "input_current", "output", "voltage", "refractory_time"});
    for (const auto& c : m.connections) {
        add(c.id, {"gathered_input", "weighted", "synapse_state", "synapse_output", "previous_synapse_output"});
        if (c.pes) perStream(c.id, "weights");
    }
    for (const auto& c : m.connections) {
        add(c.id, {"pes/pre_synapse_state", "pes/activities", "pes/error", "pes/projected_error"});
        if (!c.pes) continue;
        perStream(c.id, "pes/delta");
        perStream(c.id, "pes/previous_delta");
    }
    for (const auto& p : m.probes) add(p.id, {"signal", "synapse_state", "synapse_output"});
    return keys;
}

// The names and the simulator's state must pair one to one.
std::vector<StateKey> stateKeys(const Simulator& sim, const SimulatorState& state) {
    auto keys = stateKeys(sim.model(), sim.minibatch());
    if (keys.size() != state.values.size())
        throw Error("the simulator keeps " + std::to_string(state.values.size()) + " state arrays but " +
                    std::to_string(keys.size()) + " have names: params_file.cpp must follow the simulator");
    return keys;
}

}  // namespace

void saveParameters(const BuiltModel& m, const std::string& path) { writeNpz(path, parameterArrays(m)); }

void loadParameters(BuiltModel& m, const std::string& path) {
    const std::map<std::string, NpyArray> file = readArrays(path);
    const auto names = fileNames(m);
    std::set<std::string> used;
    auto take = [&](const std::string& object, const std::string& key,
                    const std::vector<size_t>& shape) -> const NpyArray& {
        used.insert(key);
        const NpyArray& array = arrayOf(file, path, object, key, shape);
        checkFinite(array, path, object, key);
        return array;
    };
    auto checkStructure = [&](const std::string& object, const std::string& name, const NpyArray& expected) {
        if (take(object, name + "/structure", {4}) != expected)
            throw Error("is connected or sized differently in the file's network", path, object);
    };
    // Check everything before changing anything.
    for (const auto& e : m.ensembles) {
        const std::string& n = names.at(e.id);
        checkStructure(e.id, n, ensembleStructure(e));
        take(e.id, n + "/encoders", {static_cast<size_t>(e.nNeurons), static_cast<size_t>(e.dimensions)});
        take(e.id, n + "/bias", {static_cast<size_t>(e.nNeurons), 1});
    }
    for (const auto& c : m.connections) {
        const std::string& n = names.at(c.id);
        checkStructure(c.id, n, connectionStructure(m, c));
        take(c.id, n + "/weights", {static_cast<size_t>(c.weights.rows()), static_cast<size_t>(c.weights.cols())});
    }
    for (const auto& [key, array] : file)
        if (!used.count(key) && !isStateKey(key))
            throw Error("has '" + key + "', which the model has no place for", path);
    auto matrix = [&](const std::string& key, Eigen::Index rows, Eigen::Index cols) {
        return toMatrix(file.at(key), rows, cols);
    };
    for (auto& e : m.ensembles) {
        const std::string& n = names.at(e.id);
        e.scaledEncoders = matrix(n + "/encoders", e.nNeurons, e.dimensions);
        e.bias = matrix(n + "/bias", e.nNeurons, 1).col(0);
    }
    for (auto& c : m.connections) c.weights = matrix(names.at(c.id) + "/weights", c.weights.rows(), c.weights.cols());
}

void saveParametersAndState(const Simulator& sim, const std::string& path) {
    NpzArrays arrays = parameterArrays(sim.model());
    const SimulatorState state = sim.saveState();
    const auto keys = stateKeys(sim, state);
    arrays.emplace_back(stepKey, scalar(static_cast<double>(state.step)));
    arrays.emplace_back(dtKey, scalar(sim.model().dt));
    for (size_t i = 0; i < keys.size(); ++i)
        if (state.values[i].size() > 0) arrays.emplace_back(keys[i].key, toArray(state.values[i]));
    writeNpz(path, arrays);
}

void loadState(Simulator& sim, const std::string& path) {
    const std::map<std::string, NpyArray> file = readArrays(path);
    if (!file.count(stepKey)) throw Error("has no simulator state (it holds parameters only)", path);
    const double dt = arrayOf(file, path, {}, dtKey, {}).values[0];
    if (dt != sim.model().dt)
        throw Error("the state was saved at dt " + std::to_string(dt) + " s, the simulator steps " +
                        std::to_string(sim.model().dt) + " s",
                    path, {}, "dt");
    // The simulator's own state gives the shapes; arrays with no elements are not saved.
    SimulatorState state = sim.saveState();
    const auto keys = stateKeys(sim, state);
    std::set<std::string> used{stepKey, dtKey};
    for (size_t i = 0; i < keys.size(); ++i) {
        Matrix& m = state.values[i];
        if (m.size() == 0) continue;
        const NpyArray& a = arrayOf(file, path, keys[i].object, keys[i].key,
                                    {static_cast<size_t>(m.rows()), static_cast<size_t>(m.cols())});
        m = toMatrix(a, m.rows(), m.cols());
        used.insert(keys[i].key);
    }
    for (const auto& [key, array] : file)
        if (isStateKey(key) && !used.count(key))
            throw Error("has '" + key + "', which the simulator has no place for (another network or minibatch size)",
                        path);
    const double step = arrayOf(file, path, {}, stepKey, {}).values[0];
    if (!(step >= 0.0) || step != std::floor(step))
        throw Error("the step count is not a whole number", path, {}, "step");
    state.step = static_cast<long>(step);
    sim.restoreState(state);
}

}  // namespace core
