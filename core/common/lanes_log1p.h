#pragma once
// log1p on lanes of doubles or floats: libm's log1p is a scalar call, and
// LIFRate spends most of a step in it. This is fdlibm's algorithm (as in
// FreeBSD and musl; for floats with its float reduction and a shorter
// polynomial) written branch-free: the argument is reduced with bit
// operations, each lane's special cases are picked by selects; one division
// instead of two costs it about 2 ulp (fdlibm: below 1). Scalars go through it
// as a padded block of lanes, so a value never depends on whether it was
// computed alone or beside others.
#include "common/lanes.h"

#include <bit>
#include <cstdint>
#include <limits>

namespace core::lanes {

using LaneBits = unsigned long __attribute__((vector_size(32)));
using LaneInts = long __attribute__((vector_size(32)));

inline LaneBits bitsOf(Lanes v) { return std::bit_cast<LaneBits>(v); }
inline Lanes fromBits(LaneBits b) { return std::bit_cast<Lanes>(b); }

// Exact for |k| < 2^51 (AVX2 has no instruction converting 64-bit integers):
// k lands in the low mantissa bits of 1.5 * 2^52.
[[gnu::always_inline]] inline Lanes toDouble(LaneInts k) {
    constexpr double shift = 0x1.8p52;
    return fromBits(std::bit_cast<LaneBits>(k) + std::bit_cast<unsigned long>(shift)) - shift;
}

// fdlibm's reduction: 1 + x = 2^k (1 + f) with 1 + f in [sqrt(2)/2, sqrt(2)),
// and the correction c for the rounding of 1 + x. c / u and f / (2 + f)
// share one division (denominator), done in the second stage.
template <class T>
struct Log1pReduction {
    LanesOf<T> f, k, cNumerator, sNumerator, denominator;
};

[[gnu::always_inline]] inline Log1pReduction<double> log1pReduce(Lanes x) {
    // 1 + x within [sqrt(2)/2, sqrt(2)) needs no reduction (fdlibm's bounds on the high word).
    const double nearAbove = std::bit_cast<double>(0x3fda827a00000000UL);
    const double nearBelow = -std::bit_cast<double>(0x3fd2bec500000000UL);
    const Lanes one = splat(1.0), zero = splat(0.0);
    const Lanes u = one + x;
    const LaneBits highWord = (bitsOf(u) >> 32) + (0x3ff00000UL - 0x3fe6a09eUL);
    const LaneInts exponent = (std::bit_cast<LaneInts>(highWord) >> 20) - 0x3ff;
    const Lanes roundingError = exponent >= 2 ? one - (u - x) : x - (u - one);
    const Lanes reducedF =
        fromBits((((highWord & 0x000fffffUL) + 0x3fe6a09eUL) << 32) | (bitsOf(u) & 0xffffffffUL)) - one;
    const LaneMask near = (x < splat(nearAbove)) & (x > splat(nearBelow));
    const Lanes f = near ? x : reducedF;
    const Lanes twoPlusF = 2.0 + f;
    return {f, near ? zero : toDouble(exponent), (near | (exponent >= 54)) ? zero : roundingError * twoPlusF, f * u,
            u * twoPlusF};
}

[[gnu::always_inline]] inline Lanes log1pFinish(Lanes x, const Log1pReduction<double>& r) {
    constexpr double ln2Hi = 6.93147180369123816490e-01, ln2Lo = 1.90821492927058770002e-10;
    constexpr double lg1 = 6.666666666666735130e-01, lg2 = 3.999999999940941908e-01, lg3 = 2.857142874366239149e-01,
                     lg4 = 2.222219843214978396e-01, lg5 = 1.818357216161805012e-01, lg6 = 1.531383769920937332e-01,
                     lg7 = 1.479819860511658591e-01;
    const Lanes one = splat(1.0), zero = splat(0.0);
    const Lanes reciprocal = one / r.denominator;
    const Lanes c = r.cNumerator * reciprocal, s = r.sNumerator * reciprocal, f = r.f, dk = r.k;
    const Lanes hfsq = 0.5 * f * f;
    const Lanes z = s * s, w = z * z;
    const Lanes t1 = w * (lg2 + w * (lg4 + w * lg6));
    const Lanes t2 = z * (lg1 + w * (lg3 + w * (lg5 + w * lg7)));
    const Lanes result = s * (hfsq + (t2 + t1)) + (dk * ln2Lo + c) - hfsq + f + dk * ln2Hi;

    const Lanes infinity = splat(std::numeric_limits<double>::infinity());
    const Lanes magnitude = x < zero ? -x : x;
    const Lanes atMinusOne = x == -one ? -infinity : splat(std::numeric_limits<double>::quiet_NaN());
    return magnitude < splat(0x1p-53) ? x : x < infinity ? (x > -one ? result : atMinusOne) : x;
}

using FloatLaneBits = unsigned __attribute__((vector_size(32)));
using FloatLaneInts = int __attribute__((vector_size(32)));

// The float reduction: 1 + x = 2^k (1 + f) on the whole 32-bit pattern.
[[gnu::always_inline]] inline Log1pReduction<float> log1pReduce(LanesOf<float> x) {
    // 1 + x within [sqrt(2)/2, sqrt(2)) needs no reduction.
    const float nearAbove = std::bit_cast<float>(0x3ed413d0u);
    const float nearBelow = -std::bit_cast<float>(0x3e95f619u);
    const LanesOf<float> one = splat(1.0f), zero = splat(0.0f);
    const LanesOf<float> u = one + x;
    const FloatLaneBits bits = std::bit_cast<FloatLaneBits>(u) + (0x3f800000u - 0x3f3504f3u);
    const FloatLaneInts exponent = (std::bit_cast<FloatLaneInts>(bits) >> 23) - 0x7f;
    const LanesOf<float> roundingError = exponent >= 2 ? one - (u - x) : x - (u - one);
    const LanesOf<float> reducedF = std::bit_cast<LanesOf<float>>((bits & 0x007fffffu) + 0x3f3504f3u) - one;
    const LaneMaskOf<float> near = (x < splat(nearAbove)) & (x > splat(nearBelow));
    const LanesOf<float> f = near ? x : reducedF;
    const LanesOf<float> twoPlusF = 2.0f + f;
    return {f, near ? zero : __builtin_convertvector(exponent, LanesOf<float>),
            (near | (exponent >= 25)) ? zero : roundingError * twoPlusF, f * u, u * twoPlusF};
}

[[gnu::always_inline]] inline LanesOf<float> log1pFinish(LanesOf<float> x, const Log1pReduction<float>& r) {
    constexpr float ln2Hi = 0x1.62e3p-1f, ln2Lo = 0x1.2fefa2p-17f;
    // |(log(1+s) - log(1-s))/s - polynomial| < 2^-34.24 on the reduced range.
    constexpr float lg1 = 0xaaaaaap-24f, lg2 = 0xccce13p-25f, lg3 = 0x91e9eep-25f, lg4 = 0xf89e26p-26f;
    const LanesOf<float> one = splat(1.0f), zero = splat(0.0f);
    const LanesOf<float> reciprocal = one / r.denominator;
    const LanesOf<float> c = r.cNumerator * reciprocal, s = r.sNumerator * reciprocal, f = r.f, dk = r.k;
    const LanesOf<float> hfsq = 0.5f * f * f;
    const LanesOf<float> z = s * s, w = z * z;
    const LanesOf<float> t1 = w * (lg2 + w * lg4);
    const LanesOf<float> t2 = z * (lg1 + w * lg3);
    const LanesOf<float> result = s * (hfsq + (t2 + t1)) + (dk * ln2Lo + c) - hfsq + f + dk * ln2Hi;

    const LanesOf<float> infinity = splat(std::numeric_limits<float>::infinity());
    const LanesOf<float> magnitude = x < zero ? -x : x;
    const LanesOf<float> atMinusOne = x == -one ? -infinity : splat(std::numeric_limits<float>::quiet_NaN());
    return magnitude < splat(0x1p-24f) ? x : x < infinity ? (x > -one ? result : atMinusOne) : x;
}

// log1p of `count` values (a multiple of the lane count, at most kLog1pBlock)
// in place, in two passes: one long chain of dependent operations per value
// stalls the processor, short chains over many values keep its units busy.
constexpr std::size_t kLog1pBlock = 64;

template <class T>
[[gnu::always_inline]] inline void log1pInPlace(T* values, std::size_t count) {
    constexpr std::size_t width = kLanesOf<T>;
    Log1pReduction<T> reduced[kLog1pBlock / width];
    for (std::size_t i = 0; i < count; i += width) reduced[i / width] = log1pReduce(load(values + i));
    for (std::size_t i = 0; i < count; i += width) store(values + i, log1pFinish(load(values + i), reduced[i / width]));
}

}  // namespace core::lanes
