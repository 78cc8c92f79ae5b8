#include "object_factory.h"

#include <algorithm>
#include <stdexcept>

namespace ui {

namespace {

static_assert(std::variant_size_v<core::NodeOutput> == static_cast<int>(PaletteEntry::PassthroughNode) + 1,
              "node palette entries follow core::NodeOutput's alternatives");

core::NodeOutput defaultOutput(PaletteEntry entry) {
    switch (entry) {
        case PaletteEntry::ConstantNode: return core::ConstantOutput{{0.5}};
        case PaletteEntry::SineNode: return core::SineWave{};
        case PaletteEntry::SquareNode: return core::SquareWave{};
        case PaletteEntry::StepNode: return core::StepFunction{};
        case PaletteEntry::PiecewiseNode: return core::Piecewise{{0.0, 0.5}, core::Table::column({0.0, 1.0})};
        case PaletteEntry::WhiteNoiseNode: return core::WhiteNoise{};
        case PaletteEntry::ExpressionNode: return core::ExpressionOutput{{"sin(2*pi*t)"}};
        case PaletteEntry::DataNode: return core::DataOutput{core::Table::column({0.0, 1.0}), 0.1};
        case PaletteEntry::PassthroughNode: return core::PassthroughOutput{};
        default: throw std::logic_error("not a node palette entry");
    }
}

template <class T>
T named(const std::string& id, const std::string& label) {
    T object;
    object.id = id;
    object.label = label;
    return object;
}

// "ensemble_3" -> "ensemble 3"
std::string labelFor(std::string id) {
    std::replace(id.begin(), id.end(), '_', ' ');
    return id;
}

ModelObject defaultObject(PaletteEntry entry, const std::string& id) {
    const std::string label = labelFor(id);
    switch (entry) {
        case PaletteEntry::Ensemble: return named<core::Ensemble>(id, label);
        case PaletteEntry::Subnetwork: return named<core::Network>(id, label);
        case PaletteEntry::Probe: throw std::logic_error("a probe needs a target: makeProbe");
        default: {
            auto node = named<core::Node>(id, label);
            node.output = defaultOutput(entry);
            if (node.isPassthrough()) node.sizeIn = 1;
            return node;
        }
    }
}

}  // namespace

const std::vector<PaletteEntryInfo>& paletteEntries() {
    static const std::vector<PaletteEntryInfo> entries{
        {PaletteEntry::ConstantNode, "Constant", "constant", "node-constant", "constant", "A node whose output is a fixed vector"},
        {PaletteEntry::SineNode, "Sine", "sine", "node-sine", "sine", "A node putting out a sine wave"},
        {PaletteEntry::SquareNode, "Square", "square", "node-square", "square", "A node putting out a square wave"},
        {PaletteEntry::StepNode, "Step", "step", "node-step", "step", "A node stepping from one value to another"},
        {PaletteEntry::PiecewiseNode, "Piecewise", "piecewise", "node-piecewise", "piecewise",
         "A node holding values from given times on"},
        {PaletteEntry::WhiteNoiseNode, "White noise", "white_noise", "node-noise", "noise",
         "A node putting out band-limited white noise"},
        {PaletteEntry::ExpressionNode, "Expression", "expression", "node-expression", "expression",
         "A node whose output is an expression of t"},
        {PaletteEntry::DataNode, "Data", "data", "node-data", "data", "A node presenting rows of recorded data"},
        {PaletteEntry::PassthroughNode, "Passthrough", "passthrough", "node-passthrough", "passthrough",
         "A node putting out the sum of its inputs"},
        {PaletteEntry::Ensemble, "Ensemble", "ensemble", "ensemble", "ensemble", "A population of neurons representing a vector"},
        {PaletteEntry::Probe, "Probe", "probe", "probe", "probe", "Records what it is dropped on"},
        {PaletteEntry::Subnetwork, "Subnetwork", "subnetwork", "subnetwork", "subnetwork", "A network inside the network"},
    };
    return entries;
}

const PaletteEntryInfo& infoOf(PaletteEntry entry) { return paletteEntries().at(static_cast<size_t>(entry)); }

std::optional<PaletteEntry> paletteEntryFromKey(const std::string& key) {
    for (const PaletteEntryInfo& info : paletteEntries())
        if (key == info.key) return info.entry;
    return std::nullopt;
}

std::optional<PaletteEntry> paletteEntryOf(const ModelObject& object) {
    switch (kindOf(object)) {
        case ObjectKind::Node: return static_cast<PaletteEntry>(std::get<core::Node>(object).output.index());
        case ObjectKind::Ensemble: return PaletteEntry::Ensemble;
        case ObjectKind::Probe: return PaletteEntry::Probe;
        case ObjectKind::Network: return PaletteEntry::Subnetwork;
        case ObjectKind::Connection: return std::nullopt;
    }
    return std::nullopt;
}

PlacedObject makeDefault(PaletteEntry entry, const GraphModel& model, core::Point at, const std::string& parent) {
    const std::string id = model.uniqueId(infoOf(entry).idPrefix);
    return {defaultObject(entry, id), {parent, -1}, {{{id, at}}, {}, {}}};
}

core::ProbeAttribute defaultProbeAttribute(core::EndpointKind target) {
    return target == core::EndpointKind::Ensemble ? core::ProbeAttribute::DecodedOutput : core::ProbeAttribute::Output;
}

PlacedObject makeProbe(const GraphModel& model, const core::Endpoint& target, core::Point at, const std::string& parent) {
    const std::string id = model.uniqueId(infoOf(PaletteEntry::Probe).idPrefix);
    auto probe = named<core::Probe>(id, labelFor(id));
    probe.target = target;
    probe.attribute = defaultProbeAttribute(target.kind);
    return {probe, {parent, -1}, {{{id, at}}, {}, {}}};
}

PlacedObject makeConnection(const GraphModel& model, const core::Endpoint& pre, const core::Endpoint& post,
                            const std::string& parent) {
    auto c = named<core::Connection>(freshId(model, pre.id + "_to_" + post.id), "");
    c.pre = pre;
    c.post = post;
    return {c, {parent, -1}, {}};
}

std::string numberedId(const GraphModel& model, const std::string& prefix, const std::set<std::string>& taken) {
    for (int n = 1;; ++n)
        if (std::string id = prefix + "_" + std::to_string(n); !taken.count(id) && !model.contains(id)) return id;
}

std::string freshId(const GraphModel& model, const std::string& base) {
    return model.contains(base) ? numberedId(model, base) : base;
}

}  // namespace ui
