#pragma once
#include "model/distribution.h"
#include "neurons/neuron_type.h"

#include <optional>
#include <string>
#include <vector>

namespace core {

struct NeuronInitialState {
    std::vector<double> voltage;         // empty = zeros
    std::vector<double> refractoryTime;  // empty = zeros
    bool operator==(const NeuronInitialState&) const = default;
};

// A population of neurons representing a `dimensions`-vector, with Nengo's defaults.
struct Ensemble {
    std::string id;
    std::string label;
    int nNeurons = 50;
    int dimensions = 1;
    double radius = 1.0;
    NeuronType neuronType = LifNeurons{};
    Distribution maxRates = Uniform{200.0, 400.0};
    Distribution intercepts = Uniform{-1.0, 0.9};
    Distribution encoders = UniformHypersphere{true};
    Distribution evalPoints = UniformHypersphere{false};
    std::optional<int> nEvalPoints;  // default: Nengo's max(clip(500 d, 750, 2500), 2 n)
    bool normalizeEncoders = true;
    std::optional<uint64_t> seed;  // default: derived from the network seed and the id
    // Explicit built parameters; when set they replace max_rates/intercepts.
    std::optional<std::vector<double>> gain;
    std::optional<std::vector<double>> bias;
    NeuronInitialState initialState;
    bool trainable = true;

    bool operator==(const Ensemble&) const = default;
};

}  // namespace core
