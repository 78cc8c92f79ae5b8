#pragma once
// Copy and paste of canvas objects as plain values: what was copied stays
// valid whatever happens to the model afterwards.
#include "graph_model.h"

#include <map>
#include <set>
#include <string>
#include <vector>

namespace ui {

// A piece of network: the copied objects (subnetworks whole), the
// connections and probes that came with them, and how they were laid out.
struct CopiedObjects {
    core::Network objects;  // only the object lists are used
    std::map<std::string, core::Point> positions;
    std::set<std::string> collapsed;
    bool empty() const;
};

// The objects `ids` name, plus every connection and probe whose ends are all
// among them (their internal connections). A connection or probe named in
// `ids` comes along even when an end is outside; that end then keeps pointing
// at the original object.
CopiedObjects copyObjects(const GraphModel& model, const std::vector<std::string>& ids);

// The copied objects with fresh ids ("ensemble_4" for a copy of "ensemble_1"),
// references among them remapped to the copies, positions moved by `offset`,
// for an AddObjectsCommand into network `parent`. Connections and probes whose
// outside end no longer exists are left out.
std::vector<PlacedObject> pasteObjects(const CopiedObjects& copied, const GraphModel& model, const std::string& parent,
                                       core::Point offset);

}  // namespace ui
