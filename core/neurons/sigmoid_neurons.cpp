#include "neurons/sigmoid_neurons.h"

#include "common/error.h"

#include <cmath>

namespace core {

GainBias SigmoidNeurons::gainBias(double maxRate, double intercept) const {
    const double ceiling = 1.0 / tauRef;
    if (!(maxRate > ceiling / 2.0 && maxRate < ceiling))
        throw Error("Sigmoid max rate " + std::to_string(maxRate) + " Hz must lie between 1/(2 tau_ref) and 1/tau_ref");
    const double q = -std::log(ceiling / maxRate - 1.0);
    const double gain = q / (1.0 - intercept);
    return {gain, q - gain};
}

double SigmoidNeurons::rate(double j) const { return (1.0 / tauRef) / (1.0 + std::exp(-j)); }

// In float, each rate is computed in double and rounded once.
template <class T>
void SigmoidNeurons::step(double, const T* j, T* out, NeuronStateViewOf<T>, std::size_t n) const {
    for (std::size_t i = 0; i < n; ++i) out[i] = static_cast<T>(rate(j[i]));
}

double SigmoidNeurons::rateDerivative(double j, double) const {
    const double s = 1.0 / (1.0 + std::exp(-j));
    return (1.0 / tauRef) * s * (1.0 - s);
}

// The two precisions the simulator runs in.
template void SigmoidNeurons::step(double, const double*, double*, NeuronStateViewOf<double>, std::size_t) const;
template void SigmoidNeurons::step(double, const float*, float*, NeuronStateViewOf<float>, std::size_t) const;

}  // namespace core
