#pragma once
#include "io/npy.h"
#include "sim/simulator.h"

namespace core {

// Every probe's data as numpy arrays, keyed by probe label: shape
// (minibatch, samples, size), or (minibatch, samples, rows, cols) for matrix
// signals (weights, delta). A label used by two probes gets "label (id)" for
// the later ones, so no data is lost.
NpzArrays probeArrays(const BuiltModel& model, const std::vector<ProbeRecord>& records);
template <class T>
NpzArrays probeArrays(const BasicSimulator<T>& simulator) {
    return probeArrays(simulator.model(), simulator.probes());
}

// The key of each probe in such a file, in probe order.
std::vector<std::string> probeKeys(const BuiltModel& model);

}  // namespace core
