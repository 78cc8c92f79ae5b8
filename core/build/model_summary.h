#pragma once
#include "build/built_model.h"
#include "model/network.h"

#include <string>

namespace core {

// A plain-text table of a model's objects, sizes and parameter counts: what a
// user checks before a long run (neuroloom-cli info).
std::string modelSummary(const Network& network, const BuiltModel& built);

}  // namespace core
