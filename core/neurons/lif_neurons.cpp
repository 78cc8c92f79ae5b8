#include "neurons/lif_neurons.h"

#include "common/error.h"
#include "common/lanes.h"
#include "common/lanes_log1p.h"
#include "common/libm_exact.h"
#include "common/multiversion.h"

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

// The one formula for LIF's steady-state rate, shared by LIF and LIFRate,
// a lane's worth of currents at a time, in either precision. Below threshold
// the logarithm's NaN is discarded by the select.
template <class T>
struct LifRateConstants {
    T tauRc, tauRef, amplitude;
};

// Three passes over blocks of currents, each a short chain per value (see lanes::log1pInPlace).
template <class T>
[[gnu::always_inline]] inline void lifRatesOfBlock(const LifRateConstants<T>& c, const T* j, T* out,
                                                   std::size_t count) {
    using namespace lanes;
    constexpr std::size_t width = kLanesOf<T>;
    const LanesOf<T> one = splat(T(1));
    for (std::size_t i = 0; i < count; i += width) store(out + i, one / (load(j + i) - one));
    log1pInPlace(out, count);
    for (std::size_t i = 0; i < count; i += width) {
        const LanesOf<T> ji = load(j + i);
        store(out + i, ji > one ? c.amplitude / (c.tauRef + c.tauRc * load(out + i)) : splat(T(0)));
    }
}

// Below threshold the rate is zero: only the currents above it go through
// the formula, gathered into blocks (the last padded with currents at
// threshold), so a silent neuron costs no division and no logarithm. Each
// value still comes from the same operations as alone.
constexpr std::size_t kRateChunk = 256;

template <class T>
[[gnu::always_inline]] inline void lifRatesOfChunk(const LifRateConstants<T>& c, const T* j, T* out, std::size_t n) {
    using namespace lanes;
    constexpr std::size_t width = kLanesOf<T>;
    lanes::IndexList<kRateChunk, width> active;
    std::size_t i = 0;
    // Zeros first, stored while the currents are read: a separate fill of a
    // few hundred values costs more than the stores.
    for (; i + width <= n; i += width) {
        active.appendLanes(laneBits(load(j + i) > splat(T(1))), static_cast<unsigned>(i));
        store(out + i, splat(T(0)));
    }
    for (; i < n; ++i) {
        active.append(static_cast<unsigned>(i), j[i] > T(1));
        out[i] = T(0);
    }
    const std::size_t padded = (active.size + width - 1) / width * width;
    T currents[kRateChunk + width], rates[kRateChunk + width];
    for (std::size_t s = 0; s < active.size; ++s) currents[s] = j[active.index[s]];
    std::fill(currents + active.size, currents + padded, T(1));
    for (std::size_t s = 0; s < padded; s += kLog1pBlock)
        lifRatesOfBlock(c, currents + s, rates + s, std::min(kLog1pBlock, padded - s));
    for (std::size_t s = 0; s < active.size; ++s) out[active.index[s]] = rates[s];
}

template <class T>
[[gnu::always_inline]] inline void lifRatesOf(const LifRateConstants<T>& c, const T* j, T* out, std::size_t n) {
    for (std::size_t first = 0; first < n; first += kRateChunk)
        lifRatesOfChunk(c, j + first, out + first, std::min(kRateChunk, n - first));
}

NEUROLOOM_MULTIVERSION void lifRates(const LifRateConstants<double>& c, const double* j, double* out, std::size_t n) {
    lifRatesOf(c, j, out, n);
}
NEUROLOOM_MULTIVERSION void lifRates(const LifRateConstants<float>& c, const float* j, float* out, std::size_t n) {
    lifRatesOf(c, j, out, n);
}

template <class T>
void lifRates(double tauRc, double tauRef, double amplitude, const T* j, T* out, std::size_t n) {
    lifRates(LifRateConstants<T>{T(tauRc), T(tauRef), T(amplitude)}, j, out, n);
}

double lifRate(double tauRc, double tauRef, double amplitude, double j) {
    double rate = 0.0;
    lifRates(tauRc, tauRef, amplitude, &j, &rate, 1);
    return rate;
}

// LIF's update (README 6.3) for one neuron:
//   rt -= dt; integrate = clamp(dt - rt, 0, dt); v -= (J - v) expm1(-integrate / tau_rc);
//   a spike (v > 1) resets v to 0 and sets rt = tau_ref + dt + tau_rc log1p(-(v - 1) / (J - 1));
//   otherwise v = max(v, min_voltage).
// Most neurons integrate the whole step (the decay is the same for all of
// them) or none of it (deep in the refractory period, where the decay
// expm1(-0) is -0), and do not spike: those run four at a time with no
// transcendental function. The rest (a refractory period ending part-way
// through the step, a spike) are collected by index and finished by short
// passes, one for each transcendental function, which gives libm's own
// result for every value (common/libm_exact.h). Every value
// is computed by the same operations in the same order as the one-neuron
// formula above, so results are bit-identical to it.
template <class T>
struct LifStep {
    T dt, tauRc, tauRef, minVoltage, spikeHeight, fullStepDecay;
};

// The formula's pieces, for one number or for a lane's worth of them.
template <class T>
T integrationTime(T rt, T dt, T zero) {  // std::clamp(dt - rt, 0, dt)
    const T x = dt - rt;
    return x < zero ? zero : (dt < x ? dt : x);
}
template <class T>
T decayedVoltage(T v, T j, T decay) {
    return v - (j - v) * decay;
}
template <class T>
T atLeast(T v, T minVoltage) {  // std::max(v, minVoltage)
    return v < minVoltage ? minVoltage : v;
}

constexpr std::size_t kChunk = 256;  // neurons per pass: the index lists live on the stack
template <class T>
using IndexList = lanes::IndexList<kChunk, lanes::kLanesOf<T>>;

// A lane's worth of neurons at a time while that many remain; returns how
// many it did. Neurons with a partial step are left untouched and listed (as
// indexBase + i); spiking ones get their output and keep the crossing voltage
// in v for spikeTimes.
template <class T>
[[gnu::always_inline]] inline std::size_t commonCases(const LifStep<T>& c, const T* j, T* out, T* v, T* rt,
                                                      std::size_t n, unsigned indexBase, IndexList<T>& partial,
                                                      IndexList<T>& spiking) {
    using namespace lanes;
    using L = LanesOf<T>;
    using Mask = LaneMaskOf<T>;
    constexpr std::size_t width = kLanesOf<T>;
    const L dt = splat(c.dt), zero = splat(T(0)), one = splat(T(1)), fullStepDecay = splat(c.fullStepDecay),
            minVoltage = splat(c.minVoltage), spikeHeight = splat(c.spikeHeight);
    std::size_t i = 0;
    for (; i + width <= n; i += width) {
        const L rt0 = load(rt + i), v0 = load(v + i), ji = load(j + i);
        const L rt1 = rt0 - dt;
        const L integrate = integrationTime(rt1, dt, zero);
        const Mask whole = integrate == dt;
        const Mask part = ~(whole | (integrate == zero));
        const L vi = decayedVoltage(v0, ji, whole ? fullStepDecay : -integrate);  // -integrate == expm1(-0 / tau_rc)
        const Mask spike = (vi > one) & ~part;
        store(v + i, part ? v0 : (spike ? vi : atLeast(vi, minVoltage)));
        store(rt + i, part ? rt0 : rt1);
        store(out + i, spike ? spikeHeight : zero);
        partial.appendLanes(laneBits(part), indexBase + static_cast<unsigned>(i));
        spiking.appendLanes(laneBits(spike), indexBase + static_cast<unsigned>(i));
    }
    return i;
}

// The last neurons (fewer than a lane's worth) go through commonCases as one
// block padded with neurons past their refractory period, at rest and
// without current, which neither spike nor get listed.
template <class T>
[[gnu::always_inline]] inline void commonCasesOfTail(const LifStep<T>& c, const T* j, T* out, T* v, T* rt,
                                                     std::size_t count, unsigned indexBase, IndexList<T>& partial,
                                                     IndexList<T>& spiking) {
    constexpr std::size_t width = lanes::kLanesOf<T>;
    T jt[width] = {}, outt[width], vt[width] = {}, rtt[width] = {};
    std::copy_n(j, count, jt);
    std::copy_n(v, count, vt);
    std::copy_n(rt, count, rtt);
    commonCases(c, jt, outt, vt, rtt, width, indexBase, partial, spiking);
    std::copy_n(outt, count, out);
    std::copy_n(vt, count, v);
    std::copy_n(rtt, count, rt);
}

// Neurons whose refractory period ends inside the step integrate for a time
// of their own: expm1 per neuron.
template <class T>
[[gnu::always_inline]] inline void partialSteps(const LifStep<T>& c, const T* j, T* out, T* v, T* rt,
                                                const IndexList<T>& partial, IndexList<T>& spiking, T* scratch) {
    for (std::size_t s = 0; s < partial.size; ++s) {
        const unsigned i = partial.index[s];
        rt[i] -= c.dt;
        scratch[s] = -integrationTime(rt[i], c.dt, T(0)) / c.tauRc;
    }
    libm::expm1InPlace(scratch, partial.size);
    for (std::size_t s = 0; s < partial.size; ++s) {
        const unsigned i = partial.index[s];
        const T vi = decayedVoltage(v[i], j[i], scratch[s]);
        const bool spike = vi > T(1);
        out[i] = spike ? c.spikeHeight : T(0);
        v[i] = spike ? vi : atLeast(vi, c.minVoltage);
        spiking.append(i, spike);
    }
}

// The spike-time overshoot: the refractory period starts where v crossed 1.
template <class T>
[[gnu::always_inline]] inline void spikeTimes(const LifStep<T>& c, const T* j, T* v, T* rt,
                                              const IndexList<T>& spiking, T* scratch) {
    for (std::size_t s = 0; s < spiking.size; ++s) {
        const unsigned i = spiking.index[s];
        scratch[s] = -(v[i] - T(1)) / (j[i] - T(1));
    }
    libm::log1pInPlace(scratch, spiking.size);
    for (std::size_t s = 0; s < spiking.size; ++s) {
        const unsigned i = spiking.index[s];
        v[i] = T(0);
        rt[i] = c.tauRef + (c.dt + c.tauRc * scratch[s]);
    }
}

template <class T>
[[gnu::always_inline]] inline void lifStepOfChunk(const LifStep<T>& constants, const T* j, T* out, T* v, T* rt,
                                                  std::size_t n) {
    const LifStep<T> c = constants;  // a local copy: stores through the arrays cannot change it
    IndexList<T> partial, spiking;
    const std::size_t done = commonCases(c, j, out, v, rt, n, 0, partial, spiking);
    if (done < n)
        commonCasesOfTail(c, j + done, out + done, v + done, rt + done, n - done, static_cast<unsigned>(done), partial,
                          spiking);
    T scratch[kChunk];
    partialSteps(c, j, out, v, rt, partial, spiking, scratch);
    spikeTimes(c, j, v, rt, spiking, scratch);
}

NEUROLOOM_MULTIVERSION void lifStepChunk(const LifStep<double>& c, const double* j, double* out, double* v, double* rt,
                                         std::size_t n) {
    lifStepOfChunk(c, j, out, v, rt, n);
}
NEUROLOOM_MULTIVERSION void lifStepChunk(const LifStep<float>& c, const float* j, float* out, float* v, float* rt,
                                         std::size_t n) {
    lifStepOfChunk(c, j, out, v, rt, n);
}

}  // namespace

GainBias LifNeurons::gainBias(double maxRate, double intercept) const {
    return lifGainBias(tauRc, tauRef, maxRate, intercept);
}

double LifNeurons::rate(double j) const { return lifRate(tauRc, tauRef, amplitude, j); }

template <class T>
void LifNeurons::rates(const T* j, T* out, std::size_t n) const {
    lifRates(tauRc, tauRef, amplitude, j, out, n);
}

template <class T>
void LifNeurons::step(double dt, const T* j, T* out, NeuronStateViewOf<T> state, std::size_t n) const {
    // Constants rounded to T once; the decay of a whole step is computed in T too.
    const LifStep<T> c{T(dt), T(tauRc), T(tauRef), T(minVoltage), T(amplitude / dt), std::expm1(-T(dt) / T(tauRc))};
    for (std::size_t first = 0; first < n; first += kChunk)
        lifStepChunk(c, j + first, out + first, state.voltage + first, state.refractoryTime + first,
                     std::min(kChunk, n - first));
}

GainBias LifRateNeurons::gainBias(double maxRate, double intercept) const {
    return lifGainBias(tauRc, tauRef, maxRate, intercept);
}

double LifRateNeurons::rate(double j) const { return lifRate(tauRc, tauRef, amplitude, j); }

template <class T>
void LifRateNeurons::rates(const T* j, T* out, std::size_t n) const {
    lifRates(tauRc, tauRef, amplitude, j, out, n);
}

template <class T>
void LifRateNeurons::step(double, const T* j, T* out, NeuronStateViewOf<T>, std::size_t n) const {
    rates(j, out, n);
}

namespace {

// The derivative of LIF's rate, tau_rc rate^2 / (amplitude (J - 1) J) above
// threshold, 0 below. LIFRate and (unsmoothed) LIF share it.
double lifRateDerivative(double tauRc, double tauRef, double amplitude, double j) {
    if (j <= 1.0) return 0.0;
    const double r = lifRate(tauRc, tauRef, amplitude, j);
    return tauRc * r * r / (amplitude * (j - 1.0) * j);
}

// SoftLIFRate (Hunsberger & Eliasmith 2015): J - 1 replaced by the softplus
// sigma log(1 + exp((J - 1)/sigma)), so the gradient is non-zero below threshold.
double softLifRateDerivative(double tauRc, double tauRef, double amplitude, double sigma, double j) {
    const double x = (j - 1.0) / sigma;
    const double soft = x > 30.0 ? j - 1.0 : sigma * std::log1p(std::exp(x));
    if (soft <= 0.0) return 0.0;
    const double dSoft = 1.0 / (1.0 + std::exp(-x));
    const double denominator = tauRef + tauRc * std::log1p(1.0 / soft);
    return amplitude * tauRc / (denominator * denominator) * dSoft / (soft * (soft + 1.0));
}

}  // namespace

double LifNeurons::rateDerivative(double j, double lifSmoothing) const {
    return lifSmoothing > 0.0 ? softLifRateDerivative(tauRc, tauRef, amplitude, lifSmoothing, j)
                              : lifRateDerivative(tauRc, tauRef, amplitude, j);
}

double LifRateNeurons::rateDerivative(double j, double) const { return lifRateDerivative(tauRc, tauRef, amplitude, j); }

namespace {

// d rate / dJ = tau_rc rate^2 / (amplitude (J - 1) J) above threshold, as lifRateDerivative.
template <class T>
[[gnu::always_inline]] inline void addLifRateGradientOf(const LifRateConstants<T>& c, const T* j, const T* rate,
                                                        const T* rateGradient, T* currentGradient, std::size_t n) {
    using namespace lanes;
    using L = LanesOf<T>;
    constexpr std::size_t width = kLanesOf<T>;
    const L one = splat(T(1));
    auto derivative = [&](L ji, L ri) {
        return ji > one ? c.tauRc * ri * ri / (c.amplitude * (ji - one) * ji) : splat(T(0));
    };
    std::size_t i = 0;
    for (; i + width <= n; i += width)
        store(currentGradient + i, load(currentGradient + i) + load(rateGradient + i) * derivative(load(j + i), load(rate + i)));
    for (; i < n; ++i)
        currentGradient[i] += rateGradient[i] * derivative(splat(j[i]), splat(rate[i]))[0];
}

NEUROLOOM_MULTIVERSION void addLifRateGradient(const LifRateConstants<double>& c, const double* j, const double* rate,
                                               const double* rateGradient, double* currentGradient, std::size_t n) {
    addLifRateGradientOf(c, j, rate, rateGradient, currentGradient, n);
}
NEUROLOOM_MULTIVERSION void addLifRateGradient(const LifRateConstants<float>& c, const float* j, const float* rate,
                                               const float* rateGradient, float* currentGradient, std::size_t n) {
    addLifRateGradientOf(c, j, rate, rateGradient, currentGradient, n);
}

}  // namespace

template <class T>
void LifRateNeurons::addStepGradient(const T* j, const T* rate, const T* rateGradient, T* currentGradient,
                                     std::size_t n) const {
    addLifRateGradient(LifRateConstants<T>{T(tauRc), T(tauRef), T(amplitude)}, j, rate, rateGradient, currentGradient,
                       n);
}

// The two precisions the simulator and the trainer run in.
template void LifNeurons::rates(const double*, double*, std::size_t) const;
template void LifNeurons::rates(const float*, float*, std::size_t) const;
template void LifNeurons::step(double, const double*, double*, NeuronStateViewOf<double>, std::size_t) const;
template void LifNeurons::step(double, const float*, float*, NeuronStateViewOf<float>, std::size_t) const;
template void LifRateNeurons::rates(const double*, double*, std::size_t) const;
template void LifRateNeurons::rates(const float*, float*, std::size_t) const;
template void LifRateNeurons::step(double, const double*, double*, NeuronStateViewOf<double>, std::size_t) const;
template void LifRateNeurons::step(double, const float*, float*, NeuronStateViewOf<float>, std::size_t) const;
template void LifRateNeurons::addStepGradient(const double*, const double*, const double*, double*, std::size_t) const;
template void LifRateNeurons::addStepGradient(const float*, const float*, const float*, float*, std::size_t) const;

}  // namespace core
