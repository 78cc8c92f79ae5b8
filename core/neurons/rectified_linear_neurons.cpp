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

void RectifiedLinearNeurons::step(double, const double* j, double* out, NeuronStateView, std::size_t n) const {
    for (std::size_t i = 0; i < n; ++i) out[i] = rate(j[i]);
}

GainBias SpikingRectifiedLinearNeurons::gainBias(double maxRate, double intercept) const {
    return reluGainBias(maxRate, intercept);
}

double SpikingRectifiedLinearNeurons::rate(double j) const { return RectifiedLinearNeurons{amplitude}.rate(j); }

void SpikingRectifiedLinearNeurons::step(double dt, const double* j, double* out, NeuronStateView state,
                                         std::size_t n) const {
    const double spikeHeight = amplitude / dt;
    double* v = state.voltage;
    for (std::size_t i = 0; i < n; ++i) {
        v[i] += std::max(j[i], 0.0) * dt;
        const double spikes = std::floor(v[i]);
        out[i] = spikeHeight * spikes;
        v[i] -= spikes;
    }
}

double RectifiedLinearNeurons::rateDerivative(double j, double) const { return j > 0.0 ? amplitude : 0.0; }

double SpikingRectifiedLinearNeurons::rateDerivative(double j, double) const {
    return RectifiedLinearNeurons{amplitude}.rateDerivative(j, 0.0);
}

}  // namespace core
