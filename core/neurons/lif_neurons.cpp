#include "neurons/lif_neurons.h"

#include "common/error.h"

#include <algorithm>
#include <cmath>

namespace core {

namespace {

GainBias lifGainBias(double tauRc, double tauRef, double maxRate, double intercept) {
    if (!(maxRate > 0.0) || maxRate >= 1.0 / tauRef)
        throw Error("max rate " + std::to_string(maxRate) + " Hz is not below 1/tau_ref = " +
                    std::to_string(1.0 / tauRef) + " Hz");
    if (intercept >= 1.0) throw Error("intercept " + std::to_string(intercept) + " must be below 1");
    const double z = 1.0 / (1.0 - std::exp((tauRef - 1.0 / maxRate) / tauRc));
    const double gain = (1.0 - z) / (intercept - 1.0);
    return {gain, 1.0 - gain * intercept};
}

// The one formula for LIF's steady-state rate, shared by LIF and LIFRate.
double lifRate(double tauRc, double tauRef, double amplitude, double j) {
    const double excess = j - 1.0;
    return excess > 0.0 ? amplitude / (tauRef + tauRc * std::log1p(1.0 / excess)) : 0.0;
}

}  // namespace

GainBias LifNeurons::gainBias(double maxRate, double intercept) const {
    return lifGainBias(tauRc, tauRef, maxRate, intercept);
}

double LifNeurons::rate(double j) const { return lifRate(tauRc, tauRef, amplitude, j); }

void LifNeurons::step(double dt, const double* j, double* out, NeuronStateView state, std::size_t n) const {
    // A neuron that is not refractory integrates for the whole step; the decay
    // factor is then the same for all of them, so expm1 runs once, not per neuron.
    const double fullStepDecay = std::expm1(-dt / tauRc);
    const double spikeHeight = amplitude / dt;
    double* v = state.voltage;
    double* rt = state.refractoryTime;
    for (std::size_t i = 0; i < n; ++i) {
        rt[i] -= dt;
        const double integrate = std::clamp(dt - rt[i], 0.0, dt);
        const double decay = integrate == dt ? fullStepDecay : std::expm1(-integrate / tauRc);
        double vi = v[i] - (j[i] - v[i]) * decay;
        if (vi > 1.0) {
            const double spikeTime = dt + tauRc * std::log1p(-(vi - 1.0) / (j[i] - 1.0));
            out[i] = spikeHeight;
            v[i] = 0.0;
            rt[i] = tauRef + spikeTime;
        } else {
            out[i] = 0.0;
            v[i] = std::max(vi, minVoltage);
        }
    }
}

GainBias LifRateNeurons::gainBias(double maxRate, double intercept) const {
    return lifGainBias(tauRc, tauRef, maxRate, intercept);
}

double LifRateNeurons::rate(double j) const { return lifRate(tauRc, tauRef, amplitude, j); }

void LifRateNeurons::step(double, const double* j, double* out, NeuronStateView, std::size_t n) const {
    for (std::size_t i = 0; i < n; ++i) out[i] = rate(j[i]);
}

}  // namespace core
