#pragma once

namespace core {

// Gain and bias of one neuron, from its max rate and intercept (Nengo's
// NeuronType.gain_bias). Amplitude never enters.
struct GainBias {
    double gain = 0.0;
    double bias = 0.0;
};

// The per-neuron state a neuron type may keep, in the simulator's precision.
// Rate types keep none.
template <class T>
struct NeuronStateViewOf {
    T* voltage = nullptr;
    T* refractoryTime = nullptr;
};
using NeuronStateView = NeuronStateViewOf<double>;

}  // namespace core
