// regularisedSolve for CPUs with AVX2 and FMA (see regularised_solve.h). Only
// the functions below are compiled for those instructions, with an Eigen of
// their own: Eigen's namespace is renamed in this file, so none of its code
// here can stand in, at link time, for the baseline Eigen everything else uses
// (and run on a CPU without AVX2). Every standard and TBB header comes before
// the target switch for the same reason: templates take the instruction set of
// the place they are defined.
#include "build/regularised_solve.h"

#ifdef NEUROLOOM_AVX2_SOLVE

#include <tbb/parallel_for.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cassert>
#include <cerrno>
#include <climits>
#include <cmath>
#include <complex>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <limits>
#include <new>
#include <sstream>
#include <string>
#include <tuple>
#include <type_traits>
#include <unordered_map>
#include <vector>

#pragma GCC push_options
#pragma GCC target("avx2,fma")
// GCC's target pragma does not define the macros Eigen reads to pick its
// vector code; the instructions they name are enabled just above.
#define __AVX__ 1
#define __AVX2__ 1
#define __FMA__ 1
#define __SSE3__ 1
#define __SSSE3__ 1
#define __SSE4_1__ 1
#define __SSE4_2__ 1
#define Eigen NeuroloomEigenAvx2
#include <Eigen/Dense>

namespace core::avx2 {
#include "build/regularised_solve.inc"
}  // namespace core::avx2

#pragma GCC pop_options

#endif
