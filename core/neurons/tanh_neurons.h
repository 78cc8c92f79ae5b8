#pragma once
#include "neurons/gain_bias.h"

#include <cstddef>

namespace core {

// Nengo's Tanh: out = (1/tau_ref) * tanh(J); negative for negative J.
struct TanhNeurons {
    double tauRef = 0.0025;

    static constexpr const char* typeName = "Tanh";
    static constexpr bool spiking = false;
    static constexpr bool hasVoltage = false;
    static constexpr bool hasRefractoryTime = false;

    GainBias gainBias(double maxRate, double intercept) const;
    double rate(double j) const;
    // d rate / dJ for training (vector-Jacobian product of step); spiking types
    // give their rate approximation's derivative. lifSmoothing: SoftLIF sigma (LIF only).
    double rateDerivative(double j, double lifSmoothing) const;
    template <class T>  // double or float: the simulator's precision
    void step(double dt, const T* j, T* out, NeuronStateViewOf<T> state, std::size_t n) const;
    bool operator==(const TanhNeurons&) const = default;
};

}  // namespace core
