#pragma once
#include "model/connection.h"
#include "model/ensemble.h"
#include "model/node.h"
#include "model/probe.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace core {

// A network, possibly nested. Ids are unique across the whole tree, so
// connections may cross subnetwork borders as in Nengo.
struct Network {
    std::string id;
    std::string label;
    std::optional<uint64_t> seed;
    std::vector<Node> nodes;
    std::vector<Ensemble> ensembles;
    std::vector<Connection> connections;
    std::vector<Probe> probes;
    std::vector<Network> subnetworks;

    bool operator==(const Network&) const = default;
};

}  // namespace core
