#pragma once
#include <optional>
#include <variant>

namespace core {

// Nengo's Lowpass: 1 / (tau s + 1).
struct LowpassSynapse {
    double tau = 0.005;
    bool operator==(const LowpassSynapse&) const = default;
};

// Nengo's Alpha: 1 / (tau s + 1)^2.
struct AlphaSynapse {
    double tau = 0.005;
    bool operator==(const AlphaSynapse&) const = default;
};

using Synapse = std::variant<LowpassSynapse, AlphaSynapse>;
// No synapse (std::nullopt) means the value is delivered in the same step.
using OptionalSynapse = std::optional<Synapse>;

}  // namespace core
