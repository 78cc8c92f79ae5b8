#pragma once

namespace core {

// Gain and bias of one neuron, from its max rate and intercept (Nengo's
// NeuronType.gain_bias). Amplitude never enters.
struct GainBias {
    double gain = 0.0;
    double bias = 0.0;
};

// The per-neuron state a neuron type may keep. Rate types keep none.
struct NeuronStateView {
    double* voltage = nullptr;
    double* refractoryTime = nullptr;
};

}  // namespace core
