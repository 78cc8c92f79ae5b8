#include "build/evaluation_order.h"

#include "common/error.h"

#include <map>

namespace core {

namespace {

struct Graph {
    std::vector<EvaluationItem> items;
    std::vector<std::vector<int>> next;  // item -> the items waiting for it
    std::vector<int> waiting;            // how many items each item waits for
};

Graph dependencyGraph(const BuiltModel& model) {
    Graph g;
    std::map<std::pair<EvaluationItem::Kind, int>, int> slot;
    auto addItem = [&](EvaluationItem::Kind k, int i) {
        slot[{k, i}] = static_cast<int>(g.items.size());
        g.items.push_back({k, i});
    };
    for (size_t i = 0; i < model.ensembles.size(); ++i) addItem(EvaluationItem::Kind::Ensemble, static_cast<int>(i));
    for (size_t i = 0; i < model.nodes.size(); ++i)
        if (model.nodes[i].passthrough()) addItem(EvaluationItem::Kind::PassthroughNode, static_cast<int>(i));
    for (size_t i = 0; i < model.connections.size(); ++i)
        addItem(EvaluationItem::Kind::Connection, static_cast<int>(i));

    g.next.resize(g.items.size());
    g.waiting.assign(g.items.size(), 0);
    auto edge = [&](int from, int to) {
        g.next[from].push_back(to);
        ++g.waiting[to];
    };
    for (size_t i = 0; i < model.connections.size(); ++i) {
        const BuiltConnection& c = model.connections[i];
        const int self = slot[{EvaluationItem::Kind::Connection, static_cast<int>(i)}];
        if (c.source == Source::NeuronOutput)
            edge(slot[{EvaluationItem::Kind::Ensemble, c.preIndex}], self);
        else if (model.nodes[c.preIndex].passthrough())
            edge(slot[{EvaluationItem::Kind::PassthroughNode, c.preIndex}], self);
        if (c.synapse || c.apply == Apply::LearningRuleError) continue;
        const auto postKind =
            c.apply == Apply::NodeInput ? EvaluationItem::Kind::PassthroughNode : EvaluationItem::Kind::Ensemble;
        edge(self, slot[{postKind, c.postIndex}]);
    }
    return g;
}

}  // namespace

// Kahn's algorithm, one wave at a time.
std::vector<std::vector<EvaluationItem>> evaluationWaves(const BuiltModel& model) {
    Graph g = dependencyGraph(model);
    std::vector<std::vector<EvaluationItem>> waves;
    std::vector<int> wave;
    for (size_t i = 0; i < g.items.size(); ++i)
        if (g.waiting[i] == 0) wave.push_back(static_cast<int>(i));
    size_t placed = 0;
    while (!wave.empty()) {
        std::vector<int> following;
        waves.emplace_back();
        for (int item : wave) {
            waves.back().push_back(g.items[item]);
            for (int to : g.next[item])
                if (--g.waiting[to] == 0) following.push_back(to);
        }
        placed += wave.size();
        wave = std::move(following);
    }
    if (placed != g.items.size()) {
        std::string members;
        for (size_t i = 0; i < g.items.size(); ++i) {
            if (g.waiting[i] == 0 || g.items[i].kind != EvaluationItem::Kind::Connection) continue;
            members += (members.empty() ? "" : ", ") + model.connections[g.items[i].index].id;
        }
        throw Error("a loop has no synapse (every loop needs at least one): " + members, {}, {}, "synapse");
    }
    return waves;
}

}  // namespace core
