#pragma once
#include "model/synapse.h"
#include "model/table.h"

#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace core {

enum class EndpointKind { Node, Ensemble, Neurons, Connection, LearningRule };

// What a connection or probe attaches to: an object id and which of its faces
// (an ensemble's decoded vector or its neurons; a connection's learning rule).
struct Endpoint {
    std::string id;
    EndpointKind kind = EndpointKind::Node;
    bool operator==(const Endpoint&) const = default;
};

// Index list into a vector; nullopt means all elements in order.
using Slice = std::optional<std::vector<int>>;

// Transform: a scalar times identity, a diagonal, or a full (size_out x size_mid) matrix.
using Transform = std::variant<double, std::vector<double>, Table>;

// A decoded function: one muParser expression per output dimension, of the
// pre's sliced decoded vector x0, x1, ... (also written x[0], x[1]; `x` alone
// when the pre slice has one element).
struct FunctionExpression {
    std::vector<std::string> expressions;
    bool operator==(const FunctionExpression&) const = default;
};

// A decoded function given as its values at the eval points (Nengo's
// function=array): rows match the eval points.
struct FunctionTargets {
    Table targets;
    bool operator==(const FunctionTargets&) const = default;
};

using ConnectionFunction = std::variant<FunctionExpression, FunctionTargets>;

// Nengo's LstsqL2: regularised least squares; weights=true solves for the full
// neuron-to-neuron matrix (post scaled encoders folded in).
struct LstsqL2 {
    double reg = 0.1;
    bool weights = false;
    bool operator==(const LstsqL2&) const = default;
};

// Nengo's PES online learning rule; the error arrives through connections
// whose post is this connection's learning rule.
struct PesRule {
    double learningRate = 1e-4;
    OptionalSynapse preSynapse = LowpassSynapse{0.005};
    bool operator==(const PesRule&) const = default;
};

struct Connection {
    std::string id;
    std::string label;
    Endpoint pre;
    Endpoint post;
    Slice preSlice;
    Slice postSlice;
    std::optional<ConnectionFunction> function;  // decoded connections only; none = identity
    Transform transform = 1.0;
    OptionalSynapse synapse = LowpassSynapse{0.005};
    LstsqL2 solver;
    std::optional<Table> evalPoints;  // default: the pre ensemble's
    std::optional<Table> decoders;    // explicit decoders (size_mid x n_pre) skip the solve
    // Explicit applied matrix (a frozen connection): replaces function,
    // transform and solve. One column per input (every pre neuron when
    // decoded), one row per delivered value (per post neuron in weights mode).
    std::optional<Table> weights;
    std::optional<PesRule> learningRule;
    bool trainable = true;

    bool operator==(const Connection&) const = default;
};

}  // namespace core
