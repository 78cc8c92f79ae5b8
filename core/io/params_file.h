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

template <class T>
class BasicSimulator;
using Simulator = BasicSimulator<double>;

void saveParameters(const BuiltModel& model, const std::string& path);

// Replaces the model's parameters with the file's. Throws core::Error naming
// the file and the first object that differs or array holding NaN or
// infinity; the model is untouched then.
void loadParameters(BuiltModel& model, const std::string& path);

// save_params with the simulator state (NengoDL's include_state): the
// parameters of the simulator's model, and under "state/" everything the
// simulator changes while it runs (step count, neuron voltages and refractory
// times, synapse and probe filters, online-learned weights, one column per
// minibatch stream), so that another simulator of the same network and
// minibatch size continues the run exactly. loadParameters ignores the state.
void saveParametersAndState(const Simulator& simulator, const std::string& path);

// Restores the state saved by saveParametersAndState into a simulator of the
// same network, minibatch size and dt, built with the file's parameters
// (loadParameters first). Throws core::Error naming the file and the first
// object whose state is missing or shaped differently; the simulator is
// untouched then.
void loadState(Simulator& simulator, const std::string& path);

}  // namespace core
