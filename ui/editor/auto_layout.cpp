#include "auto_layout.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <optional>
#include <vector>

namespace ui {

namespace {

constexpr double grid = 20.0;
constexpr double columnGap = 100.0;
constexpr double rowGap = 40.0;
constexpr int barycenterSweeps = 4;

double snap(double v) { return std::round(v / grid) * grid; }
core::Point snap(core::Point p) { return {snap(p.x), snap(p.y)}; }

struct Box {
    double left, top, right, bottom;
    bool overlaps(const Box& o, double margin) const {
        return left < o.right + margin && o.left < right + margin && top < o.bottom + margin && o.top < bottom + margin;
    }
};

Box boxAround(core::Point centre, core::Point size) {
    return {centre.x - size.x / 2, centre.y - size.y / 2, centre.x + size.x / 2, centre.y + size.y / 2};
}

Box unite(const Box& a, const Box& b) {
    return {std::min(a.left, b.left), std::min(a.top, b.top), std::max(a.right, b.right), std::max(a.bottom, b.bottom)};
}

template <class Visit>
void forEachConnection(const core::Network& net, Visit&& visit) {
    for (const auto& c : net.connections) visit(c);
    for (const auto& s : net.subnetworks) forEachConnection(s, visit);
}

template <class Visit>
void forEachProbe(const core::Network& net, Visit&& visit) {
    for (const auto& p : net.probes) visit(p);
    for (const auto& s : net.subnetworks) forEachProbe(s, visit);
}

// One laid-out network: centres relative to the centre of its bounding box.
struct Laid {
    std::map<std::string, core::Point> positions;
    core::Point size;
};

Laid layoutNetwork(const core::Network& net);

// The blocks of one level: its nodes, ensembles, subnetworks and probes, and
// the directed edges between them that connections and probes make.
class LevelGraph {
public:
    explicit LevelGraph(const core::Network& net) {
        for (const auto& n : net.nodes) addBlock(n.id, BoxSizes::node);
        for (const auto& e : net.ensembles) addBlock(e.id, BoxSizes::ensemble);
        for (const auto& s : net.subnetworks) {
            const Laid inner = layoutNetwork(s);
            const bool empty = inner.positions.empty();
            const core::Point size = empty ? BoxSizes::subnetwork
                                           : core::Point{inner.size.x + 2 * BoxSizes::framePadding,
                                                         inner.size.y + 2 * BoxSizes::framePadding + BoxSizes::frameHeader};
            const int block = addBlock(s.id, size);
            for (auto& [id, p] : inner.positions) {
                owner_[id] = block;
                inner_[block][id] = {p.x, p.y + BoxSizes::frameHeader / 2};
            }
        }
        for (const auto& p : net.probes) addBlock(p.id, BoxSizes::probe);
        forEachConnection(net, [&](const core::Connection& c) { connections_[c.id] = &c; });
        out_.resize(ids_.size());
        forEachConnection(net, [&](const core::Connection& c) {
            if (c.post.kind != core::EndpointKind::LearningRule) addEdge(resolve(c.pre), resolve(c.post));
        });
        // A probe of a learning rule sits with the rule's connection.
        forEachProbe(net, [&](const core::Probe& p) {
            const bool rule = p.target.kind == core::EndpointKind::LearningRule;
            addEdge(resolve(rule ? core::Endpoint{p.target.id, core::EndpointKind::Connection} : p.target), owner(p.id));
        });
    }

    int size() const { return static_cast<int>(ids_.size()); }
    const std::string& id(int b) const { return ids_[b]; }
    core::Point blockSize(int b) const { return sizes_[b]; }
    const std::vector<int>& successors(int b) const { return out_[b]; }
    const std::map<std::string, core::Point>& inner(int b) const {
        static const std::map<std::string, core::Point> none;
        const auto it = inner_.find(b);
        return it == inner_.end() ? none : it->second;
    }

private:
    int addBlock(const std::string& id, core::Point boxSize) {
        const int block = size();
        owner_[id] = block;
        ids_.push_back(id);
        sizes_.push_back(boxSize);
        return block;
    }
    int owner(const std::string& id) const {
        const auto it = owner_.find(id);
        return it == owner_.end() ? -1 : it->second;
    }
    // The block an endpoint lies in; a connection (probed) counts as its post.
    int resolve(const core::Endpoint& e, int depth = 0) const {
        if (e.kind == core::EndpointKind::LearningRule) return -1;
        if (e.kind == core::EndpointKind::Connection) {
            const auto it = connections_.find(e.id);
            return it == connections_.end() || depth > 8 ? -1 : resolve(it->second->post, depth + 1);
        }
        return owner(e.id);
    }
    void addEdge(int from, int to) {
        if (from < 0 || to < 0 || from == to) return;
        auto& list = out_[from];
        if (std::find(list.begin(), list.end(), to) == list.end()) list.push_back(to);
    }

    std::vector<std::string> ids_;
    std::vector<core::Point> sizes_;
    std::map<std::string, int> owner_;  // object id -> the block holding it
    std::map<std::string, const core::Connection*> connections_;
    std::map<int, std::map<std::string, core::Point>> inner_;  // subnetwork block -> contents relative to its centre
    std::vector<std::vector<int>> out_;
};

// Drops the edges that close a cycle in a depth-first search from each block
// in order; returns the remaining successors and a topological order.
struct Dag {
    std::vector<std::vector<int>> successors, predecessors;
    std::vector<int> order;
};

Dag acyclic(const LevelGraph& g) {
    const int n = g.size();
    Dag dag{std::vector<std::vector<int>>(n), std::vector<std::vector<int>>(n), {}};
    enum State { Unseen, OnStack, Done };
    std::vector<State> state(n, Unseen);
    std::vector<int> postorder;
    for (int start = 0; start < n; ++start) {
        if (state[start] != Unseen) continue;
        std::vector<std::pair<int, size_t>> stack{{start, 0}};
        state[start] = OnStack;
        while (!stack.empty()) {
            auto& [v, next] = stack.back();
            if (next == g.successors(v).size()) {
                state[v] = Done;
                postorder.push_back(v);
                stack.pop_back();
                continue;
            }
            const int w = g.successors(v)[next++];
            if (state[w] == OnStack) continue;  // closes a cycle
            dag.successors[v].push_back(w);
            dag.predecessors[w].push_back(v);
            if (state[w] == Unseen) {
                state[w] = OnStack;
                stack.push_back({w, 0});
            }
        }
    }
    dag.order.assign(postorder.rbegin(), postorder.rend());
    return dag;
}

std::vector<std::vector<int>> longestPathLayers(const Dag& dag) {
    std::vector<int> layer(dag.order.size(), 0);
    for (int v : dag.order)
        for (int w : dag.successors[v]) layer[w] = std::max(layer[w], layer[v] + 1);
    const int count = layer.empty() ? 0 : *std::max_element(layer.begin(), layer.end()) + 1;
    std::vector<std::vector<int>> layers(count);
    for (int v = 0; v < static_cast<int>(layer.size()); ++v) layers[layer[v]].push_back(v);
    return layers;
}

// Centres of a layer's blocks stacked top to bottom around y = 0.
void stack(const LevelGraph& g, const std::vector<int>& layer, std::vector<double>& y) {
    double total = -rowGap;
    for (int v : layer) total += g.blockSize(v).y + rowGap;
    double top = -total / 2;
    for (int v : layer) {
        y[v] = top + g.blockSize(v).y / 2;
        top += g.blockSize(v).y + rowGap;
    }
}

// Orders each layer by the mean height of its neighbours on one side; blocks
// without such neighbours keep their height as their key.
void sweep(const LevelGraph& g, std::vector<std::vector<int>>& layers, const std::vector<std::vector<int>>& neighbours,
           bool downward, std::vector<double>& y) {
    const int count = static_cast<int>(layers.size());
    for (int i = 1; i < count; ++i) {
        std::vector<int>& layer = layers[downward ? i : count - 1 - i];
        std::map<int, double> key;
        for (int v : layer) {
            const auto& near = neighbours[v];
            key[v] = near.empty() ? y[v]
                                  : std::accumulate(near.begin(), near.end(), 0.0,
                                                    [&](double sum, int w) { return sum + y[w]; }) /
                                        static_cast<double>(near.size());
        }
        std::stable_sort(layer.begin(), layer.end(), [&](int a, int b) { return key[a] < key[b]; });
        stack(g, layer, y);
    }
}

Laid layoutNetwork(const core::Network& net) {
    const LevelGraph g(net);
    const Dag dag = acyclic(g);
    std::vector<std::vector<int>> layers = longestPathLayers(dag);
    std::vector<double> y(g.size(), 0.0);
    for (const auto& layer : layers) stack(g, layer, y);
    for (int s = 0; s < barycenterSweeps; ++s) sweep(g, layers, s % 2 == 0 ? dag.predecessors : dag.successors, s % 2 == 0, y);

    std::vector<double> x(g.size(), 0.0);
    double left = 0.0;
    for (const auto& layer : layers) {
        double width = 0.0;
        for (int v : layer) width = std::max(width, g.blockSize(v).x);
        for (int v : layer) x[v] = left + width / 2;
        left += width + columnGap;
    }
    if (g.size() == 0) return {};

    Box bounds = boxAround({x[0], y[0]}, g.blockSize(0));
    for (int v = 1; v < g.size(); ++v) bounds = unite(bounds, boxAround({x[v], y[v]}, g.blockSize(v)));
    const core::Point centre{(bounds.left + bounds.right) / 2, (bounds.top + bounds.bottom) / 2};
    Laid laid{{}, {bounds.right - bounds.left, bounds.bottom - bounds.top}};
    for (int v = 0; v < g.size(); ++v) {
        const core::Point at = snap(core::Point{x[v] - centre.x, y[v] - centre.y});
        laid.positions[g.id(v)] = at;
        for (const auto& [id, p] : g.inner(v)) laid.positions[id] = snap(core::Point{at.x + p.x, at.y + p.y});
    }
    return laid;
}

// What placing a missing object needs to know about each object of the tree.
struct Placeable {
    core::Point size;
    const core::Probe* probe = nullptr;
    const core::Network* network = nullptr;  // a subnetwork
};

struct Tree {
    std::map<std::string, Placeable> objects;
    std::vector<const core::Network*> subnetworksInnerFirst;
    std::map<std::string, const core::Connection*> connections;
};

void collect(const core::Network& net, Tree& tree) {
    for (const auto& n : net.nodes) tree.objects[n.id] = {BoxSizes::node};
    for (const auto& e : net.ensembles) tree.objects[e.id] = {BoxSizes::ensemble};
    for (const auto& p : net.probes) tree.objects[p.id] = {BoxSizes::probe, &p};
    for (const auto& c : net.connections) tree.connections[c.id] = &c;
    for (const auto& s : net.subnetworks) {
        tree.objects[s.id] = {BoxSizes::subnetwork, nullptr, &s};
        collect(s, tree);
        tree.subnetworksInnerFirst.push_back(&s);
    }
}

bool hasBody(const core::Network& net) {
    return !net.nodes.empty() || !net.ensembles.empty() ||
           std::any_of(net.subnetworks.begin(), net.subnetworks.end(), hasBody);
}

std::optional<Box> boundsOf(const std::map<std::string, core::Point>& at, const Tree& tree,
                            const std::vector<std::string>& ids) {
    std::optional<Box> bounds;
    for (const std::string& id : ids) {
        const Box b = boxAround(at.at(id), tree.objects.at(id).size);
        bounds = bounds ? unite(*bounds, b) : b;
    }
    return bounds;
}

// The free slot right of `target` nearest its height, searching down and up.
core::Point besideTarget(core::Point target, core::Point targetSize, const std::vector<Box>& occupied) {
    const double x = snap(target.x + targetSize.x / 2 + 60 + BoxSizes::probe.x / 2);
    for (int k = 0; k < 40; ++k) {
        const double dy = (k + 1) / 2 * 60.0 * (k % 2 == 0 ? 1 : -1);
        const core::Point at = snap(core::Point{x, target.y + dy});
        const Box b = boxAround(at, BoxSizes::probe);
        if (std::none_of(occupied.begin(), occupied.end(), [&](const Box& o) { return b.overlaps(o, 10); })) return at;
    }
    return snap(core::Point{x, target.y});
}

// Where a probe's target sits and how big it is; a probed connection is the
// middle of its ends. Nothing when the target has no place yet.
std::optional<std::pair<core::Point, core::Point>> targetBox(const core::Endpoint& target, const Tree& tree,
                                                             const std::map<std::string, core::Point>& at) {
    using K = core::EndpointKind;
    if (target.kind == K::Connection || target.kind == K::LearningRule) {
        const auto c = tree.connections.find(target.id);
        if (c == tree.connections.end()) return std::nullopt;
        const auto pre = at.find(c->second->pre.id), post = at.find(c->second->post.id);
        if (pre == at.end() || post == at.end()) return std::nullopt;
        return std::pair{core::Point{(pre->second.x + post->second.x) / 2, (pre->second.y + post->second.y) / 2},
                         core::Point{}};
    }
    const auto p = at.find(target.id);
    if (p == at.end()) return std::nullopt;
    return std::pair{p->second, tree.objects.at(target.id).size};
}

}  // namespace

std::map<std::string, core::Point> autoLayout(const core::Network& network) { return layoutNetwork(network).positions; }

std::map<std::string, core::Point> placeUnpositioned(const core::Network& network,
                                                     const std::map<std::string, core::Point>& positions) {
    Tree tree;
    collect(network, tree);
    std::map<std::string, core::Point> at;  // every placed object of the tree, old and new
    std::vector<std::string> placedBoxes, missing;
    for (const auto& [id, o] : tree.objects) {
        if (const auto p = positions.find(id); p != positions.end()) {
            at[id] = p->second;
            if (!o.network) placedBoxes.push_back(id);
        } else {
            missing.push_back(id);
        }
    }
    if (missing.empty()) return {};
    const auto laid = autoLayout(network);
    if (at.empty()) return laid;

    // The laid-out missing objects, moved as one block below the placed ones.
    const Box old = boundsOf(at, tree, placedBoxes).value_or(boxAround(at.begin()->second, {}));
    const Box fresh = *boundsOf(laid, tree, missing);
    const core::Point shift{old.left - fresh.left, old.bottom + 120 - fresh.top};
    auto below = [&](const std::string& id) { return snap(core::Point{laid.at(id).x + shift.x, laid.at(id).y + shift.y}); };

    std::map<std::string, core::Point> result;
    auto place = [&](const std::string& id, core::Point p) { result[id] = at[id] = p; };
    for (const std::string& id : missing) {
        const Placeable& o = tree.objects.at(id);
        if (!o.probe && !(o.network && hasBody(*o.network))) place(id, below(id));
    }
    for (const core::Network* net : tree.subnetworksInnerFirst) {
        if (at.count(net->id)) continue;
        std::vector<std::string> children;
        for (const auto& n : net->nodes) children.push_back(n.id);
        for (const auto& e : net->ensembles) children.push_back(e.id);
        for (const auto& s : net->subnetworks) children.push_back(s.id);
        const Box b = *boundsOf(at, tree, children);
        place(net->id, snap(core::Point{(b.left + b.right) / 2, (b.top + b.bottom) / 2}));
    }
    std::vector<Box> occupied;
    for (const auto& [id, p] : at)
        if (!tree.objects.at(id).network) occupied.push_back(boxAround(p, tree.objects.at(id).size));
    for (const std::string& id : missing) {
        const Placeable& o = tree.objects.at(id);
        if (!o.probe) continue;
        const auto target = targetBox(o.probe->target, tree, at);
        place(id, target ? besideTarget(target->first, target->second, occupied) : below(id));
        occupied.push_back(boxAround(at[id], BoxSizes::probe));
    }
    return result;
}

}  // namespace ui
