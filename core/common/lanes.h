#pragma once
// 32 bytes of numbers side by side (GCC vector extensions): four doubles or
// eight floats, one AVX2 register in the AVX2 version of a
// NEUROLOOM_MULTIVERSION kernel, two SSE2 registers in the baseline one.
// Kernels are written once for both precisions (LanesOf<T>). For kernels
// whose lanes take different paths (a spike, a refractory period ending
// mid-step): the lanes that need the rare path are collected by index
// without a branch. Lanes never cross a call that is not inlined: passed by
// value, their ABI would depend on -mavx (GCC's -Wpsabi note, turned off in
// CMakeLists.txt for that reason).
#include <cstddef>
#include <cstring>
#if defined(__x86_64__)
#include <emmintrin.h>
#endif

namespace core::lanes {

template <class T>
struct LaneTypes;
template <>
struct LaneTypes<double> {
    using Values = double __attribute__((vector_size(32)));
    using Mask = long __attribute__((vector_size(32)));  // all bits set where a comparison holds
};
template <>
struct LaneTypes<float> {
    using Values = float __attribute__((vector_size(32)));
    using Mask = int __attribute__((vector_size(32)));
};

template <class T>
using LanesOf = typename LaneTypes<T>::Values;
template <class T>
using LaneMaskOf = typename LaneTypes<T>::Mask;
template <class T>
constexpr std::size_t kLanesOf = 32 / sizeof(T);

using Lanes = LanesOf<double>;
using LaneMask = LaneMaskOf<double>;
constexpr std::size_t kLanes = kLanesOf<double>;

template <class T>
inline LanesOf<T> load(const T* p) {
    LanesOf<T> v;
    std::memcpy(&v, p, sizeof v);
    return v;
}
template <class T>
inline void store(T* p, LanesOf<T> v) {
    std::memcpy(p, &v, sizeof v);
}
template <class T>
inline LanesOf<T> splat(T x) {
    return LanesOf<T>{} + x;
}

// Bit k set when lane k of the mask is set.
inline unsigned laneBits(LaneMaskOf<double> m) {
#if defined(__x86_64__)
    __m128d low, high;
    std::memcpy(&low, &m, sizeof low);
    std::memcpy(&high, reinterpret_cast<const char*>(&m) + sizeof low, sizeof high);
    return static_cast<unsigned>(_mm_movemask_pd(low)) | static_cast<unsigned>(_mm_movemask_pd(high)) << 2;
#else
    unsigned bits = 0;
    for (std::size_t k = 0; k < kLanesOf<double>; ++k) bits |= static_cast<unsigned>(m[k] != 0) << k;
    return bits;
#endif
}
inline unsigned laneBits(LaneMaskOf<float> m) {
#if defined(__x86_64__)
    __m128 low, high;
    std::memcpy(&low, &m, sizeof low);
    std::memcpy(&high, reinterpret_cast<const char*>(&m) + sizeof low, sizeof high);
    return static_cast<unsigned>(_mm_movemask_ps(low)) | static_cast<unsigned>(_mm_movemask_ps(high)) << 4;
#else
    unsigned bits = 0;
    for (std::size_t k = 0; k < kLanesOf<float>; ++k) bits |= static_cast<unsigned>(m[k] != 0) << k;
    return bits;
#endif
}

// The set lanes of each mask of `width` bits, in order, and how many there are.
template <std::size_t width>
struct LaneSelection {
    unsigned char lane[1u << width][width];
    unsigned char count[1u << width];
};
template <std::size_t width>
constexpr LaneSelection<width> makeLaneSelection() {
    LaneSelection<width> s{};
    for (unsigned bits = 0; bits < (1u << width); ++bits)
        for (unsigned k = 0; k < width; ++k)
            if (bits >> k & 1) s.lane[bits][s.count[bits]++] = static_cast<unsigned char>(k);
    return s;
}
template <std::size_t width>
inline constexpr LaneSelection<width> kLaneSelection = makeLaneSelection<width>();

// Up to `capacity` indices, appended without a branch: every append writes its
// slots and the size grows by the number selected (hence the spare slots).
// `width`: lanes per append (the kernel's kLanesOf).
template <std::size_t capacity, std::size_t width = kLanes>
struct IndexList {
    unsigned index[capacity + width];
    std::size_t size = 0;

    // The lanes set in `bits`, as first + lane.
    void appendLanes(unsigned bits, unsigned first) {
        const auto& selection = kLaneSelection<width>;
        for (std::size_t k = 0; k < width; ++k) index[size + k] = first + selection.lane[bits][k];
        size += selection.count[bits];
    }
    void append(unsigned i, bool selected) {
        index[size] = i;
        size += selected;
    }
};

}  // namespace core::lanes
