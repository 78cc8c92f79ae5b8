#include "train/training_data.h"

#include "common/error.h"

#include <cmath>
#include <set>

namespace core {

namespace {

std::string shape(const Tensor3& t) {
    return "(" + std::to_string(t.n) + ", " + std::to_string(t.steps) + ", " + std::to_string(t.size) + ")";
}

bool differentiable(ProbedSignal s) {
    switch (s) {
        case ProbedSignal::NodeOutput:
        case ProbedSignal::DecodedOutput:
        case ProbedSignal::EnsembleInput:
        case ProbedSignal::NeuronOutput:
        case ProbedSignal::NeuronInput:
        case ProbedSignal::ConnectionOutput: return true;
        default: return false;
    }
}

// The file an array came from, if any, for errors about it.
std::string originOf(const TrainingData& data, const std::string& id) {
    const auto it = data.origins.find(id);
    return it == data.origins.end() ? std::string() : it->second;
}

void checkFinite(const Tensor3& t, const std::string& file, const std::string& object, const std::string& what) {
    for (size_t i = 0; i < t.values.size(); ++i)
        if (!std::isfinite(t.values[i]))
            throw Error(what + " contain " + std::to_string(t.values[i]) + " at flat index " + std::to_string(i), file,
                        object, what);
}

void checkShapes(const Tensor3& t, int n, int steps, const std::string& file, const std::string& object,
                 const std::string& what) {
    if (t.n != n || t.steps != steps)
        throw Error(what + " have shape " + shape(t) + " but other arrays have n = " + std::to_string(n) +
                        ", steps = " + std::to_string(steps),
                    file, object, what);
    if (t.values.size() != static_cast<size_t>(t.n) * t.steps * t.size)
        throw Error(what + " hold " + std::to_string(t.values.size()) + " values, not the " + shape(t) + " their shape needs",
                    file, object, what);
    checkFinite(t, file, object, what);
}

}  // namespace

int TrainingData::sequences() const {
    if (!inputs.empty()) return inputs.begin()->second.n;
    return targets.empty() ? 0 : targets.begin()->second.n;
}

int TrainingData::steps() const {
    if (!inputs.empty()) return inputs.begin()->second.steps;
    return targets.empty() ? 0 : targets.begin()->second.steps;
}

std::vector<ObjectiveTerm> defaultObjectives(const TrainingData& data) {
    std::vector<ObjectiveTerm> terms;
    for (const auto& [probe, target] : data.targets) terms.push_back({{probe}, MeanSquaredError{}});
    return terms;
}

void validateInputs(const BuiltModel& model, const TrainingData& data, int minibatchSize) {
    if (minibatchSize < 1) throw Error("minibatch size must be at least 1", {}, {}, "minibatch_size");
    const int n = data.sequences(), steps = data.steps();
    if (n == 0 || steps == 0) throw Error("training data is empty: give inputs or targets with n >= 1 and steps >= 1");
    for (const auto& [id, t] : data.inputs) {
        const std::string file = originOf(data, id);
        const int i = model.nodeIndex(id);
        if (i < 0) throw Error("no node with this id", file, id, "inputs");
        const BuiltNode& node = model.nodes[i];
        if (node.sizeIn != 0) throw Error("only nodes without inputs (size_in 0) take data", file, id, "inputs");
        if (t.size != node.sizeOut)
            throw Error("inputs have shape " + shape(t) + ", expected size " + std::to_string(node.sizeOut) + " (size_out)",
                        file, id, "inputs");
        checkShapes(t, n, steps, file, id, "inputs");
    }
    if (n % minibatchSize != 0)
        throw Error(std::to_string(n) + " sequences cannot be split into minibatches of " + std::to_string(minibatchSize) +
                    " (n must be a multiple of the minibatch size)");
}

void validateTrainingData(const BuiltModel& model, const TrainingData& data, const std::vector<ObjectiveTerm>& objectives,
                          int minibatchSize) {
    validateInputs(model, data, minibatchSize);
    const int n = data.sequences(), steps = data.steps();
    for (const auto& [id, t] : data.targets) {
        const std::string file = originOf(data, id);
        const int i = model.probeIndex(id);
        if (i < 0) throw Error("no probe with this id", file, id, "targets");
        const BuiltProbe& probe = model.probes[i];
        if (t.size != probe.size)
            throw Error("targets have shape " + shape(t) + ", expected size " + std::to_string(probe.size), file, id,
                        "targets");
        checkShapes(t, n, steps, file, id, "targets");
    }
    if (objectives.empty()) throw Error("nothing to train: no objective (give targets for at least one probe)");
    for (const ObjectiveTerm& term : objectives) {
        if (term.probes.empty()) throw Error("an objective names no probe", {}, {}, "objective");
        for (const std::string& id : term.probes) {
            const int i = model.probeIndex(id);
            if (i < 0) throw Error("no probe with this id", {}, id, "objective");
            const BuiltProbe& probe = model.probes[i];
            if (!differentiable(probe.signal))
                throw Error("this probe's signal has no gradient to train on", {}, id, "objective");
            if (probe.samplePeriod > 1.0)
                throw Error("a trained probe must sample every step (sample_every empty)", {}, id, "sample_every");
            if (needsTargets(term.objective) && !data.targets.count(id))
                throw Error("objective " + objectiveName(term.objective) + " needs targets for this probe", {}, id, "targets");
        }
    }
}

}  // namespace core
