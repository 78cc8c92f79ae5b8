#include "model/distribution.h"

#include "common/error.h"

#include <cmath>
#include <numeric>

namespace core {

uint64_t Rng::next() {
    uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

double Rng::uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }

double Rng::normal() {
    // Box-Muller; 1 - u keeps the logarithm finite.
    const double u = 1.0 - uniform(), v = uniform();
    return std::sqrt(-2.0 * std::log(u)) * std::cos(2.0 * M_PI * v);
}

uint64_t Rng::mix(uint64_t a, uint64_t b) {
    Rng r(a * 0x9E3779B97F4A7C15ull ^ (b + 0x632BE59BD9B4E019ull));
    return r.next();
}

namespace {

std::vector<double> sampleChoice(const Choice& c, int n, Rng& rng) {
    if (c.options.empty()) throw Error("Choice distribution has no options");
    std::vector<double> w = c.weights.empty() ? std::vector<double>(c.options.size(), 1.0) : c.weights;
    if (w.size() != c.options.size()) throw Error("Choice weights and options differ in length");
    const double total = std::accumulate(w.begin(), w.end(), 0.0);
    std::vector<double> out(n);
    for (auto& x : out) {
        double u = rng.uniform() * total;
        size_t i = 0;
        while (i + 1 < w.size() && u >= w[i]) u -= w[i++];
        x = c.options[i];
    }
    return out;
}

Matrix sampleHypersphere(bool surface, int n, int d, Rng& rng) {
    Matrix m(n, d);
    for (int i = 0; i < n; ++i) {
        double norm2 = 0.0;
        do {
            for (int j = 0; j < d; ++j) m(i, j) = rng.normal();
            norm2 = m.row(i).squaredNorm();
        } while (norm2 == 0.0);
        m.row(i) /= std::sqrt(norm2);
        if (!surface) m.row(i) *= std::pow(rng.uniform(), 1.0 / d);
    }
    return m;
}

}  // namespace

std::vector<double> sampleScalars(const Distribution& dist, int n, Rng& rng) {
    return std::visit(
        [&](const auto& d) -> std::vector<double> {
            using D = std::decay_t<decltype(d)>;
            if constexpr (std::is_same_v<D, Uniform>) {
                std::vector<double> out(n);
                for (auto& x : out) {
                    x = d.low + (d.high - d.low) * rng.uniform();
                    if (d.integer) x = std::floor(x);
                }
                return out;
            } else if constexpr (std::is_same_v<D, Choice>) {
                return sampleChoice(d, n, rng);
            } else if constexpr (std::is_same_v<D, ExplicitValues>) {
                if (static_cast<int>(d.values.values.size()) != n)
                    throw Error("explicit values have " + std::to_string(d.values.values.size()) +
                                " entries, expected " + std::to_string(n));
                return d.values.values;
            } else {
                throw Error("a hypersphere distribution gives vectors, not scalars");
            }
        },
        dist);
}

Matrix sampleVectors(const Distribution& dist, int n, int d, Rng& rng) {
    return std::visit(
        [&](const auto& dd) -> Matrix {
            using D = std::decay_t<decltype(dd)>;
            if constexpr (std::is_same_v<D, UniformHypersphere>) {
                return sampleHypersphere(dd.surface, n, d, rng);
            } else if constexpr (std::is_same_v<D, ExplicitValues>) {
                if (dd.values.rows != n || dd.values.cols != d)
                    throw Error("explicit values are " + std::to_string(dd.values.rows) + "x" +
                                std::to_string(dd.values.cols) + ", expected " + std::to_string(n) + "x" +
                                std::to_string(d));
                return dd.values.toMatrix();
            } else {
                // Scalar distributions sample every element independently (Nengo does the same).
                const auto flat = sampleScalars(dist, n * d, rng);
                return Eigen::Map<const RowMajorMatrix>(flat.data(), n, d);
            }
        },
        dist);
}

}  // namespace core
