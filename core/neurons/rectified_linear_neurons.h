#pragma once
#include "neurons/gain_bias.h"

#include <cstddef>

namespace core {

// Nengo's RectifiedLinear: out = amplitude * max(J, 0).
struct RectifiedLinearNeurons {
    double amplitude = 1.0;

    static constexpr const char* typeName = "RectifiedLinear";
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
    bool operator==(const RectifiedLinearNeurons&) const = default;
};

// Nengo's SpikingRectifiedLinear: integrates max(J, 0) and emits one spike per
// unit crossed (several in one step are possible).
struct SpikingRectifiedLinearNeurons {
    double amplitude = 1.0;

    static constexpr const char* typeName = "SpikingRectifiedLinear";
    static constexpr bool spiking = true;
    static constexpr bool hasVoltage = true;
    static constexpr bool hasRefractoryTime = false;

    GainBias gainBias(double maxRate, double intercept) const;
    double rate(double j) const;  // RectifiedLinear's
    // d rate / dJ for training (vector-Jacobian product of step); spiking types
    // give their rate approximation's derivative. lifSmoothing: SoftLIF sigma (LIF only).
    double rateDerivative(double j, double lifSmoothing) const;
    template <class T>  // double or float: the simulator's precision
    void step(double dt, const T* j, T* out, NeuronStateViewOf<T> state, std::size_t n) const;
    bool operator==(const SpikingRectifiedLinearNeurons&) const = default;
};

}  // namespace core
