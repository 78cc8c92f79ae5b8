#pragma once
// What the palette offers and the default object each entry makes: fresh ids
// and readable labels, ready for an AddObjectsCommand.
#include "graph_model.h"

#include <optional>
#include <set>
#include <string>
#include <vector>

namespace ui {

// The node entries come first, in the order of core::NodeOutput's alternatives.
enum class PaletteEntry {
    ConstantNode,
    SineNode,
    SquareNode,
    StepNode,
    PiecewiseNode,
    WhiteNoiseNode,
    ExpressionNode,
    DataNode,
    PassthroughNode,
    Ensemble,
    Probe,
    Subnetwork,
};

// Drag data of a palette entry: its key.
inline constexpr const char* paletteMimeType = "application/x-neuroloom-palette-entry";

struct PaletteEntryInfo {
    PaletteEntry entry;
    const char* name;      // shown in the palette: "White noise"
    const char* key;       // in drag data, stable: "white_noise"
    const char* icon;      // resource :/icons/<icon>.svg
    const char* idPrefix;  // new ids are "<idPrefix>_<n>", labels "<idPrefix> <n>"
    const char* tip;       // what it makes, for the palette's tooltip
};

const std::vector<PaletteEntryInfo>& paletteEntries();
const PaletteEntryInfo& infoOf(PaletteEntry entry);
std::optional<PaletteEntry> paletteEntryFromKey(const std::string& key);
// The entry that makes objects like this one (a node by its output type); nullopt for a connection.
std::optional<PaletteEntry> paletteEntryOf(const ModelObject& object);

// A new object of `entry` centred at `at` in network `parent` ("" = top).
// Probes need a target: use makeProbe (a logic_error otherwise).
PlacedObject makeDefault(PaletteEntry entry, const GraphModel& model, core::Point at, const std::string& parent);
// A probe of `target` recording what that face of it outputs (decoded value, spikes, node output).
PlacedObject makeProbe(const GraphModel& model, const core::Endpoint& target, core::Point at, const std::string& parent);
core::ProbeAttribute defaultProbeAttribute(core::EndpointKind target);
// A connection with Nengo's defaults (identity, Lowpass 5 ms) and id "<pre>_to_<post>".
PlacedObject makeConnection(const GraphModel& model, const core::Endpoint& pre, const core::Endpoint& post,
                            const std::string& parent);

// The first "<prefix>_<n>" (n = 1, 2, ...) that no object and nothing in `taken` uses.
std::string numberedId(const GraphModel& model, const std::string& prefix, const std::set<std::string>& taken = {});
// `base` itself when free, else numberedId(base).
std::string freshId(const GraphModel& model, const std::string& base);

}  // namespace ui
