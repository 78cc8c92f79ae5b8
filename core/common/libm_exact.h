#pragma once
// expm1 and log1p of many doubles at once, each bit for bit what this
// machine's libm returns for it. Nengo computes a LIF neuron's partial step
// and spike time with numpy, that is with libm, so the simulator must get the
// same numbers to fire the same spikes; one libm call per value, though, was
// a third of a spiking step.
//
// glibc's two functions are fdlibm's algorithm, which on a CPU with AVX2 and
// FMA runs in a build with fused multiply-adds. For arguments on its main
// path (|x| from 2^-54 (expm1) or 2^-29 (log1p) up to about 0.29, which
// holds every decay and spike-time argument of a LIF step at Nengo's dt and
// tau_rc) this file does the same operations, fused where that build fuses
// them, four values at a time; every other argument goes to libm itself. The
// vector path runs only where a check at first use finds it equal to libm on
// a spread of arguments: another libm, or a CPU without FMA, gets libm for
// every value.
#include <cmath>
#include <cstddef>

namespace core::libm {

void expm1InPlace(double* values, std::size_t count);
void log1pInPlace(double* values, std::size_t count);

// Floats go to libm one by one (float32 makes no claim of Nengo's numbers).
inline void expm1InPlace(float* values, std::size_t count) {
    for (std::size_t i = 0; i < count; ++i) values[i] = std::expm1(values[i]);
}
inline void log1pInPlace(float* values, std::size_t count) {
    for (std::size_t i = 0; i < count; ++i) values[i] = std::log1p(values[i]);
}

// Whether the four-at-a-time path is in use on this machine.
bool vectorPathActive();

}  // namespace core::libm
