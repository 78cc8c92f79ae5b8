#pragma once
#include "build/built_model.h"
#include "common/error.h"
#include "model/network.h"

#include <cstdint>
#include <optional>

namespace core {

struct BuildOptions {
    double dt = 0.001;
    std::optional<uint64_t> seed;  // overrides the network seed
};

// Turns a model description into arrays, exactly as Nengo's builder does
// (gain/bias, encoders, eval points, LstsqL2 decoders, synapse coefficients).
// Pure and deterministic from the seeds. Throws core::Error naming the object and field.
BuiltModel build(const Network& network, const BuildOptions& options = {});

// One thing wrong with a network: the object (id; empty for the network as a
// whole) and the error naming it and its field.
struct BuildProblem {
    std::string objectId;
    Error error;
};

// Every problem build() would meet, not only the first, without solving
// decoders: fast enough to run after each edit. Objects that only fail
// because something they attach to is broken are not listed.
std::vector<BuildProblem> checkNetwork(const Network& network, const BuildOptions& options = {});

// Nengo's default number of eval points: max(clip(500 d, 750, 2500), 2 n).
int defaultEvalPointCount(int nNeurons, int dimensions);

// Rate-function activities of an ensemble at the given points (m x d, radius
// included): what LstsqL2 fits decoders to.
Matrix ensembleActivities(const BuiltEnsemble& ensemble, const Matrix& points);

}  // namespace core
