#pragma once
// NengoDL's save_params / load_params: a model's parameters in a numpy .npz,
// named "<object>/encoders" (scaled, n x d), "<object>/bias" (n x 1) and
// "<object>/weights" (the applied matrix), where <object> is the label when
// it is unique, else the id; "<object>/structure" fingerprints each object
// (kind, connections, sizes) so a file never loads into a different network.
// Neuron types are not part of the structure: a rate model's parameters load
// into its spiking twin.
#include "build/built_model.h"

#include <string>

namespace core {

void saveParameters(const BuiltModel& model, const std::string& path);

// Replaces the model's parameters with the file's. Throws core::Error naming
// the file and the first object that differs; the model is untouched then.
void loadParameters(BuiltModel& model, const std::string& path);

}  // namespace core
