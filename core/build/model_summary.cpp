#include "build/model_summary.h"

#include <iomanip>
#include <sstream>

namespace core {

namespace {

std::string name(const std::string& id, const std::string& label) {
    return label.empty() || label == id ? id : label + " [" + id + "]";
}

const char* nodeKind(const NodeOutput& o) {
    static const char* names[] = {"constant", "sine", "square", "step", "piecewise", "white noise", "expression", "data", "passthrough"};
    return names[o.index()];
}

std::string endpointName(const BuiltModel& m, const BuiltConnection& c, bool pre) {
    if (pre) {
        if (c.source == Source::NodeOutput) return m.nodes[c.preIndex].id;
        return m.ensembles[c.preIndex].id + (c.decoded ? "" : ".neurons");
    }
    switch (c.apply) {
        case Apply::EnsembleInput: return m.ensembles[c.postIndex].id;
        case Apply::NeuronInput: return m.ensembles[c.postIndex].id + " (weights)";
        case Apply::NeuronInputTimesGain: return m.ensembles[c.postIndex].id + ".neurons";
        case Apply::NodeInput: return m.nodes[c.postIndex].id;
        case Apply::LearningRuleError: return m.connections[c.postIndex].id + ".learning_rule";
    }
    return "?";
}

}  // namespace

std::string modelSummary(const Network& network, const BuiltModel& m) {
    std::ostringstream out;
    out << "Model '" << name(network.id, network.label) << "', dt " << m.dt << " s\n\n";
    long neurons = 0, trainable = 0, parameters = 0;

    out << "Nodes (" << m.nodes.size() << ")\n";
    for (const auto& n : m.nodes)
        out << "  " << std::left << std::setw(28) << name(n.id, n.label) << " " << std::setw(12) << nodeKind(n.output)
            << " in " << n.sizeIn << ", out " << n.sizeOut << "\n";

    out << "\nEnsembles (" << m.ensembles.size() << ")\n";
    for (const auto& e : m.ensembles) {
        const long params = static_cast<long>(e.nNeurons) * e.dimensions + e.nNeurons;  // encoders + biases
        neurons += e.nNeurons;
        parameters += params;
        if (e.trainable) trainable += params;
        out << "  " << std::left << std::setw(28) << name(e.id, e.label) << " " << std::setw(24)
            << (std::to_string(e.nNeurons) + " " + neuronTypeName(e.neuronType)) << " " << e.dimensions << "-D, radius "
            << e.radius << ", " << params << " parameters" << (e.trainable ? "" : " (frozen)") << "\n";
    }

    out << "\nConnections (" << m.connections.size() << ")\n";
    for (const auto& c : m.connections) {
        const long params = static_cast<long>(c.weights.size());
        parameters += params;
        if (c.trainable && !c.pes) trainable += params;
        out << "  " << std::left << std::setw(28) << name(c.id, c.label) << " " << endpointName(m, c, true) << " -> "
            << endpointName(m, c, false) << ", weights " << c.weights.rows() << "x" << c.weights.cols()
            << (c.pes ? ", PES" : "") << (c.synapse ? "" : ", no synapse") << "\n";
    }

    out << "\nProbes (" << m.probes.size() << ")\n";
    for (const auto& p : m.probes)
        out << "  " << std::left << std::setw(28) << name(p.id, p.label) << " size " << p.size
            << (p.samplePeriod > 1.0 ? ", every " + std::to_string(p.samplePeriod * m.dt) + " s" : "") << "\n";

    out << "\nTotal: " << neurons << " neurons, " << parameters << " parameters (" << trainable
        << " trainable by default)\n";
    return out.str();
}

}  // namespace core
