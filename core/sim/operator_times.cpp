#include "sim/operator_times.h"

#include <algorithm>

namespace core {

std::string operatorKindName(OperatorKind kind) {
    switch (kind) {
        case OperatorKind::NodeEvaluation: return "node evaluation";
        case OperatorKind::Encode: return "encode";
        case OperatorKind::NeuronStep: return "neuron step";
        case OperatorKind::WeightProduct: return "weight product";
        case OperatorKind::SynapseFilter: return "synapse filter";
        case OperatorKind::ProbeRecording: return "probe recording";
        case OperatorKind::LearningRule: return "learning rule";
    }
    return {};
}

std::vector<OperatorKind> operatorKindsOf(const BuiltModel& model) {
    const auto hasSynapse = [](const BuiltConnection& c) { return c.synapse.has_value(); };
    const auto learns = [](const BuiltConnection& c) { return c.pes.has_value(); };
    std::vector<OperatorKind> kinds;
    if (!model.nodes.empty()) kinds.push_back(OperatorKind::NodeEvaluation);
    if (!model.ensembles.empty()) {
        kinds.push_back(OperatorKind::Encode);
        kinds.push_back(OperatorKind::NeuronStep);
    }
    if (!model.connections.empty()) kinds.push_back(OperatorKind::WeightProduct);
    if (std::any_of(model.connections.begin(), model.connections.end(), hasSynapse))
        kinds.push_back(OperatorKind::SynapseFilter);
    if (!model.probes.empty()) kinds.push_back(OperatorKind::ProbeRecording);
    if (std::any_of(model.connections.begin(), model.connections.end(), learns))
        kinds.push_back(OperatorKind::LearningRule);
    return kinds;
}

double OperatorTimes::total() const {
    double sum = 0.0;
    for (double s : seconds) sum += s;
    return sum;
}

void OperatorTimes::addShares(const std::vector<OperatorTimes>& parts, double wallSeconds) {
    OperatorTimes sum;
    for (const OperatorTimes& part : parts)
        for (std::size_t k = 0; k < kOperatorKinds; ++k) sum.seconds[k] += part.seconds[k];
    const double measured = sum.total();
    if (measured <= 0.0) return;
    // Kernels timed on threads in parallel add up to more than the wall clock;
    // never credit more than the wall clock either way.
    const double scale = std::min(1.0, wallSeconds / measured);
    for (std::size_t k = 0; k < kOperatorKinds; ++k) seconds[k] += sum.seconds[k] * scale;
}

}  // namespace core
