#pragma once
// NengoDL's freeze_params: writes the live (trained) parameters back into the
// model description, so the network reproduces them with no parameter file.
#include "build/built_model.h"
#include "model/network.h"

#include <string>
#include <vector>

namespace core {

// For the objects named (all when empty; a subnetwork stands for every
// ensemble and connection inside it, at any depth): an ensemble gets explicit
// gains (as built), biases, encoders (the trained scaled encoders divided by
// gain/radius, not normalised again) and eval points, and its decoded-output
// probes keep their built decoders; a connection gets its applied matrix as
// explicit weights. Throws core::Error for an id that is not an ensemble,
// connection or subnetwork.
void freezeParameters(Network& network, const BuiltModel& trained, const std::vector<std::string>& objectIds = {});

}  // namespace core
