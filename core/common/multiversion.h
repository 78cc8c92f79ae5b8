#pragma once
// Hot kernels are compiled twice, for AVX2 and for the baseline instruction
// set, and the loader picks one at start-up (GCC function multiversioning):
// the packaged binary needs no -march flag and still uses 256-bit vectors
// where the CPU has them. AVX2 without FMA on purpose: results stay
// bit-identical between the two versions (no contraction into fused
// multiply-adds is possible).
// Clang (the fuzz build) refuses the lane helpers' 32-byte vectors passed
// between an AVX2 clone and a baseline function, even once inlined: it gets
// the baseline version only. So does a ThreadSanitizer build, whose
// instrumented resolvers would run before the sanitizer is set up.
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__) && !defined(__SANITIZE_THREAD__)
#define NEUROLOOM_MULTIVERSION __attribute__((target_clones("avx2", "default")))
#else
#define NEUROLOOM_MULTIVERSION
#endif
