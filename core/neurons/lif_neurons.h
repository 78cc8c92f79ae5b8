#pragma once
#include "neurons/gain_bias.h"

#include <cstddef>

namespace core {

// Leaky integrate-and-fire neurons: Nengo's LIF, spiking, with refractory
// period, spike-time overshoot and min_voltage.
struct LifNeurons {
    double tauRc = 0.02;
    double tauRef = 0.002;
    double minVoltage = 0.0;
    double amplitude = 1.0;

    static constexpr const char* typeName = "LIF";
    static constexpr bool spiking = true;
    static constexpr bool hasVoltage = true;
    static constexpr bool hasRefractoryTime = true;

    GainBias gainBias(double maxRate, double intercept) const;
    double rate(double j) const;  // LIFRate's formula, amplitude included
    // rate() of n currents, vectorised; T is double or float (the simulator's precision).
    template <class T>
    void rates(const T* j, T* out, std::size_t n) const;
    // d rate / dJ for training (vector-Jacobian product of step); spiking types
    // give their rate approximation's derivative. lifSmoothing: SoftLIF sigma (LIF only).
    double rateDerivative(double j, double lifSmoothing) const;
    template <class T>
    void step(double dt, const T* j, T* out, NeuronStateViewOf<T> state, std::size_t n) const;
    bool operator==(const LifNeurons&) const = default;
};

// Nengo's LIFRate: the firing rate of a LIF neuron as a smooth function of J.
struct LifRateNeurons {
    double tauRc = 0.02;
    double tauRef = 0.002;
    double amplitude = 1.0;

    static constexpr const char* typeName = "LIFRate";
    static constexpr bool spiking = false;
    static constexpr bool hasVoltage = false;
    static constexpr bool hasRefractoryTime = false;

    GainBias gainBias(double maxRate, double intercept) const;
    double rate(double j) const;
    template <class T>
    void rates(const T* j, T* out, std::size_t n) const;  // rate() of n currents, vectorised
    // d rate / dJ for training (vector-Jacobian product of step); spiking types
    // give their rate approximation's derivative. lifSmoothing: SoftLIF sigma (LIF only).
    double rateDerivative(double j, double lifSmoothing) const;
    // The vector-Jacobian product of step for n neurons, from the rates step
    // computed (no logarithm): currentGradient += rateGradient * d rate / dJ.
    template <class T>
    void addStepGradient(const T* j, const T* rate, const T* rateGradient, T* currentGradient, std::size_t n) const;
    template <class T>
    void step(double dt, const T* j, T* out, NeuronStateViewOf<T> state, std::size_t n) const;
    bool operator==(const LifRateNeurons&) const = default;
};

}  // namespace core
