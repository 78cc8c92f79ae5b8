#pragma once
// Decoders solved earlier in this process, kept for builds that meet the same
// problem again, as Nengo's decoder cache does: running a network again after
// an edit elsewhere (the editor builds for every run) solves only what
// changed. A problem is the pre ensemble's neurons (type, encoders, radius,
// gains, biases), the evaluation points, the targets and the
// regularisation, compared whole and bit for bit, not by a hash; the solve is
// deterministic, so a cached answer is the one a new solve would give. The
// least recently used entries go first when the cache outgrows its limit.
#include "build/built_model.h"

#include <cstddef>

namespace core {

// LstsqL2 decoders (targets' columns x neurons) of `pre` for these points and targets.
Matrix cachedDecoders(const BuiltEnsemble& pre, const Matrix& evalPoints, const Matrix& targets, double reg);

struct DecoderCacheStatistics {
    long hits = 0, misses = 0;
    std::size_t entries = 0, bytes = 0;
};
DecoderCacheStatistics decoderCacheStatistics();

// Both drop every entry and zero the statistics. A limit of 0 turns the cache
// off; the default is 128 MiB.
void setDecoderCacheLimit(std::size_t bytes);
void clearDecoderCache();

}  // namespace core
