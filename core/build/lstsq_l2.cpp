#include "build/lstsq_l2.h"

#include "build/regularised_solve.h"
#include "common/error.h"

#include <tbb/parallel_for.h>

#include <algorithm>

namespace core {

namespace baseline {
#include "build/regularised_solve.inc"
}  // namespace baseline

namespace {

bool solveOnThisCpu(const Matrix& activities, const Matrix& targets, double lambda, Matrix& solution) {
    const auto solve =
#ifdef NEUROLOOM_AVX2_SOLVE
        __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") ? avx2::regularisedSolve :
#endif
                                                                        baseline::regularisedSolve;
    return solve(activities.data(), activities.rows(), activities.cols(), targets.data(), targets.cols(), lambda,
                 solution.data());
}

}  // namespace

Matrix solveLstsqL2(const Matrix& activities, const Matrix& targets, double reg) {
    // Nengo takes the signed maximum, not the largest magnitude (matters for Tanh).
    const double sigma = reg * activities.maxCoeff();
    const double lambda = static_cast<double>(activities.rows()) * sigma * sigma;
    Matrix solution(activities.cols(), targets.cols());
    if (!solveOnThisCpu(activities, targets, lambda, solution))
        throw Error("decoder solve failed: Gram matrix is not positive definite");
    return solution;
}

}  // namespace core
