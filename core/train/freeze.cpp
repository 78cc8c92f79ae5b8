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

template <class F>
void forEachObject(Network& net, F&& f) {
    f(net);
    for (auto& sub : net.subnetworks) forEachObject(sub, f);
}

}  // namespace

void freezeParameters(Network& network, const BuiltModel& trained, const std::vector<std::string>& objectIds) {
    const std::set<std::string> wanted(objectIds.begin(), objectIds.end());
    for (const auto& id : wanted)
        if (trained.ensembleIndex(id) < 0 && trained.connectionIndex(id) < 0)
            throw Error("is not an ensemble or connection of the model", {}, id, "freeze");
    auto chosen = [&](const std::string& id) { return wanted.empty() || wanted.count(id) > 0; };
    forEachObject(network, [&](Network& net) {
        for (auto& e : net.ensembles) {
            const int i = trained.ensembleIndex(e.id);
            if (i >= 0 && chosen(e.id)) freezeEnsemble(e, trained.ensembles[i]);
        }
        for (auto& c : net.connections) {
            const int i = trained.connectionIndex(c.id);
            if (i >= 0 && chosen(c.id)) c.weights = Table::fromMatrix(trained.connections[i].weights);
        }
        for (auto& p : net.probes) {
            const int i = trained.probeIndex(p.id);
            if (i < 0 || trained.probes[i].signal != ProbedSignal::DecodedOutput || !chosen(p.target.id)) continue;
            p.decoders = Table::fromMatrix(trained.probes[i].decoders);
        }
    });
}

}  // namespace core
