#include "build/synapse_filter.h"

#include "common/error.h"

#include <cmath>

namespace core {

namespace {

SynapseFilter lowpass(double tau, double dt) {
    const double r = std::exp(-dt / tau);
    const double oneMinusR = -std::expm1(-dt / tau);
    SynapseFilter f;
    f.a = Matrix::Constant(1, 1, r);
    f.b = Vector::Constant(1, tau * oneMinusR);
    f.c = Vector::Constant(1, 1.0 / tau);
    return f;
}

SynapseFilter alpha(double tau, double dt) {
    const double r = std::exp(-dt / tau);
    const double oneMinusR = -std::expm1(-dt / tau);
    SynapseFilter f;
    f.a.resize(2, 2);
    f.a << r * (1.0 - dt / tau), r * (-dt / (tau * tau)), r * dt, r * (1.0 + dt / tau);
    f.b.resize(2);
    f.b << dt * r, tau * tau * oneMinusR - tau * dt * r;
    f.c.resize(2);
    f.c << 0.0, 1.0 / (tau * tau);
    return f;
}

}  // namespace

SynapseFilter discretise(const Synapse& synapse, double dt) {
    return std::visit(
        [dt](const auto& s) {
            if (!(s.tau > 0.0)) throw Error("synapse tau must be positive", {}, {}, "synapse");
            using S = std::decay_t<decltype(s)>;
            if constexpr (std::is_same_v<S, LowpassSynapse>)
                return lowpass(s.tau, dt);
            else
                return alpha(s.tau, dt);
        },
        synapse);
}

}  // namespace core

namespace core {

template <class T>
void filterStep(const SynapseFilter& f, T* state, const T* input, T* output, Eigen::Index count) {
    if (f.order() == 1) {
        const T a = T(f.a(0, 0)), b = T(f.b[0]), c = T(f.c[0]);
        T* x = state;
        for (Eigen::Index e = 0; e < count; ++e) {
            x[e] = a * x[e] + b * input[e];
            output[e] = c * x[e];
        }
        return;
    }
    // Order 2 (Alpha); written out so the hot loop allocates nothing.
    const T a00 = T(f.a(0, 0)), a01 = T(f.a(0, 1)), a10 = T(f.a(1, 0)), a11 = T(f.a(1, 1));
    const T b0 = T(f.b[0]), b1 = T(f.b[1]), c0 = T(f.c[0]), c1 = T(f.c[1]);
    T* x = state;
    for (Eigen::Index e = 0; e < count; ++e) {
        const T x0 = x[2 * e], x1 = x[2 * e + 1];
        const T n0 = a00 * x0 + a01 * x1 + b0 * input[e];
        const T n1 = a10 * x0 + a11 * x1 + b1 * input[e];
        x[2 * e] = n0;
        x[2 * e + 1] = n1;
        output[e] = c0 * n0 + c1 * n1;
    }
}

// lambda_k = A^T lambda_{k+1} + C^T dy_k, du_k = B^T lambda_k.
template <class T>
void filterBackwardStep(const SynapseFilter& f, MatrixOf<T>& adjoint, const T* outputGradient, T* inputGradient,
                        Eigen::Index count) {
    if (f.order() == 1) {
        const T a = T(f.a(0, 0)), b = T(f.b[0]), c = T(f.c[0]);
        T* lambda = adjoint.data();
        for (Eigen::Index e = 0; e < count; ++e) {
            lambda[e] = a * lambda[e] + c * outputGradient[e];
            inputGradient[e] = b * lambda[e];
        }
        return;
    }
    const T a00 = T(f.a(0, 0)), a01 = T(f.a(0, 1)), a10 = T(f.a(1, 0)), a11 = T(f.a(1, 1));
    const T b0 = T(f.b[0]), b1 = T(f.b[1]), c0 = T(f.c[0]), c1 = T(f.c[1]);
    T* lambda = adjoint.data();
    for (Eigen::Index e = 0; e < count; ++e) {
        const T l0 = lambda[2 * e], l1 = lambda[2 * e + 1];
        const T n0 = a00 * l0 + a10 * l1 + c0 * outputGradient[e];
        const T n1 = a01 * l0 + a11 * l1 + c1 * outputGradient[e];
        lambda[2 * e] = n0;
        lambda[2 * e + 1] = n1;
        inputGradient[e] = b0 * n0 + b1 * n1;
    }
}

// The two precisions the simulator and the trainer run in.
template void filterStep(const SynapseFilter&, double*, const double*, double*, Eigen::Index);
template void filterStep(const SynapseFilter&, float*, const float*, float*, Eigen::Index);
template void filterBackwardStep(const SynapseFilter&, MatrixOf<double>&, const double*, double*, Eigen::Index);
template void filterBackwardStep(const SynapseFilter&, MatrixOf<float>&, const float*, float*, Eigen::Index);

}  // namespace core
