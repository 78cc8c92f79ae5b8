#pragma once
// The same-step dependencies of README 4.1 step 3 in one place: the builder
// sorts by them (BuiltModel::order) and the simulator groups by them (items of
// one wave may run in parallel).
#include "build/built_model.h"

#include <vector>

namespace core {

// Ensembles, passthrough nodes and connections in waves: every item of wave w
// depends only on items of earlier waves. An object waits for every
// connection without a synapse that feeds it; a connection waits for its pre.
// Throws core::Error naming the connections of a loop that has no synapse.
std::vector<std::vector<EvaluationItem>> evaluationWaves(const BuiltModel& model);

}  // namespace core
