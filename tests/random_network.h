#pragma once
#include "model/network.h"

#include <cstdint>

// A random but valid network covering every model feature (node kinds,
// neuron types, distributions, explicit parameters, slices, transforms,
// synapses, functions, weights mode, PES, probes of every kind, a
// subnetwork), small enough to build in milliseconds. Same seed, same network.
core::Network randomNetwork(uint64_t seed);
