#pragma once
// Seeded training data for teaching and tests, in NengoDL's shape
// (n_sequences, n_steps, size). Same arguments, same data.
#include "common/tensor3.h"

#include <cstdint>

namespace core {

// Band-limited white noise: per sequence and dimension a sum of sinusoids at
// the multiples of 1/(steps dt) up to cutoffHz with Gaussian amplitudes,
// scaled to the given RMS. Sample k is the signal at t = (k + 1) dt.
Tensor3 bandLimitedNoise(int sequences, int steps, int size, double dt, double cutoffHz, double rms, uint64_t seed);

// A linear sine sweep from f0 to f1 Hz over each sequence; sequence i starts
// at phase 2 pi i / sequences, dimension j is shifted by a quarter period per j.
Tensor3 sineSweep(int sequences, int steps, int size, double dt, double f0, double f1, double amplitude);

struct ClassificationSet {
    Tensor3 inputs;   // (n, steps, dimensions): one point per sequence, held over the steps
    Tensor3 targets;  // (n, steps, classes): its class, one-hot
};

// Points around `classes` centres on the unit circle (first two dimensions;
// others are noise), Gaussian spread; classes in turn.
ClassificationSet gaussianClusters(int sequences, int steps, int classes, int dimensions, double spread, uint64_t seed);

}  // namespace core
