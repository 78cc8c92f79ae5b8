#include "training/training_objects.h"

namespace ui {

namespace {

void collect(const core::Network& net, TrainingObjects& out) {
    for (const auto& n : net.nodes)
        if (n.sizeIn == 0 && !n.isPassthrough()) out.inputNodes.push_back({n.id, objectTitle(n.id, n.label)});
    for (const auto& p : net.probes) out.probes.push_back({p.id, objectTitle(p.id, p.label)});
    for (const auto& e : net.ensembles) out.ensembles.push_back({e.id, objectTitle(e.id, e.label)});
    for (const auto& c : net.connections) out.connections.push_back({c.id, objectTitle(c.id, c.label)});
    for (const auto& sub : net.subnetworks) collect(sub, out);
}

}  // namespace

TrainingObjects trainingObjects(const core::Network& network) {
    TrainingObjects out;
    collect(network, out);
    return out;
}

QString objectTitle(const std::string& id, const std::string& label) {
    if (label.empty() || label == id) return QString::fromStdString(id);
    return QString::fromStdString(label) + " (" + QString::fromStdString(id) + ")";
}

}  // namespace ui
