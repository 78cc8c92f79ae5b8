#pragma once
// Distributions a user picks for max_rates, intercepts, encoders and eval
// points. Nengo's NumPy random streams cannot be reproduced, so sampling is
// seeded and deterministic here, and explicit arrays (ExplicitValues) carry
// exact values, which is how frozen models and the reference cases are given.
#include "model/table.h"

#include <cstdint>
#include <variant>
#include <vector>

namespace core {

struct Uniform {
    double low = 0.0;
    double high = 1.0;
    bool integer = false;
    bool operator==(const Uniform&) const = default;
};

struct Choice {
    std::vector<double> options;
    std::vector<double> weights;  // empty = equal probabilities
    bool operator==(const Choice&) const = default;
};

// Points on (surface) or inside the unit hypersphere, uniformly.
struct UniformHypersphere {
    bool surface = false;
    bool operator==(const UniformHypersphere&) const = default;
};

// Explicit values: (n x 1) for scalar quantities, (n x d) for vectors.
struct ExplicitValues {
    Table values;
    bool operator==(const ExplicitValues&) const = default;
};

using Distribution = std::variant<Uniform, Choice, UniformHypersphere, ExplicitValues>;

// Deterministic 64-bit generator (SplitMix64) so samples are identical on every
// platform and standard library.
class Rng {
public:
    explicit Rng(uint64_t seed) : state_(seed) {}
    uint64_t next();
    double uniform();  // [0, 1)
    double normal();
    static uint64_t mix(uint64_t a, uint64_t b);

private:
    uint64_t state_;
};

// n scalar samples.
std::vector<double> sampleScalars(const Distribution& dist, int n, Rng& rng);
// n x d samples of vectors.
Matrix sampleVectors(const Distribution& dist, int n, int d, Rng& rng);

}  // namespace core
