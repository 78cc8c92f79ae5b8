#pragma once
// What build() makes of a Network: plain arrays the simulator steps and the
// trainer differentiates. Objects are flattened (subnetworks dissolved) and
// referred to by index.
#include "build/synapse_filter.h"
#include "model/node.h"
#include "neurons/neuron_type.h"

#include <optional>
#include <string>
#include <vector>

namespace core {

struct BuiltNode {
    std::string id, label;
    int sizeIn = 0, sizeOut = 0;
    NodeOutput output;  // evaluated by the simulator (passthrough: sum of inputs)
    bool passthrough() const { return std::holds_alternative<PassthroughOutput>(output); }
};

struct BuiltEnsemble {
    std::string id, label;
    int nNeurons = 0, dimensions = 0;
    double radius = 1.0;
    NeuronType neuronType;
    Vector maxRates, intercepts;  // as sampled (empty when gain/bias were explicit)
    Vector gain, bias;
    Matrix encoders;        // n x d, unit rows
    Matrix scaledEncoders;  // n x d, encoders * gain / radius
    Matrix evalPoints;      // m x d, radius included
    Vector initialVoltage, initialRefractoryTime;
    bool trainable = true;
};

// Where a connection's delivered value goes (reference README section 4.3).
enum class Apply { EnsembleInput, NodeInput, NeuronInputTimesGain, NeuronInput, LearningRuleError };

// Where a connection's input comes from.
enum class Source { NodeOutput, NeuronOutput };

struct BuiltPes {
    double learningRate = 0.0;
    double alpha = 0.0;  // -learning_rate * dt / n_pre
    int nPre = 0;
    int errorSize = 0;
    std::optional<SynapseFilter> preSynapse;
    Matrix errorEncoders;  // rows(W) x errorSize; empty = error used as it is
};

struct BuiltConnection {
    std::string id, label;
    Source source = Source::NodeOutput;
    int preIndex = -1;            // node or ensemble index
    std::vector<int> preIndices;  // picks the input (empty = all); never used for decoded connections
    bool decoded = false;
    Matrix evalPoints, targets, decoders;  // decoded connections only
    Matrix weights;                        // applied every step: u = W in
    std::optional<SynapseFilter> synapse;
    Apply apply = Apply::EnsembleInput;
    int postIndex = -1;            // ensemble, node, or learned connection index
    std::vector<int> postIndices;  // scatter targets (empty = all, in order)
    Vector postGains;              // NeuronInputTimesGain only
    std::optional<BuiltPes> pes;
    bool trainable = true;
};

enum class ProbedSignal {
    NodeOutput, DecodedOutput, EnsembleInput, NeuronOutput, NeuronInput, Voltage, RefractoryTime,
    ConnectionOutput, Weights, PesError, PesActivities, PesDelta
};

struct BuiltProbe {
    std::string id, label;
    ProbedSignal signal = ProbedSignal::NodeOutput;
    int targetIndex = -1;
    std::vector<int> indices;  // slice (empty = all); folded into decoders for DecodedOutput
    Matrix decoders;           // DecodedOutput only: size x n
    std::optional<SynapseFilter> synapse;
    double samplePeriod = 1.0;  // sample_every / dt in steps
    int size = 0;               // elements per sample
    int rows = 0, cols = 0;     // matrix signals (Weights, PesDelta); else rows = size, cols = 1
};

// One item of the per-step evaluation order.
struct EvaluationItem {
    enum class Kind { Ensemble, PassthroughNode, Connection };
    Kind kind;
    int index;
};

struct BuiltModel {
    double dt = 0.001;
    std::vector<BuiltNode> nodes;
    std::vector<BuiltEnsemble> ensembles;
    std::vector<BuiltConnection> connections;
    std::vector<BuiltProbe> probes;
    std::vector<EvaluationItem> order;  // dependency order of same-step evaluation

    int probeIndex(const std::string& id) const;
    int nodeIndex(const std::string& id) const;
    int ensembleIndex(const std::string& id) const;
    int connectionIndex(const std::string& id) const;
};

}  // namespace core
