#pragma once
// Four doubles side by side (GCC vector extensions): one AVX2 register in the
// AVX2 version of a NEUROLOOM_MULTIVERSION kernel, two SSE2 registers in the
// baseline one. For kernels whose lanes take different paths (a spike, a
// refractory period ending mid-step): the lanes that need the rare path are
// collected by index without a branch.
#include <cstddef>
#include <cstring>
#if defined(__x86_64__)
#include <emmintrin.h>
#endif

// Lanes never cross a call that is not inlined, so GCC's note that passing
// 32-byte vectors by value depends on -mavx does not apply.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wpsabi"

namespace core::lanes {

using Lanes = double __attribute__((vector_size(32)));
using LaneMask = long __attribute__((vector_size(32)));  // all bits set where a comparison holds
constexpr std::size_t kLanes = 4;

inline Lanes load(const double* p) {
    Lanes v;
    std::memcpy(&v, p, sizeof v);
    return v;
}
inline void store(double* p, Lanes v) { std::memcpy(p, &v, sizeof v); }
inline Lanes splat(double x) { return Lanes{x, x, x, x}; }

// Bit k set when lane k of the mask is set.
inline unsigned laneBits(LaneMask m) {
#if defined(__x86_64__)
    __m128d low, high;
    std::memcpy(&low, &m, sizeof low);
    std::memcpy(&high, reinterpret_cast<const char*>(&m) + sizeof low, sizeof high);
    return static_cast<unsigned>(_mm_movemask_pd(low)) | static_cast<unsigned>(_mm_movemask_pd(high)) << 2;
#else
    unsigned bits = 0;
    for (std::size_t k = 0; k < kLanes; ++k) bits |= static_cast<unsigned>(m[k] != 0) << k;
    return bits;
#endif
}

// The set lanes of each 4-bit mask, in order, and how many there are.
struct LaneSelection {
    unsigned lane[16][kLanes];
    unsigned count[16];
};
constexpr LaneSelection makeLaneSelection() {
    LaneSelection s{};
    for (unsigned bits = 0; bits < 16; ++bits)
        for (unsigned k = 0; k < kLanes; ++k)
            if (bits >> k & 1) s.lane[bits][s.count[bits]++] = k;
    return s;
}
inline constexpr LaneSelection kLaneSelection = makeLaneSelection();

// Up to `capacity` indices, appended without a branch: every append writes its
// slots and the size grows by the number selected (hence the spare slots).
template <std::size_t capacity>
struct IndexList {
    unsigned index[capacity + kLanes];
    std::size_t size = 0;

    // The lanes set in `bits`, as first + lane.
    void appendLanes(unsigned bits, unsigned first) {
        for (std::size_t k = 0; k < kLanes; ++k) index[size + k] = first + kLaneSelection.lane[bits][k];
        size += kLaneSelection.count[bits];
    }
    void append(unsigned i, bool selected) {
        index[size] = i;
        size += selected;
    }
};

}  // namespace core::lanes

#pragma GCC diagnostic pop
