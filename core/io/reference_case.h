#pragma once
// Reader for the Nengo reference cases (../shared/nengo-reference, format
// "neuroloom-nengo-reference/1"). A case becomes an ordinary Network with its
// sampled or built parameters given explicitly, so it runs through the same
// build() and Simulator as any user model; the recorded probe data and built
// quantities come along to compare against.
#include "build/synapse_filter.h"
#include "model/network.h"

#include <optional>
#include <string>
#include <vector>

namespace core {

enum class ReferenceParameters {
    Built,    // gains, biases, decoders as Nengo built them: for probe parity
    Sampled,  // max_rates, intercepts, eval points only: our builder computes the rest
};

struct ReferenceCase {
    std::string file, name, description;
    double dt = 0.001;
    long nSteps = 0;
    Network network;

    struct Ensemble {
        std::string id;
        Vector gain, bias;
        Matrix scaledEncoders;
    };
    struct Connection {
        std::string id;
        Matrix targets, decoders, weights;
        std::optional<SynapseFilter> synapse;
        std::optional<SynapseFilter> preSynapse;
        std::optional<double> alpha;
        Matrix errorEncoders;
    };
    struct Probe {
        std::string id;
        std::vector<long> steps;
        std::vector<double> data;  // samples x size, row-major
        int size = 0;
        bool spikeTrain = false;   // compared exactly
        std::optional<SynapseFilter> synapse;
        Matrix decoders;
    };
    std::vector<Ensemble> ensembles;
    std::vector<Connection> connections;
    std::vector<Probe> probes;
};

// Throws core::Error naming the file, object and field on anything malformed.
ReferenceCase loadReferenceCase(const std::string& path, ReferenceParameters parameters);

}  // namespace core
