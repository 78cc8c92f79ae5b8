#include "common/libm_exact.h"

#include <algorithm>
#include <bit>
#include <cstdint>
#include <cstring>
#include <vector>

#if defined(__x86_64__) && defined(__GNUC__)
#define NEUROLOOM_LIBM_FMA 1
#include <immintrin.h>
#endif

namespace core::libm {

namespace {

void expm1OneByOne(double* values, std::size_t count) {
    for (std::size_t i = 0; i < count; ++i) values[i] = std::expm1(values[i]);
}
void log1pOneByOne(double* values, std::size_t count) {
    for (std::size_t i = 0; i < count; ++i) values[i] = std::log1p(values[i]);
}

#ifdef NEUROLOOM_LIBM_FMA

// fdlibm's coefficients (expm1: Q1..Q5; log1p: Lp1..Lp7).
constexpr double kQ1 = -3.33333333333331316428e-02, kQ2 = 1.58730158725481460165e-03,
                 kQ3 = -7.93650757867487942473e-05, kQ4 = 4.00821782732936239552e-06,
                 kQ5 = -2.01099218183624371326e-07;
constexpr double kLp1 = 6.666666666666735130e-01, kLp2 = 3.999999999940941908e-01, kLp3 = 2.857142874366239149e-01,
                 kLp4 = 2.222219843214978396e-01, kLp5 = 1.818357216161805012e-01, kLp6 = 1.531383769920937332e-01,
                 kLp7 = 1.479819860511658591e-01;

// The high 32 bits of each double without the sign, in 64-bit lanes.
[[gnu::target("avx2,fma")]] inline __m256i magnitudeHighWord(__m256d x) {
    return _mm256_and_si256(_mm256_srli_epi64(_mm256_castpd_si256(x), 32), _mm256_set1_epi64x(0x7fffffff));
}

// Four results of a main path, and a mask of the lanes whose argument was not on it.
struct MainPathLanes {
    __m256d value;
    __m256i outside;
};

// glibc's expm1 for 2^-54 < |x| <= ln2/2 (k = 0: no scaling by a power of 2).
[[gnu::target("avx2,fma")]] inline MainPathLanes expm1MainPath(__m256d x) {
    const __m256d half = _mm256_set1_pd(0.5), one = _mm256_set1_pd(1.0), three = _mm256_set1_pd(3.0),
                  six = _mm256_set1_pd(6.0);
    // The main path's bounds on the high word of |x|, as glibc tests them.
    const __m256i high = magnitudeHighWord(x);
    const __m256i outside = _mm256_or_si256(_mm256_cmpgt_epi64(_mm256_set1_epi64x(0x3c900000), high),
                                            _mm256_cmpgt_epi64(high, _mm256_set1_epi64x(0x3fd62e42)));
    const __m256d hfx = _mm256_mul_pd(x, half);
    const __m256d hxs = _mm256_mul_pd(x, hfx);
    const __m256d r1 = _mm256_fmadd_pd(hxs, _mm256_set1_pd(kQ1), one);
    const __m256d r2 = _mm256_fmadd_pd(hxs, _mm256_set1_pd(kQ3), _mm256_set1_pd(kQ2));
    const __m256d r3 = _mm256_fmadd_pd(hxs, _mm256_set1_pd(kQ5), _mm256_set1_pd(kQ4));
    const __m256d h2 = _mm256_mul_pd(hxs, hxs);
    const __m256d h4 = _mm256_mul_pd(h2, h2);
    const __m256d r = _mm256_fmadd_pd(h4, r3, _mm256_fmadd_pd(h2, r2, r1));
    const __m256d t = _mm256_fnmadd_pd(r, hfx, three);
    const __m256d e = _mm256_mul_pd(hxs, _mm256_div_pd(_mm256_sub_pd(r, t), _mm256_fnmadd_pd(x, t, six)));
    return {_mm256_sub_pd(x, _mm256_fmsub_pd(e, x, hxs)), outside};
}

// glibc's log1p for 2^-29 <= |x| and sqrt(2)/2 <= 1 + x < sqrt(2) (k = 0: no reduction).
[[gnu::target("avx2,fma")]] inline MainPathLanes log1pMainPath(__m256d x) {
    const __m256d half = _mm256_set1_pd(0.5), two = _mm256_set1_pd(2.0);
    // The main path's bounds on the high word of |x|: the largest differs with the sign.
    const __m256i high = magnitudeHighWord(x);
    const __m256i negative = _mm256_cmpgt_epi64(_mm256_setzero_si256(), _mm256_castpd_si256(x));
    const __m256i highest =
        _mm256_blendv_epi8(_mm256_set1_epi64x(0x3fda8279), _mm256_set1_epi64x(0x3fd2bec3), negative);
    const __m256i outside = _mm256_or_si256(_mm256_cmpgt_epi64(_mm256_set1_epi64x(0x3e200000), high),
                                            _mm256_cmpgt_epi64(high, highest));
    const __m256d hfsq = _mm256_mul_pd(_mm256_mul_pd(x, half), x);
    const __m256d s = _mm256_div_pd(x, _mm256_add_pd(x, two));
    const __m256d z = _mm256_mul_pd(s, s);
    const __m256d r2 = _mm256_fmadd_pd(z, _mm256_set1_pd(kLp3), _mm256_set1_pd(kLp2));
    const __m256d r3 = _mm256_fmadd_pd(z, _mm256_set1_pd(kLp5), _mm256_set1_pd(kLp4));
    const __m256d r4 = _mm256_fmadd_pd(z, _mm256_set1_pd(kLp7), _mm256_set1_pd(kLp6));
    const __m256d z2 = _mm256_mul_pd(z, z);
    const __m256d z4 = _mm256_mul_pd(z2, z2);
    const __m256d z6 = _mm256_mul_pd(z2, z4);
    __m256d r = _mm256_fmadd_pd(z, _mm256_set1_pd(kLp1), _mm256_mul_pd(z2, r2));
    r = _mm256_fmadd_pd(z4, r3, r);
    r = _mm256_fmadd_pd(z6, r4, r);
    return {_mm256_sub_pd(x, _mm256_sub_pd(hfsq, _mm256_mul_pd(_mm256_add_pd(r, hfsq), s))), outside};
}

// Four values in place: the main path's results, libm's for lanes off it.
template <class MainPath, class Libm>
[[gnu::target("avx2,fma")]] inline void applyToFour(double* values, MainPath mainPath, Libm libmFunction) {
    const MainPathLanes result = mainPath(_mm256_loadu_pd(values));
    const int outside = _mm256_movemask_pd(_mm256_castsi256_pd(result.outside));
    double arguments[4];
    std::memcpy(arguments, values, sizeof arguments);
    _mm256_storeu_pd(values, result.value);
    if (outside == 0) [[likely]]
        return;
    for (int k = 0; k < 4; ++k)
        if (outside >> k & 1) values[k] = libmFunction(arguments[k]);
}

// Every value through the vector path; the last few padded with an argument
// on both main paths (the padding's results are dropped).
template <class MainPath, class Libm>
[[gnu::target("avx2,fma")]] inline void applyInPlace(double* values, std::size_t count, MainPath mainPath,
                                                     Libm libmFunction) {
    std::size_t i = 0;
    for (; i + 4 <= count; i += 4) applyToFour(values + i, mainPath, libmFunction);
    if (i == count) return;
    double last[4] = {-0.125, -0.125, -0.125, -0.125};
    std::copy(values + i, values + count, last);
    applyToFour(last, mainPath, libmFunction);
    std::copy(last, last + (count - i), values + i);
}

[[gnu::target("avx2,fma")]] void expm1Fma(double* values, std::size_t count) {
    applyInPlace(values, count, expm1MainPath, [](double x) { return std::expm1(x); });
}

[[gnu::target("avx2,fma")]] void log1pFma(double* values, std::size_t count) {
    applyInPlace(values, count, log1pMainPath, [](double x) { return std::log1p(x); });
}

// Arguments to compare the two paths on: the main paths densely (random
// mantissas), their edges, tiny and special values. A libm with other
// arithmetic differs from the vector path on a good share of these.
std::size_t checkArguments(double* out, std::size_t capacity, double low, double high) {
    std::size_t n = 0;
    std::uint64_t state = 0x9e3779b97f4a7c15u;
    while (n + 64 < capacity) {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        out[n++] = low + (high - low) * static_cast<double>(state >> 11) * 0x1p-53;
    }
    for (int e = 1; e < 60 && n + 2 <= capacity; e += 2) {
        out[n++] = std::ldexp(1.0, -e);
        out[n++] = -std::ldexp(1.0, -e) * 1.25;
    }
    while (n < capacity) out[n++] = 0.0;
    return n;
}

template <class Vector, class Scalar>
bool agreesWithLibm(Vector vectorPath, Scalar libmFunction, double low, double high) {
    std::vector<double> arguments(4096);
    const std::size_t n = checkArguments(arguments.data(), arguments.size(), low, high);
    std::vector<double> results = arguments;
    vectorPath(results.data(), n);
    for (std::size_t i = 0; i < n; ++i)
        if (std::bit_cast<std::uint64_t>(results[i]) != std::bit_cast<std::uint64_t>(libmFunction(arguments[i])))
            return false;
    return true;
}

bool checkVectorPath() {
    if (!__builtin_cpu_supports("avx2") || !__builtin_cpu_supports("fma")) return false;
    return agreesWithLibm(expm1Fma, [](double x) { return std::expm1(x); }, -0.4, 0.4) &&
           agreesWithLibm(log1pFma, [](double x) { return std::log1p(x); }, -0.35, 0.45);
}

#else

bool checkVectorPath() { return false; }

#endif

}  // namespace

bool vectorPathActive() {
    static const bool active = checkVectorPath();
    return active;
}

void expm1InPlace(double* values, std::size_t count) {
#ifdef NEUROLOOM_LIBM_FMA
    if (vectorPathActive()) return expm1Fma(values, count);
#endif
    expm1OneByOne(values, count);
}

void log1pInPlace(double* values, std::size_t count) {
#ifdef NEUROLOOM_LIBM_FMA
    if (vectorPathActive()) return log1pFma(values, count);
#endif
    log1pOneByOne(values, count);
}

}  // namespace core::libm
