#include "graph_model.h"

#include <QUndoStack>

#include <algorithm>
#include <stdexcept>

namespace ui {

namespace {

template <class Net>  // core::Network or const core::Network
struct Found {
    Net* parent;
    ObjectKind kind;
    int index;
};

template <class Net, class List>
std::optional<Found<Net>> scan(Net& net, List& list, ObjectKind kind, const std::string& id) {
    for (size_t i = 0; i < list.size(); ++i)
        if (list[i].id == id) return Found<Net>{&net, kind, static_cast<int>(i)};
    return std::nullopt;
}

template <class Net>
std::optional<Found<Net>> locate(Net& net, const std::string& id) {
    if (auto f = scan(net, net.nodes, ObjectKind::Node, id)) return f;
    if (auto f = scan(net, net.ensembles, ObjectKind::Ensemble, id)) return f;
    if (auto f = scan(net, net.connections, ObjectKind::Connection, id)) return f;
    if (auto f = scan(net, net.probes, ObjectKind::Probe, id)) return f;
    if (auto f = scan(net, net.subnetworks, ObjectKind::Network, id)) return f;
    for (auto& sub : net.subnetworks)
        if (auto f = locate(sub, id)) return f;
    return std::nullopt;
}

// Calls visit(kind, id) for every object of `net`'s tree (not `net` itself), parents before children.
template <class Visit>
void forEachObject(const core::Network& net, Visit&& visit) {
    for (const auto& n : net.nodes) visit(ObjectKind::Node, n.id);
    for (const auto& e : net.ensembles) visit(ObjectKind::Ensemble, e.id);
    for (const auto& c : net.connections) visit(ObjectKind::Connection, c.id);
    for (const auto& p : net.probes) visit(ObjectKind::Probe, p.id);
    for (const auto& s : net.subnetworks) {
        visit(ObjectKind::Network, s.id);
        forEachObject(s, visit);
    }
}

template <class Visit>
void forEachAttachment(const core::Network& net, Visit&& visit) {
    for (const auto& c : net.connections) visit(c.id, std::vector<std::string>{c.pre.id, c.post.id});
    for (const auto& p : net.probes) visit(p.id, std::vector<std::string>{p.target.id});
    for (const auto& s : net.subnetworks) forEachAttachment(s, visit);
}

template <class T>
std::vector<T>& listOf(core::Network& net);
template <>
std::vector<core::Node>& listOf(core::Network& net) { return net.nodes; }
template <>
std::vector<core::Ensemble>& listOf(core::Network& net) { return net.ensembles; }
template <>
std::vector<core::Connection>& listOf(core::Network& net) { return net.connections; }
template <>
std::vector<core::Probe>& listOf(core::Network& net) { return net.probes; }
template <>
std::vector<core::Network>& listOf(core::Network& net) { return net.subnetworks; }

ModelObject objectAt(const core::Network& net, ObjectKind kind, int i) {
    switch (kind) {
        case ObjectKind::Node: return net.nodes[i];
        case ObjectKind::Ensemble: return net.ensembles[i];
        case ObjectKind::Connection: return net.connections[i];
        case ObjectKind::Probe: return net.probes[i];
        case ObjectKind::Network: return net.subnetworks[i];
    }
    throw std::logic_error("unknown object kind");
}

}  // namespace

ObjectKind kindOf(const ModelObject& object) { return static_cast<ObjectKind>(object.index()); }

const std::string& idOf(const ModelObject& object) {
    return std::visit([](const auto& o) -> const std::string& { return o.id; }, object);
}

const std::string& labelOf(const ModelObject& object) {
    return std::visit([](const auto& o) -> const std::string& { return o.label; }, object);
}

void setLabel(ModelObject& object, const std::string& label) {
    std::visit([&](auto& o) { o.label = label; }, object);
}

std::string displayName(const ModelObject& object) {
    const std::string& label = labelOf(object);
    return label.empty() ? idOf(object) : label + " (" + idOf(object) + ")";
}

GraphModel::GraphModel(QObject* parent) : QObject(parent), undoStack_(new QUndoStack(this)) {}

// The undo stack, a child, is deleted after this object has stopped being a
// GraphModel; the signals it sends while clearing its commands would reach
// listeners (the project session) that call back into this model.
GraphModel::~GraphModel() { undoStack_->blockSignals(true); }

void GraphModel::setProject(core::Project project) {
    project_ = std::move(project);
    undoStack_->clear();
    emit modelReset();
    emit changed();
}

bool GraphModel::contains(const std::string& id) const { return locate(project_.network, id).has_value(); }

std::optional<ModelObject> GraphModel::object(const std::string& id) const {
    const auto found = locate(project_.network, id);
    if (!found) return std::nullopt;
    if (found->kind != ObjectKind::Network) return objectAt(*found->parent, found->kind, found->index);
    const core::Network& net = found->parent->subnetworks[found->index];
    core::Network shallow;
    shallow.id = net.id;
    shallow.label = net.label;
    shallow.seed = net.seed;
    return shallow;
}

std::optional<ObjectKind> GraphModel::kind(const std::string& id) const {
    const auto found = locate(project_.network, id);
    return found ? std::optional(found->kind) : std::nullopt;
}

std::optional<std::string> GraphModel::parentOf(const std::string& id) const {
    const auto found = locate(project_.network, id);
    if (!found) return std::nullopt;
    return found->parent == &project_.network ? std::string() : found->parent->id;
}

const core::Network* GraphModel::network(const std::string& id) const {
    if (id.empty()) return &project_.network;
    const auto found = locate(project_.network, id);
    return found && found->kind == ObjectKind::Network ? &found->parent->subnetworks[found->index] : nullptr;
}

core::Network* GraphModel::mutableNetwork(const std::string& id) {
    return const_cast<core::Network*>(std::as_const(*this).network(id));
}

std::vector<std::string> GraphModel::objectIds() const {
    std::vector<std::string> ids;
    forEachObject(project_.network, [&](ObjectKind, const std::string& id) { ids.push_back(id); });
    return ids;
}

std::vector<std::string> GraphModel::descendants(const std::string& networkId) const {
    std::vector<std::string> ids;
    if (const core::Network* net = network(networkId))
        forEachObject(*net, [&](ObjectKind, const std::string& id) { ids.push_back(id); });
    return ids;
}

std::vector<std::string> GraphModel::dependents(const std::string& id) const {
    std::vector<std::string> gone = descendants(id);
    gone.push_back(id);
    const size_t subtree = gone.size();
    auto isGone = [&](const std::string& x) { return std::find(gone.begin(), gone.end(), x) != gone.end(); };
    // Attachments to attachments (a probe on a connection, an error connection
    // into a learning rule) go too: repeat until nothing new joins.
    for (bool grew = true; grew;) {
        grew = false;
        forEachAttachment(project_.network, [&](const std::string& attached, const std::vector<std::string>& ends) {
            if (isGone(attached)) return;
            if (std::any_of(ends.begin(), ends.end(), isGone)) {
                gone.push_back(attached);
                grew = true;
            }
        });
    }
    return {gone.begin() + static_cast<long>(subtree), gone.end()};
}

std::optional<core::Point> GraphModel::position(const std::string& id) const {
    const auto it = project_.layout.positions.find(id);
    return it == project_.layout.positions.end() ? std::nullopt : std::optional(it->second);
}

std::string GraphModel::uniqueId(const std::string& prefix) const {
    for (int n = 1;; ++n) {
        std::string id = prefix + "_" + std::to_string(n);
        if (!contains(id)) return id;
    }
}

std::optional<int> GraphModel::outputSize(const core::Endpoint& endpoint) const {
    const auto o = object(endpoint.id);
    if (!o) return std::nullopt;
    if (auto n = std::get_if<core::Node>(&*o)) return n->sizeOut;
    if (auto e = std::get_if<core::Ensemble>(&*o))
        return endpoint.kind == core::EndpointKind::Neurons ? e->nNeurons : e->dimensions;
    return std::nullopt;
}

std::optional<int> GraphModel::inputSize(const core::Endpoint& endpoint) const {
    const auto o = object(endpoint.id);
    if (!o) return std::nullopt;
    if (auto n = std::get_if<core::Node>(&*o)) return n->sizeIn;
    if (auto e = std::get_if<core::Ensemble>(&*o))
        return endpoint.kind == core::EndpointKind::Neurons ? e->nNeurons : e->dimensions;
    return std::nullopt;
}

void GraphModel::insert(const PlacedObject& placed) {
    core::Network* parent = mutableNetwork(placed.placement.parent);
    if (!parent) throw std::logic_error("insert into a network that does not exist: " + placed.placement.parent);
    if (contains(idOf(placed.object))) throw std::logic_error("insert of an id in use: " + idOf(placed.object));
    std::visit(
        [&](const auto& o) {
            auto& list = listOf<std::decay_t<decltype(o)>>(*parent);
            const int at = placed.placement.index;
            list.insert(at < 0 || at > static_cast<int>(list.size()) ? list.end() : list.begin() + at, o);
        },
        placed.object);
    core::Layout& layout = project_.layout;
    for (const auto& [id, p] : placed.layout.positions) layout.positions[id] = p;
    for (const auto& [id, s] : placed.layout.sizes) layout.sizes[id] = s;
    layout.collapsed.insert(placed.layout.collapsed.begin(), placed.layout.collapsed.end());
    const QString id = QString::fromStdString(idOf(placed.object));
    emit objectAdded(id);
    if (auto net = std::get_if<core::Network>(&placed.object)) emitAdded(*net);
    emit changed();
}

void GraphModel::emitAdded(const core::Network& net) {
    forEachObject(net, [&](ObjectKind, const std::string& id) { emit objectAdded(QString::fromStdString(id)); });
}

PlacedObject GraphModel::remove(const std::string& id) {
    const auto found = locate(project_.network, id);
    if (!found) throw std::logic_error("remove of an unknown id: " + id);
    std::vector<std::string> subtree = descendants(id);
    subtree.push_back(id);
    PlacedObject placed{objectAt(*found->parent, found->kind, found->index),
                        {found->parent == &project_.network ? std::string() : found->parent->id, found->index},
                        takeLayout(subtree)};
    std::visit(
        [&](const auto& o) {
            auto& list = listOf<std::decay_t<decltype(o)>>(*found->parent);
            list.erase(list.begin() + found->index);
        },
        placed.object);
    // Children before their network, so observers drop inner items first.
    for (const std::string& gone : subtree) emit objectRemoved(QString::fromStdString(gone));
    emit changed();
    return placed;
}

LayoutPart GraphModel::takeLayout(const std::vector<std::string>& ids) {
    LayoutPart part;
    core::Layout& layout = project_.layout;
    for (const std::string& id : ids) {
        if (auto p = layout.positions.extract(id)) part.positions.insert(std::move(p));
        if (auto s = layout.sizes.extract(id)) part.sizes.insert(std::move(s));
        if (layout.collapsed.erase(id)) part.collapsed.push_back(id);
    }
    return part;
}

void GraphModel::replace(const ModelObject& object) {
    const std::string& id = idOf(object);
    const auto found = locate(project_.network, id);
    if (!found || found->kind != kindOf(object)) throw std::logic_error("replace of an unknown object: " + id);
    if (auto net = std::get_if<core::Network>(&object)) {
        core::Network& target = found->parent->subnetworks[found->index];
        target.label = net->label;
        target.seed = net->seed;
    } else {
        std::visit([&](const auto& o) { listOf<std::decay_t<decltype(o)>>(*found->parent)[found->index] = o; },
                   object);
    }
    emit objectChanged(QString::fromStdString(id));
    emit changed();
}

void GraphModel::setPosition(const std::string& id, std::optional<core::Point> position) {
    if (position)
        project_.layout.positions[id] = *position;
    else
        project_.layout.positions.erase(id);
    emit objectMoved(QString::fromStdString(id));
    emit changed();
}

void GraphModel::setProjectInfo(const std::string& title, const std::string& description) {
    project_.title = title;
    project_.description = description;
    emit projectInfoChanged();
    emit changed();
}

void GraphModel::setSimulation(const core::SimulationSettings& settings) {
    project_.simulation = settings;
    emit projectInfoChanged();
    emit changed();
}

void GraphModel::setTraining(const std::optional<core::TrainingSetup>& training) {
    project_.training = training;
    emit projectInfoChanged();
    emit changed();
}

}  // namespace ui
