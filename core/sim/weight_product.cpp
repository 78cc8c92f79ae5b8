#include "sim/weight_product.h"

#include "common/lanes.h"
#include "common/multiversion.h"

#include <algorithm>

// Lanes never cross a call that is not inlined (see common/lanes.h).
#pragma GCC diagnostic ignored "-Wpsabi"

namespace core {

namespace {

using namespace lanes;

// Measured with 1000 inputs, 12% of them spiking: up to 8 rows the transposed
// dot products win; from 16 rows on, visiting only the firing neurons' columns
// beats the dense product.
constexpr Eigen::Index kMaxTransposedRows = 8;
constexpr Eigen::Index kMinSparseRows = 16;
constexpr auto kWidth = static_cast<Eigen::Index>(kLanes);

// Eight partial sums, so the additions do not wait for each other.
[[gnu::always_inline]] inline double dot(const double* a, const double* b, Eigen::Index n) {
    Lanes sum0 = splat(0.0), sum1 = splat(0.0);
    Eigen::Index i = 0;
    for (; i + 2 * kWidth <= n; i += 2 * kWidth) {
        sum0 += load(a + i) * load(b + i);
        sum1 += load(a + i + kWidth) * load(b + i + kWidth);
    }
    const Lanes sum = sum0 + sum1;
    double total = (sum[0] + sum[1]) + (sum[2] + sum[3]);
    for (; i < n; ++i) total += a[i] * b[i];
    return total;
}

NEUROLOOM_MULTIVERSION void transposedProduct(const Matrix& transposed, const double* x, double* y) {
    for (Eigen::Index r = 0; r < transposed.cols(); ++r) y[r] = dot(transposed.col(r).data(), x, transposed.rows());
}

// y = W x visiting only the nonzero inputs, found four at a time.
NEUROLOOM_MULTIVERSION void firingColumnsProduct(const Matrix& w, const double* x, double* y) {
    constexpr std::size_t kBlock = 256;
    const Eigen::Index n = w.cols();
    Eigen::Map<Vector> out(y, w.rows());
    out.setZero();
    for (Eigen::Index first = 0; first < n; first += kBlock) {
        const Eigen::Index last = std::min<Eigen::Index>(first + kBlock, n);
        IndexList<kBlock> firing;
        Eigen::Index i = first;
        for (; i + kWidth <= last; i += kWidth)
            firing.appendLanes(laneBits(load(x + i) != splat(0.0)), static_cast<unsigned>(i));
        for (; i < last; ++i) firing.append(static_cast<unsigned>(i), x[i] != 0.0);
        for (std::size_t k = 0; k < firing.size; ++k) out += w.col(firing.index[k]) * x[firing.index[k]];
    }
}

// One row (a one-dimensional decoder): both products of a column are plain
// contiguous loops; Eigen's GEMM and GEMV for a single row cost more in
// set-up than in arithmetic.
NEUROLOOM_MULTIVERSION void addRowGradients(const double* __restrict w, const double* __restrict x, double g,
                                            double* __restrict weightGradient, double* __restrict inGradient,
                                            Eigen::Index n) {
    if (weightGradient)
        for (Eigen::Index i = 0; i < n; ++i) weightGradient[i] += g * x[i];
    if (inGradient)
        for (Eigen::Index i = 0; i < n; ++i) inGradient[i] += w[i] * g;
}

}  // namespace

NEUROLOOM_MULTIVERSION void encodeCurrents(const Matrix& scaledEncoders, const Vector& bias, const double* decoded,
                                           double* currents, Eigen::Index columns) {
    const Eigen::Index n = scaledEncoders.rows(), d = scaledEncoders.cols();
    const double* __restrict b = bias.data();
    for (Eigen::Index col = 0; col < columns; ++col) {
        const double* x = decoded + col * d;
        double* __restrict j = currents + col * n;
        const double* __restrict e = scaledEncoders.data();
        const double x0 = x[0];
        for (Eigen::Index i = 0; i < n; ++i) j[i] = b[i] + e[i] * x0;
        for (Eigen::Index k = 1; k < d; ++k) {
            const double xk = x[k];
            for (Eigen::Index i = 0; i < n; ++i) j[i] += e[k * n + i] * xk;
        }
    }
}

NEUROLOOM_MULTIVERSION void addEncodeGradients(const Matrix& scaledEncoders, const double* decoded,
                                               const double* currentGradient, double* encoderGradient,
                                               double* biasGradient, double* decodedGradient, Eigen::Index columns) {
    const Eigen::Index n = scaledEncoders.rows(), d = scaledEncoders.cols();
    for (Eigen::Index col = 0; col < columns; ++col) {
        const double* __restrict g = currentGradient + col * n;
        if (biasGradient) {
            double* __restrict gb = biasGradient;
            for (Eigen::Index i = 0; i < n; ++i) gb[i] += g[i];
        }
        for (Eigen::Index k = 0; k < d; ++k) {
            if (encoderGradient) {
                const double xk = decoded[col * d + k];
                double* __restrict ge = encoderGradient + k * n;
                for (Eigen::Index i = 0; i < n; ++i) ge[i] += g[i] * xk;
            }
            if (decodedGradient) decodedGradient[col * d + k] += dot(scaledEncoders.data() + k * n, g, n);
        }
    }
}

Matrix transposedForProduct(const Matrix& weights) {
    return weights.rows() <= kMaxTransposedRows ? Matrix(weights.transpose()) : Matrix();
}

void applyWeights(const Matrix& weights, const Matrix& transposed, const double* in, double* out,
                  Eigen::Index columns, bool spikingInput) {
    const Eigen::Index rows = weights.rows(), n = weights.cols();
    for (Eigen::Index b = 0; b < columns; ++b) {
        const double* x = in + b * n;
        double* y = out + b * rows;
        if (transposed.size() > 0)
            transposedProduct(transposed, x, y);
        else if (spikingInput && rows >= kMinSparseRows)
            firingColumnsProduct(weights, x, y);
        else
            Eigen::Map<Vector>(y, rows).noalias() = weights * Eigen::Map<const Vector>(x, n);
    }
}

void addWeightGradients(const Matrix& weights, const double* in, const double* outGradient, double* weightGradient,
                        double* inGradient, Eigen::Index columns) {
    const Eigen::Index rows = weights.rows(), n = weights.cols();
    for (Eigen::Index b = 0; b < columns; ++b) {
        const double* x = in + b * n;
        const double* g = outGradient + b * rows;
        double* gi = inGradient ? inGradient + b * n : nullptr;
        if (rows == 1) {
            addRowGradients(weights.data(), x, g[0], weightGradient, gi, n);
            continue;
        }
        const Eigen::Map<const Vector> gv(g, rows);
        if (weightGradient)
            Eigen::Map<Matrix>(weightGradient, rows, n).noalias() += gv * Eigen::Map<const Vector>(x, n).transpose();
        if (gi) Eigen::Map<Vector>(gi, n).noalias() += weights.transpose() * gv;
    }
}

}  // namespace core
