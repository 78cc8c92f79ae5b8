#pragma once
// What Simulator.train takes in NengoDL: inputs for Nodes and targets for
// Probes, each (n_sequences, n_steps, size); and which objective applies to
// which probes.
#include "build/built_model.h"
#include "common/tensor3.h"
#include "train/objective.h"

#include <map>
#include <string>
#include <vector>

namespace core {

struct TrainingData {
    std::map<std::string, Tensor3> inputs;   // input node id -> (n, steps, size_out)
    std::map<std::string, Tensor3> targets;  // probe id -> (n, steps, probe size)
    // Node or probe id -> the file (and npz key) its array was read from, as
    // "data.npz [x]", so that the checks below name it; absent for arrays
    // made in code or by a generator.
    std::map<std::string, std::string> origins;

    int sequences() const;  // n, from any array (0 when empty)
    int steps() const;
};

// One objective over one probe, or jointly over several (it then receives
// their outputs and targets as lists).
struct ObjectiveTerm {
    std::vector<std::string> probes;
    Objective objective = MeanSquaredError{};
};

// Mean squared error on every probe that has targets: NengoDL's default.
std::vector<ObjectiveTerm> defaultObjectives(const TrainingData& data);

// Refuses, before any work, data that cannot train this model: unknown or
// non-input nodes, unknown probes, wrong sizes, n or steps that differ between
// arrays, NaN/Inf, n not a multiple of the minibatch size, objectives on
// probes that have no targets or no gradient. Messages name the object and
// shapes, and the array's file when its origin is known.
// The input part of the checks above, for runs without targets (predict).
void validateInputs(const BuiltModel& model, const TrainingData& data, int minibatchSize);

void validateTrainingData(const BuiltModel& model, const TrainingData& data, const std::vector<ObjectiveTerm>& objectives,
                          int minibatchSize);

}  // namespace core
