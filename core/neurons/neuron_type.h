#pragma once
// The closed set of neuron types. Each type's math (gain/bias, rate function,
// per-step update) lives in its own file; code that needs "any neuron type"
// visits this variant.
#include "neurons/lif_neurons.h"
#include "neurons/rectified_linear_neurons.h"
#include "neurons/sigmoid_neurons.h"
#include "neurons/tanh_neurons.h"

#include <string>
#include <variant>

namespace core {

using NeuronType = std::variant<LifNeurons, LifRateNeurons, RectifiedLinearNeurons, SpikingRectifiedLinearNeurons,
                                SigmoidNeurons, TanhNeurons>;

inline std::string neuronTypeName(const NeuronType& t) {
    return std::visit([](const auto& n) { return std::string(n.typeName); }, t);
}
inline bool isSpiking(const NeuronType& t) {
    return std::visit([](const auto& n) { return n.spiking; }, t);
}
inline bool hasVoltage(const NeuronType& t) {
    return std::visit([](const auto& n) { return n.hasVoltage; }, t);
}
inline bool hasRefractoryTime(const NeuronType& t) {
    return std::visit([](const auto& n) { return n.hasRefractoryTime; }, t);
}

// rate() of n currents (out must not alias j): through a type's vectorised
// kernel where it has one, which gives each value exactly as rate() does.
template <class Neurons>
void ratesOf(const Neurons& neurons, const double* j, double* out, std::size_t n) {
    if constexpr (requires { neurons.rates(j, out, n); })
        neurons.rates(j, out, n);
    else
        for (std::size_t i = 0; i < n; ++i) out[i] = neurons.rate(j[i]);
}

}  // namespace core
