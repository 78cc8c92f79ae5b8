#include "neurons/rectified_linear_neurons.h"

#include "common/error.h"

#include <algorithm>
#include <cmath>

namespace core {

namespace {
GainBias reluGainBias(double maxRate, double intercept) {
    if (intercept >= 1.0) throw Error("intercept " + std::to_string(intercept) + " must be below 1");
    const double gain = maxRate / (1.0 - intercept);
    return {gain, -intercept * gain};
}
}  // namespace

GainBias RectifiedLinearNeurons::gainBias(double maxRate, double intercept) const {
    return reluGainBias(maxRate, intercept);
}

double RectifiedLinearNeurons::rate(double j) const { return amplitude * std::max(j, 0.0); }

// In float, each rate is computed in double and rounded once.
template <class T>
void RectifiedLinearNeurons::step(double, const T* j, T* out, NeuronStateViewOf<T>, std::size_t n) const {
    for (std::size_t i = 0; i < n; ++i) out[i] = static_cast<T>(rate(j[i]));
}

GainBias SpikingRectifiedLinearNeurons::gainBias(double maxRate, double intercept) const {
    return reluGainBias(maxRate, intercept);
}

double SpikingRectifiedLinearNeurons::rate(double j) const { return RectifiedLinearNeurons{amplitude}.rate(j); }

template <class T>
void SpikingRectifiedLinearNeurons::step(double dt, const T* j, T* out, NeuronStateViewOf<T> state,
                                         std::size_t n) const {
    const T spikeHeight = static_cast<T>(amplitude / dt), step = static_cast<T>(dt);
    T* v = state.voltage;
    for (std::size_t i = 0; i < n; ++i) {
        v[i] += std::max(j[i], T(0)) * step;
        const T spikes = std::floor(v[i]);
        out[i] = spikeHeight * spikes;
        v[i] -= spikes;
    }
}

double RectifiedLinearNeurons::rateDerivative(double j, double) const { return j > 0.0 ? amplitude : 0.0; }

double SpikingRectifiedLinearNeurons::rateDerivative(double j, double) const {
    return RectifiedLinearNeurons{amplitude}.rateDerivative(j, 0.0);
}

// The two precisions the simulator runs in.
template void RectifiedLinearNeurons::step(double, const double*, double*, NeuronStateViewOf<double>, std::size_t) const;
template void RectifiedLinearNeurons::step(double, const float*, float*, NeuronStateViewOf<float>, std::size_t) const;
template void SpikingRectifiedLinearNeurons::step(double, const double*, double*, NeuronStateViewOf<double>, std::size_t) const;
template void SpikingRectifiedLinearNeurons::step(double, const float*, float*, NeuronStateViewOf<float>, std::size_t) const;

}  // namespace core
