#include "neurons/tanh_neurons.h"

#include "common/error.h"

#include <cmath>

namespace core {

GainBias TanhNeurons::gainBias(double maxRate, double intercept) const {
    if (!(maxRate > 0.0 && maxRate * tauRef < 1.0))
        throw Error("Tanh max rate " + std::to_string(maxRate) + " Hz must lie between 0 and 1/tau_ref");
    const double q = std::atanh(maxRate * tauRef);
    const double gain = q / (1.0 - intercept);
    return {gain, -gain * intercept};
}

double TanhNeurons::rate(double j) const { return (1.0 / tauRef) * std::tanh(j); }

// In float, each rate is computed in double and rounded once.
template <class T>
void TanhNeurons::step(double, const T* j, T* out, NeuronStateViewOf<T>, std::size_t n) const {
    for (std::size_t i = 0; i < n; ++i) out[i] = static_cast<T>(rate(j[i]));
}

double TanhNeurons::rateDerivative(double j, double) const {
    const double t = std::tanh(j);
    return (1.0 / tauRef) * (1.0 - t * t);
}

// The two precisions the simulator runs in.
template void TanhNeurons::step(double, const double*, double*, NeuronStateViewOf<double>, std::size_t) const;
template void TanhNeurons::step(double, const float*, float*, NeuronStateViewOf<float>, std::size_t) const;

}  // namespace core
