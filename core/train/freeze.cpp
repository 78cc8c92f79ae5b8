#include "train/freeze.h"

#include "common/error.h"

#include <set>

namespace core {

namespace {

std::vector<double> toVector(const Vector& v) { return {v.data(), v.data() + v.size()}; }

void freezeEnsemble(Ensemble& e, const BuiltEnsemble& b) {
    e.gain = toVector(b.gain);
    e.bias = toVector(b.bias);
    // scaled = encoders * gain / radius, so these encoders give the trained
    // scaled encoders back while the gain (which neuron inputs also use) stays.
    const Matrix encoders = b.scaledEncoders.array().colwise() * (b.radius / b.gain.array());
    e.encoders = ExplicitValues{Table::fromMatrix(encoders)};
    e.normalizeEncoders = false;
    e.evalPoints = ExplicitValues{Table::fromMatrix(b.evalPoints)};
    e.nEvalPoints.reset();
}

bool hasSubnetwork(const Network& net, const std::string& id) {
    for (const auto& sub : net.subnetworks)
        if (sub.id == id || hasSubnetwork(sub, id)) return true;
    return false;
}

// The ensembles and connections to freeze: every one when `all`, else those
// named and every one inside a named subnetwork, at any depth.
void collectChosen(const Network& net, const std::set<std::string>& named, bool all, std::set<std::string>& chosen) {
    for (const auto& e : net.ensembles)
        if (all || named.count(e.id)) chosen.insert(e.id);
    for (const auto& c : net.connections)
        if (all || named.count(c.id)) chosen.insert(c.id);
    for (const auto& sub : net.subnetworks) collectChosen(sub, named, all || named.count(sub.id) > 0, chosen);
}

// Objects the build left out have nothing to freeze. Probes freeze with their
// target, wherever in the tree each of them is declared.
void freezeChosen(Network& net, const BuiltModel& trained, const std::set<std::string>& chosen) {
    for (auto& e : net.ensembles) {
        const int i = trained.ensembleIndex(e.id);
        if (i >= 0 && chosen.count(e.id)) freezeEnsemble(e, trained.ensembles[i]);
    }
    for (auto& c : net.connections) {
        const int i = trained.connectionIndex(c.id);
        if (i >= 0 && chosen.count(c.id)) c.weights = Table::fromMatrix(trained.connections[i].weights);
    }
    for (auto& p : net.probes) {
        const int i = trained.probeIndex(p.id);
        if (i < 0 || trained.probes[i].signal != ProbedSignal::DecodedOutput || !chosen.count(p.target.id)) continue;
        p.decoders = Table::fromMatrix(trained.probes[i].decoders);
    }
    for (auto& sub : net.subnetworks) freezeChosen(sub, trained, chosen);
}

}  // namespace

void freezeParameters(Network& network, const BuiltModel& trained, const std::vector<std::string>& objectIds) {
    const std::set<std::string> named(objectIds.begin(), objectIds.end());
    for (const auto& id : named)
        if (trained.ensembleIndex(id) < 0 && trained.connectionIndex(id) < 0 && !hasSubnetwork(network, id))
            throw Error("is not an ensemble, connection or subnetwork of the model", {}, id, "freeze");
    std::set<std::string> chosen;
    collectChosen(network, named, named.empty(), chosen);
    freezeChosen(network, trained, chosen);
}

}  // namespace core
