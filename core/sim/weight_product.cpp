#include "sim/weight_product.h"

#include "common/lanes.h"
#include "common/multiversion.h"

#include <algorithm>

namespace core {

namespace {

using namespace lanes;

// Measured with 1000 inputs, 12% of them spiking: up to 8 rows the transposed
// dot products win; from 16 rows on, visiting only the firing neurons' columns
// beats the dense product.
constexpr Eigen::Index kMaxTransposedRows = 8;
constexpr Eigen::Index kMinSparseRows = 16;

// Each kernel is written once, as an always-inlined template, and compiled
// per precision inside a NEUROLOOM_MULTIVERSION overload (GCC clones
// functions, not templates).

// Two lanes of partial sums, so the additions do not wait for each other.
template <class T>
[[gnu::always_inline]] inline T dot(const T* a, const T* b, Eigen::Index n) {
    constexpr auto width = static_cast<Eigen::Index>(kLanesOf<T>);
    LanesOf<T> sum0 = splat(T(0)), sum1 = splat(T(0));
    Eigen::Index i = 0;
    for (; i + 2 * width <= n; i += 2 * width) {
        sum0 += load(a + i) * load(b + i);
        sum1 += load(a + i + width) * load(b + i + width);
    }
    const LanesOf<T> sum = sum0 + sum1;
    // Pairwise, as the double version always added its four lanes.
    T lanesTotal[width];
    store(lanesTotal, sum);
    for (Eigen::Index half = width / 2; half > 0; half /= 2)
        for (Eigen::Index k = 0; k < half; ++k) lanesTotal[k] = lanesTotal[2 * k] + lanesTotal[2 * k + 1];
    T total = lanesTotal[0];
    for (; i < n; ++i) total += a[i] * b[i];
    return total;
}

template <class T>
[[gnu::always_inline]] inline void transposedProductOf(const MatrixOf<T>& transposed, const T* x, T* y) {
    for (Eigen::Index r = 0; r < transposed.cols(); ++r) y[r] = dot(transposed.col(r).data(), x, transposed.rows());
}

// y = W x visiting only the nonzero inputs, found a lane's worth at a time.
template <class T>
[[gnu::always_inline]] inline void firingColumnsProductOf(const MatrixOf<T>& w, const T* x, T* y) {
    constexpr std::size_t kBlock = 256;
    constexpr auto width = static_cast<Eigen::Index>(kLanesOf<T>);
    const Eigen::Index n = w.cols();
    Eigen::Map<VectorOf<T>> out(y, w.rows());
    out.setZero();
    for (Eigen::Index first = 0; first < n; first += kBlock) {
        const Eigen::Index last = std::min<Eigen::Index>(first + kBlock, n);
        IndexList<kBlock, kLanesOf<T>> firing;
        Eigen::Index i = first;
        for (; i + width <= last; i += width)
            firing.appendLanes(laneBits(load(x + i) != splat(T(0))), static_cast<unsigned>(i));
        for (; i < last; ++i) firing.append(static_cast<unsigned>(i), x[i] != T(0));
        for (std::size_t k = 0; k < firing.size; ++k) out += w.col(firing.index[k]) * x[firing.index[k]];
    }
}

// One row (a one-dimensional decoder): both products of a column are plain
// contiguous loops; Eigen's GEMM and GEMV for a single row cost more in
// set-up than in arithmetic.
template <class T>
[[gnu::always_inline]] inline void addRowGradientsOf(const T* __restrict w, const T* __restrict x, T g,
                                                     T* __restrict weightGradient, T* __restrict inGradient,
                                                     Eigen::Index n) {
    if (weightGradient)
        for (Eigen::Index i = 0; i < n; ++i) weightGradient[i] += g * x[i];
    if (inGradient)
        for (Eigen::Index i = 0; i < n; ++i) inGradient[i] += w[i] * g;
}

template <class T>
[[gnu::always_inline]] inline void encodeCurrentsOf(const MatrixOf<T>& scaledEncoders, const VectorOf<T>& bias,
                                                    const T* decoded, T* currents, Eigen::Index columns) {
    const Eigen::Index n = scaledEncoders.rows(), d = scaledEncoders.cols();
    const T* __restrict b = bias.data();
    for (Eigen::Index col = 0; col < columns; ++col) {
        const T* x = decoded + col * d;
        T* __restrict j = currents + col * n;
        const T* __restrict e = scaledEncoders.data();
        const T x0 = x[0];
        for (Eigen::Index i = 0; i < n; ++i) j[i] = b[i] + e[i] * x0;
        for (Eigen::Index k = 1; k < d; ++k) {
            const T xk = x[k];
            for (Eigen::Index i = 0; i < n; ++i) j[i] += e[k * n + i] * xk;
        }
    }
}

template <class T>
[[gnu::always_inline]] inline void addEncodeGradientsOf(const MatrixOf<T>& scaledEncoders, const T* decoded,
                                                        const T* currentGradient, T* encoderGradient, T* biasGradient,
                                                        T* decodedGradient, Eigen::Index columns) {
    const Eigen::Index n = scaledEncoders.rows(), d = scaledEncoders.cols();
    for (Eigen::Index col = 0; col < columns; ++col) {
        const T* __restrict g = currentGradient + col * n;
        if (biasGradient) {
            T* __restrict gb = biasGradient;
            for (Eigen::Index i = 0; i < n; ++i) gb[i] += g[i];
        }
        for (Eigen::Index k = 0; k < d; ++k) {
            if (encoderGradient) {
                const T xk = decoded[col * d + k];
                T* __restrict ge = encoderGradient + k * n;
                for (Eigen::Index i = 0; i < n; ++i) ge[i] += g[i] * xk;
            }
            if (decodedGradient) decodedGradient[col * d + k] += dot(scaledEncoders.data() + k * n, g, n);
        }
    }
}

NEUROLOOM_MULTIVERSION void transposedProduct(const MatrixOf<double>& t, const double* x, double* y) {
    transposedProductOf(t, x, y);
}
NEUROLOOM_MULTIVERSION void transposedProduct(const MatrixOf<float>& t, const float* x, float* y) {
    transposedProductOf(t, x, y);
}
NEUROLOOM_MULTIVERSION void firingColumnsProduct(const MatrixOf<double>& w, const double* x, double* y) {
    firingColumnsProductOf(w, x, y);
}
NEUROLOOM_MULTIVERSION void firingColumnsProduct(const MatrixOf<float>& w, const float* x, float* y) {
    firingColumnsProductOf(w, x, y);
}
NEUROLOOM_MULTIVERSION void addRowGradients(const double* w, const double* x, double g, double* weightGradient,
                                            double* inGradient, Eigen::Index n) {
    addRowGradientsOf(w, x, g, weightGradient, inGradient, n);
}
NEUROLOOM_MULTIVERSION void addRowGradients(const float* w, const float* x, float g, float* weightGradient,
                                            float* inGradient, Eigen::Index n) {
    addRowGradientsOf(w, x, g, weightGradient, inGradient, n);
}
NEUROLOOM_MULTIVERSION void encodeKernel(const MatrixOf<double>& e, const VectorOf<double>& b, const double* x,
                                         double* j, Eigen::Index columns) {
    encodeCurrentsOf(e, b, x, j, columns);
}
NEUROLOOM_MULTIVERSION void encodeKernel(const MatrixOf<float>& e, const VectorOf<float>& b, const float* x, float* j,
                                         Eigen::Index columns) {
    encodeCurrentsOf(e, b, x, j, columns);
}
NEUROLOOM_MULTIVERSION void encodeGradientKernel(const MatrixOf<double>& e, const double* x, const double* g,
                                                 double* ge, double* gb, double* gx, Eigen::Index columns) {
    addEncodeGradientsOf(e, x, g, ge, gb, gx, columns);
}
NEUROLOOM_MULTIVERSION void encodeGradientKernel(const MatrixOf<float>& e, const float* x, const float* g, float* ge,
                                                 float* gb, float* gx, Eigen::Index columns) {
    addEncodeGradientsOf(e, x, g, ge, gb, gx, columns);
}

}  // namespace

template <class T>
void encodeCurrents(const MatrixOf<T>& scaledEncoders, const VectorOf<T>& bias, const T* decoded, T* currents,
                    Eigen::Index columns) {
    encodeKernel(scaledEncoders, bias, decoded, currents, columns);
}

template <class T>
void addEncodeGradients(const MatrixOf<T>& scaledEncoders, const T* decoded, const T* currentGradient,
                        T* encoderGradient, T* biasGradient, T* decodedGradient, Eigen::Index columns) {
    encodeGradientKernel(scaledEncoders, decoded, currentGradient, encoderGradient, biasGradient, decodedGradient,
                         columns);
}

template <class T>
MatrixOf<T> transposedForProduct(const MatrixOf<T>& weights) {
    return weights.rows() <= kMaxTransposedRows ? MatrixOf<T>(weights.transpose()) : MatrixOf<T>();
}

template <class T>
void applyWeights(const MatrixOf<T>& weights, const MatrixOf<T>& transposed, const T* in, T* out,
                  Eigen::Index columns, bool spikingInput) {
    const Eigen::Index rows = weights.rows(), n = weights.cols();
    for (Eigen::Index b = 0; b < columns; ++b) {
        const T* x = in + b * n;
        T* y = out + b * rows;
        if (transposed.size() > 0)
            transposedProduct(transposed, x, y);
        else if (spikingInput && rows >= kMinSparseRows)
            firingColumnsProduct(weights, x, y);
        else
            Eigen::Map<VectorOf<T>>(y, rows).noalias() = weights * Eigen::Map<const VectorOf<T>>(x, n);
    }
}

template <class T>
void addWeightGradients(const MatrixOf<T>& weights, const T* in, const T* outGradient, T* weightGradient,
                        T* inGradient, Eigen::Index columns) {
    const Eigen::Index rows = weights.rows(), n = weights.cols();
    for (Eigen::Index b = 0; b < columns; ++b) {
        const T* x = in + b * n;
        const T* g = outGradient + b * rows;
        T* gi = inGradient ? inGradient + b * n : nullptr;
        if (rows == 1) {
            addRowGradients(weights.data(), x, g[0], weightGradient, gi, n);
            continue;
        }
        const Eigen::Map<const VectorOf<T>> gv(g, rows);
        if (weightGradient)
            Eigen::Map<MatrixOf<T>>(weightGradient, rows, n).noalias() +=
                gv * Eigen::Map<const VectorOf<T>>(x, n).transpose();
        if (gi) Eigen::Map<VectorOf<T>>(gi, n).noalias() += weights.transpose() * gv;
    }
}

// The two precisions the simulator and the trainer run in.
#define NEUROLOOM_INSTANTIATE(T)                                                                                      \
    template void encodeCurrents(const MatrixOf<T>&, const VectorOf<T>&, const T*, T*, Eigen::Index);               \
    template void addEncodeGradients(const MatrixOf<T>&, const T*, const T*, T*, T*, T*, Eigen::Index);             \
    template MatrixOf<T> transposedForProduct(const MatrixOf<T>&);                                                   \
    template void applyWeights(const MatrixOf<T>&, const MatrixOf<T>&, const T*, T*, Eigen::Index, bool);           \
    template void addWeightGradients(const MatrixOf<T>&, const T*, const T*, T*, T*, Eigen::Index);
NEUROLOOM_INSTANTIATE(double)
NEUROLOOM_INSTANTIATE(float)
#undef NEUROLOOM_INSTANTIATE

}  // namespace core
