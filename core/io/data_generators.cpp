#include "io/data_generators.h"

#include "common/error.h"
#include "model/distribution.h"

#include <cmath>

namespace core {

namespace {
void checkShape(int sequences, int steps, int size) {
    if (sequences < 1 || steps < 1 || size < 1) throw Error("sequences, steps and size must all be at least 1");
}
}  // namespace

Tensor3 bandLimitedNoise(int sequences, int steps, int size, double dt, double cutoffHz, double rms, uint64_t seed) {
    checkShape(sequences, steps, size);
    if (!(dt > 0.0 && cutoffHz > 0.0 && rms >= 0.0)) throw Error("band-limited noise needs dt > 0, cutoff > 0, rms >= 0");
    const double period = steps * dt;
    const int harmonics = std::max(1, static_cast<int>(std::floor(cutoffHz * period)));
    Tensor3 out(sequences, steps, size);
    for (int i = 0; i < sequences; ++i)
        for (int j = 0; j < size; ++j) {
            Rng rng(Rng::mix(seed, static_cast<uint64_t>(i) * 1000003u + j));
            std::vector<double> cosines(harmonics), sines(harmonics);
            for (int h = 0; h < harmonics; ++h) cosines[h] = rng.normal(), sines[h] = rng.normal();
            double power = 0.0;
            for (int k = 0; k < steps; ++k) {
                const double w = 2.0 * M_PI * (k + 1) * dt / period;
                double v = 0.0;
                for (int h = 0; h < harmonics; ++h) v += cosines[h] * std::cos((h + 1) * w) + sines[h] * std::sin((h + 1) * w);
                out.at(i, k, j) = v;
                power += v * v;
            }
            // Scale each signal to exactly the requested RMS over its own steps.
            const double scale = power > 0.0 ? rms / std::sqrt(power / steps) : 0.0;
            for (int k = 0; k < steps; ++k) out.at(i, k, j) *= scale;
        }
    return out;
}

Tensor3 sineSweep(int sequences, int steps, int size, double dt, double f0, double f1, double amplitude) {
    checkShape(sequences, steps, size);
    if (!(dt > 0.0)) throw Error("a sweep needs dt > 0");
    const double duration = steps * dt;
    Tensor3 out(sequences, steps, size);
    for (int i = 0; i < sequences; ++i)
        for (int k = 0; k < steps; ++k) {
            const double t = (k + 1) * dt;
            // Phase of a linear chirp: 2 pi (f0 t + (f1 - f0) t^2 / (2 T)).
            const double phase = 2.0 * M_PI * (f0 * t + (f1 - f0) * t * t / (2.0 * duration)) + 2.0 * M_PI * i / sequences;
            for (int j = 0; j < size; ++j) out.at(i, k, j) = amplitude * std::sin(phase + 0.5 * M_PI * j);
        }
    return out;
}

ClassificationSet gaussianClusters(int sequences, int steps, int classes, int dimensions, double spread, uint64_t seed) {
    checkShape(sequences, steps, dimensions);
    if (classes < 2) throw Error("a classification set needs at least 2 classes");
    if (dimensions < 2) throw Error("cluster centres lie on a circle: give at least 2 dimensions");
    Rng rng(seed);
    ClassificationSet set{Tensor3(sequences, steps, dimensions), Tensor3(sequences, steps, classes)};
    for (int i = 0; i < sequences; ++i) {
        const int label = i % classes;
        const double angle = 2.0 * M_PI * label / classes;
        std::vector<double> point(dimensions);
        for (int d = 0; d < dimensions; ++d)
            point[d] = (d == 0 ? std::cos(angle) : d == 1 ? std::sin(angle) : 0.0) + spread * rng.normal();
        for (int k = 0; k < steps; ++k) {
            for (int d = 0; d < dimensions; ++d) set.inputs.at(i, k, d) = point[d];
            set.targets.at(i, k, label) = 1.0;
        }
    }
    return set;
}

}  // namespace core
