#pragma once
// NIR, the Neuromorphic Intermediate Representation (github.com/neuromorphs/NIR):
// a network as a graph of continuous-time primitives (Input, Affine, Linear,
// LI, LIF, Output) in an HDF5 file, which neuromorphic toolchains and other
// simulators read. docs/file-formats.md ("NIR export") gives the mapping from
// Nengo's objects and what NIR cannot say.
#include "build/built_model.h"
#include "model/network.h"

#include <string>

namespace core {

struct NirOptions {
    // NIR's LIF has no refractory period, and Nengo's sets the firing rates the
    // decoders were solved for, so LIF ensembles with tau_ref > 0 are refused
    // unless this drops the period (kept in the node's metadata for reference).
    bool dropRefractoryPeriod = false;
};

// Writes `built` as a NIR graph to `path`, atomically. `network` is what was
// built: it gives the synapse types and time constants the build discretised.
// Throws core::Error listing every object NIR cannot express, one line each
// (kind, label, id and why), before writing anything.
void writeNir(const Network& network, const BuiltModel& built, const std::string& path,
              const NirOptions& options = {});

}  // namespace core
