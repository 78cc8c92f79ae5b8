#pragma once
// Where to put objects that have no saved position (an imported or generated
// network, probes written by hand): a layered left-to-right layout. Pure
// functions of the network; no widgets.
#include "io/project.h"

#include <map>
#include <string>

namespace ui {

// The canvas draws boxes of these nominal sizes (x = width, y = height); the
// layout keeps them apart. An expanded subnetwork is a frame around its
// children with this padding and a header strip on top.
struct BoxSizes {
    static constexpr core::Point node{160, 64};
    static constexpr core::Point ensemble{180, 84};
    static constexpr core::Point probe{140, 44};
    static constexpr core::Point subnetwork{180, 56};
    static constexpr double framePadding = 24;
    static constexpr double frameHeader = 28;
};

// Centres of every node, ensemble, probe and subnetwork of `network`'s tree,
// on the 20 px grid. Objects go in layers by the longest path of connections
// and probes reaching them (sources left, probes right of what they record);
// edges closing a cycle (a recurrent connection) do not count for layering.
// Inside a layer, a few barycenter sweeps order objects to reduce crossings.
// A subnetwork is one block sized by its own laid-out contents.
std::map<std::string, core::Point> autoLayout(const core::Network& network);

// Positions for the objects of `network` missing from `positions`, leaving the
// others where they are: a probe beside what it records, in the first free
// slot; other objects laid out by autoLayout below the positioned ones; a
// subnetwork at the centre of its children. Everything when nothing is placed.
std::map<std::string, core::Point> placeUnpositioned(const core::Network& network,
                                                     const std::map<std::string, core::Point>& positions);

}  // namespace ui
