#pragma once
// The linear algebra of LstsqL2, compiled twice (regularised_solve.inc): for
// the baseline instruction set, and on x86-64 for AVX2 with FMA, which does the
// decoder solves' arithmetic (a Gram matrix and its Cholesky factor, nearly all
// of a build) three times faster. solveLstsqL2 picks one at run time.
#include <cstddef>

#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define NEUROLOOM_AVX2_SOLVE 1
#endif

namespace core {

namespace baseline {
// solution (n x k) = (A^T A + lambda I)^-1 A^T Y when m >= n, else
// A^T (A A^T + lambda I)^-1 Y; A is activities (m x n), Y targets (m x k),
// all column-major. False when the matrix is not positive definite.
bool regularisedSolve(const double* activities, std::ptrdiff_t m, std::ptrdiff_t n, const double* targets,
                      std::ptrdiff_t k, double lambda, double* solution);
}  // namespace baseline

#ifdef NEUROLOOM_AVX2_SOLVE
namespace avx2 {
// The same, for CPUs with AVX2 and FMA only.
bool regularisedSolve(const double* activities, std::ptrdiff_t m, std::ptrdiff_t n, const double* targets,
                      std::ptrdiff_t k, double lambda, double* solution);
}  // namespace avx2
#endif

}  // namespace core
