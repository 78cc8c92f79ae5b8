#include "io/params_file.h"

#include "common/error.h"
#include "io/npy.h"

#include <map>
#include <set>

namespace core {

namespace {

// Object names in the file: labels where they are unique, ids otherwise.
std::map<std::string, std::string> fileNames(const BuiltModel& m) {
    std::map<std::string, int> uses;
    auto count = [&](const std::string& label) {
        if (!label.empty()) ++uses[label];
    };
    for (const auto& e : m.ensembles) count(e.label);
    for (const auto& c : m.connections) count(c.label);
    std::map<std::string, std::string> names;
    auto pick = [&](const std::string& id, const std::string& label) {
        names[id] = !label.empty() && uses[label] == 1 && label.find('/') == std::string::npos ? label : id;
    };
    for (const auto& e : m.ensembles) pick(e.id, e.label);
    for (const auto& c : m.connections) pick(c.id, c.label);
    return names;
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

}  // namespace

void saveParameters(const BuiltModel& m, const std::string& path) {
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
    writeNpz(path, arrays);
}

void loadParameters(BuiltModel& m, const std::string& path) {
    std::map<std::string, NpyArray> file;
    for (auto& [key, array] : readNpz(path)) file.emplace(key, std::move(array));
    const auto names = fileNames(m);
    std::set<std::string> used;
    auto take = [&](const std::string& object, const std::string& key, const std::vector<size_t>& shape) -> const NpyArray& {
        auto it = file.find(key);
        if (it == file.end()) throw Error("has no array '" + key + "': the file is from a different network", path, object);
        if (it->second.shape != shape)
            throw Error("'" + key + "' is " + shapeText(it->second.shape) + " in the file but " + shapeText(shape) +
                            " in the model",
                        path, object);
        used.insert(key);
        return it->second;
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
        if (!used.count(key)) throw Error("has '" + key + "', which the model has no place for", path);
    auto matrix = [&](const std::string& key, Eigen::Index rows, Eigen::Index cols) {
        return Matrix(Eigen::Map<const RowMajorMatrix>(file.at(key).values.data(), rows, cols));
    };
    for (auto& e : m.ensembles) {
        const std::string& n = names.at(e.id);
        e.scaledEncoders = matrix(n + "/encoders", e.nNeurons, e.dimensions);
        e.bias = matrix(n + "/bias", e.nNeurons, 1).col(0);
    }
    for (auto& c : m.connections) c.weights = matrix(names.at(c.id) + "/weights", c.weights.rows(), c.weights.cols());
}

}  // namespace core
