#include "graph_scene.h"

#include "auto_layout.h"
#include "collapse_command.h"
#include "edit_commands.h"

#include <QGraphicsPathItem>
#include <QGraphicsSceneContextMenuEvent>
#include <QGraphicsSceneDragDropEvent>
#include <QGraphicsSceneMouseEvent>
#include <QMimeData>
#include <QPainter>
#include <QStyleOptionGraphicsItem>
#include <QUndoStack>

#include <cmath>

namespace ui {

namespace {

using K = core::EndpointKind;

QPointF toQt(core::Point p) { return {p.x, p.y}; }
core::Point toCore(QPointF p) { return {p.x(), p.y()}; }

QPointF snapped(QPointF p) {
    const double g = GraphScene::gridSize;
    return {std::round(p.x() / g) * g, std::round(p.y() / g) * g};
}

QString quoted(const std::string& s) { return "'" + QString::fromStdString(s) + "'"; }

}  // namespace

GraphScene::GraphScene(GraphModel* model, QObject* parent) : QGraphicsScene(parent), model_(model) {
    QObject::connect(model, &GraphModel::modelReset, this, &GraphScene::rebuild);
    QObject::connect(model, &GraphModel::objectAdded, this, &GraphScene::onAdded);
    QObject::connect(model, &GraphModel::objectRemoved, this, &GraphScene::onRemoved);
    QObject::connect(model, &GraphModel::objectChanged, this, &GraphScene::onChanged);
    QObject::connect(model, &GraphModel::objectMoved, this, &GraphScene::onMoved);
    rebuild();
}

GraphScene::~GraphScene() {
    // Items call back into the scene while they go (position changes): let them go first.
    rebuilding_ = true;
    clear();
}

ObjectItem* GraphScene::objectItem(const std::string& id) const {
    const auto it = objects_.find(id);
    return it == objects_.end() ? nullptr : it->second;
}

EdgeItem* GraphScene::edgeItem(const std::string& id) const {
    const auto it = edges_.find(id);
    return it == edges_.end() ? nullptr : it->second;
}

std::vector<ObjectItem*> GraphScene::objectItems() const {
    std::vector<ObjectItem*> items;
    for (const auto& [id, item] : objects_) items.push_back(item);
    return items;
}

std::vector<EdgeItem*> GraphScene::edgeItems() const {
    std::vector<EdgeItem*> items;
    for (const auto& [id, item] : edges_) items.push_back(item);
    return items;
}

std::vector<std::string> GraphScene::selectedIds() const {
    std::vector<std::string> ids;
    for (QGraphicsItem* item : selectedItems()) {
        if (auto* o = qgraphicsitem_cast<ObjectItem*>(item)) ids.push_back(o->id());
        if (auto* c = qgraphicsitem_cast<ConnectionItem*>(item)) ids.push_back(c->id());
    }
    return ids;
}

void GraphScene::selectOnly(const std::vector<std::string>& ids) {
    clearSelection();
    for (const std::string& id : ids) {
        if (ObjectItem* o = objectItem(id); o && o->isVisible()) o->setSelected(true);
        if (auto* c = qgraphicsitem_cast<ConnectionItem*>(edgeItem(id)); c && c->isVisible()) c->setSelected(true);
    }
}

QRectF GraphScene::contentsRect() const {
    QRectF bounds;
    for (const auto& [id, item] : objects_)
        if (item->isVisible()) bounds |= item->sceneBoundingRect();
    for (const auto& [id, item] : edges_)
        if (item->isVisible()) bounds |= item->sceneBoundingRect();
    return bounds;
}

// ---------------------------------------------------------------------------
// Following the model

void GraphScene::rebuild() {
    rebuilding_ = true;
    connecting_.reset();
    dragged_.clear();
    clear();
    objects_.clear();
    edges_.clear();
    ends_.clear();
    attached_.clear();
    parents_.clear();
    children_.clear();
    const core::Project& project = model_->project();
    fallback_ = placeUnpositioned(project.network, project.layout.positions);
    buildNetwork(project.network, "");
    rebuilding_ = false;
    std::vector<std::string> all = subtreeOf("");
    for (auto it = all.rbegin(); it != all.rend(); ++it)  // inner frames first
        if (objectItem(*it) && objectItem(*it)->kind() == ObjectKind::Network) updateFrame(*it);
    for (const auto& [id, edge] : edges_) updateEdge(id);
    applyProblems();
    emit contentsChanged();
}

void GraphScene::buildNetwork(const core::Network& net, const std::string& parentId) {
    for (const auto& n : net.nodes) createObjectItem(n.id, lookOf(*model_, n), parentId);
    for (const auto& e : net.ensembles) createObjectItem(e.id, lookOf(*model_, e), parentId);
    for (const auto& s : net.subnetworks) {
        core::Network shallow;  // lookOf reads the contents from the model
        shallow.id = s.id;
        shallow.label = s.label;
        createObjectItem(s.id, lookOf(*model_, shallow), parentId);
        buildNetwork(s, s.id);
    }
    for (const auto& c : net.connections) createConnectionItem(c, parentId);
    for (const auto& p : net.probes) createProbeItems(p, parentId);
}

void GraphScene::createObjectItem(const std::string& id, ObjectLook look, const std::string& parentId) {
    auto* item = new ObjectItem(id, std::move(look), this);
    objects_[id] = item;
    parents_[id] = parentId;
    children_[parentId].insert(id);
    addItem(item);
    following_ = true;
    item->setPos(displayPosition(id));
    following_ = false;
    item->setVisible(!isHidden(id));
}

void GraphScene::createConnectionItem(const core::Connection& connection, const std::string& parentId) {
    auto* item = new ConnectionItem(connection.id, connection);
    edges_[connection.id] = item;
    parents_[connection.id] = parentId;
    children_[parentId].insert(connection.id);
    addItem(item);
    setEnds(connection.id, Ends{connection.pre, connection.post});
}

void GraphScene::createProbeItems(const core::Probe& probe, const std::string& parentId) {
    createObjectItem(probe.id, lookOf(*model_, probe), parentId);
    auto* link = new ProbeLinkItem(probe.id);
    edges_[probe.id] = link;
    addItem(link);
    setEnds(probe.id, Ends{probe.target, std::nullopt});
}

// Records what an edge joins, so that moving either end finds it.
void GraphScene::setEnds(const std::string& edgeId, std::optional<Ends> ends) {
    if (const auto old = ends_.find(edgeId); old != ends_.end()) {
        attached_[old->second.from.id].erase(edgeId);
        attached_[old->second.to ? old->second.to->id : edgeId].erase(edgeId);
        ends_.erase(old);
    }
    if (!ends) return;
    attached_[ends->from.id].insert(edgeId);
    attached_[ends->to ? ends->to->id : edgeId].insert(edgeId);
    ends_[edgeId] = *ends;
}

void GraphScene::onAdded(const QString& qid) {
    const std::string id = qid.toStdString();
    const auto object = model_->object(id);
    if (!object) return;
    const std::string parent = model_->parentOf(id).value_or("");
    switch (kindOf(*object)) {
        case ObjectKind::Connection: createConnectionItem(std::get<core::Connection>(*object), parent); break;
        case ObjectKind::Probe: createProbeItems(std::get<core::Probe>(*object), parent); break;
        default: createObjectItem(id, lookOf(*model_, *object), parent);
    }
    updateEdge(id);
    updateEdgesOf(id);
    if (kindOf(*object) == ObjectKind::Network) updateFrame(id);
    updateFramesAbove(id);
    refreshNetworkLooks(parent);
    if (!problems_.empty()) applyProblems();
    emit contentsChanged();
}

void GraphScene::onRemoved(const QString& qid) {
    const std::string id = qid.toStdString();
    const std::string parent = parentOf(id);
    removeEdgeItem(id);
    removeObjectItem(id);
    children_[parent].erase(id);
    children_.erase(id);
    parents_.erase(id);
    dragged_.erase(id);
    updateEdgesOf(id);  // what attached to it disappears until it comes back
    updateFrame(parent);
    updateFramesAbove(parent);
    refreshNetworkLooks(parent);
    emit contentsChanged();
}

void GraphScene::removeObjectItem(const std::string& id) {
    const auto it = objects_.find(id);
    if (it == objects_.end()) return;
    if (connecting_ && connecting_->hovered == it->second) connecting_->hovered = nullptr;
    delete it->second;
    objects_.erase(it);
}

void GraphScene::removeEdgeItem(const std::string& id) {
    const auto it = edges_.find(id);
    if (it == edges_.end()) return;
    setEnds(id, std::nullopt);
    delete it->second;
    edges_.erase(it);
}

void GraphScene::onChanged(const QString& qid) {
    const std::string id = qid.toStdString();
    const auto object = model_->object(id);
    if (!object) return;
    if (ObjectItem* item = objectItem(id)) item->setLook(lookOf(*model_, *object));
    if (const auto* c = std::get_if<core::Connection>(&*object)) {
        if (auto* item = qgraphicsitem_cast<ConnectionItem*>(edgeItem(id))) item->describe(*c);
        setEnds(id, Ends{c->pre, c->post});
        updateEdge(id);
    } else if (const auto* p = std::get_if<core::Probe>(&*object)) {
        setEnds(id, Ends{p->target, std::nullopt});
        updateEdge(id);
    } else if (kindOf(*object) == ObjectKind::Network) {
        updateSubtree(id);  // the collapsed flag may have changed
    } else {
        // Sizes may have changed: ports move, probes show other dimensions.
        for (const std::string& edge : attached_[id])
            if (ObjectItem* probe = objectItem(edge))
                if (const auto o = model_->object(edge)) probe->setLook(lookOf(*model_, *o));
        updateEdgesOf(id);
    }
    if (!problems_.empty()) applyProblems();
}

void GraphScene::onMoved(const QString& qid) {
    const std::string id = qid.toStdString();
    ObjectItem* item = objectItem(id);
    if (!item) return;
    following_ = true;
    item->setPos(displayPosition(id));
    following_ = false;
    emit contentsChanged();
}

void GraphScene::refreshNetworkLooks(const std::string& networkId) {
    for (std::string n = networkId; !n.empty(); n = parentOf(n))
        if (ObjectItem* item = objectItem(n))
            if (const auto o = model_->object(n)) item->setLook(lookOf(*model_, *o));
}

// ---------------------------------------------------------------------------
// Geometry

QPointF GraphScene::displayPosition(const std::string& id) {
    if (const auto p = model_->position(id)) return toQt(*p);
    auto it = fallback_.find(id);
    if (it == fallback_.end()) {
        const core::Project& project = model_->project();
        for (const auto& [other, p] : placeUnpositioned(project.network, project.layout.positions))
            fallback_.try_emplace(other, p);
        it = fallback_.find(id);
    }
    return it == fallback_.end() ? QPointF() : toQt(it->second);
}

std::string GraphScene::parentOf(const std::string& id) const {
    const auto it = parents_.find(id);
    return it == parents_.end() ? std::string() : it->second;
}

bool GraphScene::isCollapsed(const std::string& networkId) const {
    return model_->project().layout.collapsed.count(networkId) > 0;
}

bool GraphScene::isHidden(const std::string& id) const {
    for (std::string p = parentOf(id); !p.empty(); p = parentOf(p))
        if (isCollapsed(p)) return true;
    return false;
}

// The item that shows `id`: its own, or that of the outermost collapsed
// subnetwork around it.
ObjectItem* GraphScene::representative(const std::string& id) const {
    ObjectItem* shown = objectItem(id);
    if (!shown) return nullptr;
    for (std::string p = parentOf(id); !p.empty(); p = parentOf(p))
        if (isCollapsed(p))
            if (ObjectItem* box = objectItem(p)) shown = box;
    return shown;
}

std::optional<GraphScene::Anchor> GraphScene::anchor(const core::Endpoint& e, PortSide side) const {
    if (e.kind == K::Connection || e.kind == K::LearningRule) {
        const EdgeItem* edge = edgeItem(e.id);
        if (!edge || !edge->isVisible()) return std::nullopt;
        return Anchor{edge->midpoint(), edge};
    }
    const ObjectItem* shown = representative(e.id);
    if (!shown) return std::nullopt;
    if (shown->id() != e.id) return Anchor{shown->borderPoint(side), shown};
    return Anchor{shown->attachPoint(e.kind, side), shown};
}

void GraphScene::updateEdge(const std::string& edgeId, int depth) {
    EdgeItem* edge = edgeItem(edgeId);
    const auto ends = ends_.find(edgeId);
    if (rebuilding_ || !edge || ends == ends_.end()) return;
    const Ends& e = ends->second;
    const auto from = anchor(e.from, PortSide::Out);
    const auto to = anchor(e.to.value_or(core::Endpoint{edgeId, K::Node}), PortSide::In);
    const bool selfLoop = e.to && e.to->id == e.from.id;
    // Both ends inside one collapsed subnetwork: nothing to draw.
    const bool show = from && to && (from->owner != to->owner || (selfLoop && representative(e.from.id) == objectItem(e.from.id)));
    edge->setVisible(show);
    if (show) {
        const auto* fromBox = qgraphicsitem_cast<const ObjectItem*>(from->owner);
        const auto* toBox = qgraphicsitem_cast<const ObjectItem*>(to->owner);
        auto top = [](const ObjectItem* box) { return box->mapRectToScene(box->boxRect()).top(); };
        std::optional<qreal> loopTop, shelf;
        if (fromBox && from->owner == to->owner) loopTop = top(fromBox) - 30;
        if (fromBox && toBox) shelf = std::min(top(fromBox), top(toBox));
        edge->setEnds(from->point, to->point, loopTop, shelf);
    }
    // Then what attaches to it: probes on it, error connections into its rule.
    if (const auto it = attached_.find(edgeId); it != attached_.end() && depth < 4)
        for (const std::string& other : std::set<std::string>(it->second))
            if (other != edgeId) updateEdge(other, depth + 1);
}

// The edges ending at `id` (a probe's own link among them).
void GraphScene::updateEdgesOf(const std::string& id) {
    const auto it = attached_.find(id);
    if (rebuilding_ || it == attached_.end()) return;
    for (const std::string& edge : std::set<std::string>(it->second)) updateEdge(edge);
}

void GraphScene::updateFrame(const std::string& networkId) {
    ObjectItem* item = objectItem(networkId);
    if (rebuilding_ || !item || item->kind() != ObjectKind::Network) return;
    if (isCollapsed(networkId)) {
        item->setFrame(std::nullopt);
        return;
    }
    QRectF bounds;
    for (const std::string& child : children_[networkId])
        if (ObjectItem* c = objectItem(child)) bounds |= c->mapRectToScene(c->boxRect());
    if (bounds.isNull()) bounds = QRectF(item->pos() - QPointF(100, 40), QSizeF(200, 80));
    const double pad = BoxSizes::framePadding;
    item->setFrame(bounds.adjusted(-pad, -pad - BoxSizes::frameHeader, pad, pad));
}

void GraphScene::updateFramesAbove(const std::string& id) {
    for (std::string p = parentOf(id); !p.empty(); p = parentOf(p)) updateFrame(p);
}

std::vector<std::string> GraphScene::subtreeOf(const std::string& networkId) const {
    std::vector<std::string> ids;
    const auto it = children_.find(networkId);
    if (it == children_.end()) return ids;
    for (const std::string& child : it->second) {
        ids.push_back(child);
        for (std::string& d : subtreeOf(child)) ids.push_back(std::move(d));
    }
    return ids;
}

// After a subnetwork collapsed or expanded: what shows, frames, and where edges attach.
void GraphScene::updateSubtree(const std::string& networkId) {
    const std::vector<std::string> inside = subtreeOf(networkId);
    for (const std::string& id : inside)
        if (ObjectItem* item = objectItem(id)) item->setVisible(!isHidden(id));
    for (auto it = inside.rbegin(); it != inside.rend(); ++it) updateFrame(*it);
    updateFrame(networkId);
    updateFramesAbove(networkId);
    updateEdgesOf(networkId);
    for (const std::string& id : inside) updateEdgesOf(id);
    emit contentsChanged();
}

// The innermost network holding both a and b (network ids, "" = top).
std::string GraphScene::commonNetwork(const std::string& a, const std::string& b) const {
    std::set<std::string> chain{""};
    for (std::string n = a; !n.empty(); n = parentOf(n)) chain.insert(n);
    for (std::string n = b; !n.empty(); n = parentOf(n))
        if (chain.count(n)) return n;
    return "";
}

// Where a problem of `id` shows: on its own item, or on the collapsed subnetwork hiding it.
std::string GraphScene::shownFor(const std::string& id) const {
    std::string shown = id;
    for (std::string p = parentOf(id); !p.empty(); p = parentOf(p))
        if (isCollapsed(p)) shown = p;
    return shown;
}

void GraphScene::setProblems(const std::map<std::string, std::string>& idToReason) {
    problems_ = idToReason;
    applyProblems();
}

void GraphScene::applyProblems() {
    std::map<std::string, QStringList> reasons;
    for (const auto& [id, reason] : problems_) {
        const std::string shown = shownFor(id);
        QString text = QString::fromStdString(reason);
        if (shown != id) {
            const auto o = model_->object(id);
            text = QString::fromStdString(o ? displayName(*o) : id) + ": " + text;
        }
        reasons[shown] << text;
    }
    auto reasonFor = [&](const std::string& id) {
        const auto it = reasons.find(id);
        return it == reasons.end() ? QString() : it->second.join("\n");
    };
    for (const auto& [id, item] : objects_) item->setProblem(reasonFor(id));
    for (const auto& [id, item] : edges_) item->setProblem(reasonFor(id));
}

QPointF GraphScene::allowedPosition(QPointF proposed) const {
    return following_ || carrying_ || !snapToGrid_ ? proposed : snapped(proposed);
}

void GraphScene::objectItemMoved(const std::string& id, QPointF delta) {
    if (rebuilding_) return;
    updateEdgesOf(id);
    if (following_ || carrying_) {
        if (!carrying_) updateFramesAbove(id);
        return;
    }
    dragged_.insert(id);
    ObjectItem* item = objectItem(id);
    if (item && item->kind() == ObjectKind::Network) {
        // A subnetwork takes its contents along; selected ones the scene moves itself.
        const std::vector<std::string> inside = subtreeOf(id);
        carrying_ = true;
        for (const std::string& d : inside) {
            ObjectItem* child = objectItem(d);
            if (!child || child->isSelected()) continue;
            child->setPos(child->pos() + delta);
            dragged_.insert(d);
        }
        carrying_ = false;
        for (auto it = inside.rbegin(); it != inside.rend(); ++it) updateFrame(*it);
        updateFrame(id);
    }
    updateFramesAbove(id);
}

// ---------------------------------------------------------------------------
// Edits

void GraphScene::push(QUndoCommand* command) { model_->undoStack()->push(command); }

std::optional<core::Endpoint> GraphScene::probeTargetOf(const std::string& id) const {
    switch (model_->kind(id).value_or(ObjectKind::Network)) {
        case ObjectKind::Node: return core::Endpoint{id, K::Node};
        case ObjectKind::Ensemble: return core::Endpoint{id, K::Ensemble};
        case ObjectKind::Connection: return core::Endpoint{id, K::Connection};
        default: return std::nullopt;
    }
}

bool GraphScene::addObject(PaletteEntry entry, QPointF scenePos) {
    if (entry == PaletteEntry::Probe) {
        const auto target = probeTargetAt(scenePos);
        if (!target) {
            emit statusMessage(tr("Drop a probe onto the node, ensemble or connection it should record"));
            return false;
        }
        return addProbe(*target);
    }
    const std::string parent = networkAt(scenePos);
    const QPointF at = snapToGrid_ ? snapped(scenePos) : scenePos;
    PlacedObject placed = makeDefault(entry, *model_, toCore(at), parent);
    const std::string id = idOf(placed.object);
    push(new AddObjectsCommand(model_, {std::move(placed)}, tr("Add %1").arg(infoOf(entry).name)));
    selectOnly({id});
    emit statusMessage(tr("Added %1").arg(quoted(id)));
    return true;
}

bool GraphScene::addProbeOfSelection() {
    const std::vector<std::string> ids = selectedIds();
    const auto target = ids.size() == 1 ? probeTargetOf(ids.front()) : std::nullopt;
    if (!target) {
        emit statusMessage(tr("Select one node, ensemble or connection to probe"));
        return false;
    }
    return addProbe(*target);
}

bool GraphScene::addProbe(const core::Endpoint& target) {
    QPointF at;
    if (const EdgeItem* edge = edgeItem(target.id); target.kind == K::Connection && edge) {
        at = edge->midpoint() + QPointF(0, 70);
    } else if (const ObjectItem* item = objectItem(target.id)) {
        const QRectF box = item->mapRectToScene(item->boxRect());
        const auto existing = attached_.find(target.id);
        int probes = 0;
        if (existing != attached_.end())
            for (const std::string& e : existing->second) probes += qgraphicsitem_cast<ProbeLinkItem*>(edgeItem(e)) ? 1 : 0;
        at = QPointF(box.right() + 60 + BoxSizes::probe.x / 2, box.center().y() + 60.0 * probes);
    } else {
        emit statusMessage(tr("There is no %1 to probe").arg(quoted(target.id)));
        return false;
    }
    PlacedObject probe = makeProbe(*model_, target, toCore(snapped(at)), parentOf(target.id));
    const std::string id = idOf(probe.object);
    push(new AddObjectsCommand(model_, {std::move(probe)}, tr("Probe %1").arg(QString::fromStdString(target.id))));
    selectOnly({id});
    emit statusMessage(tr("Added probe %1 of %2").arg(quoted(id), quoted(target.id)));
    return true;
}

bool GraphScene::addConnection(const core::Endpoint& pre, const core::Endpoint& post) {
    if (post.kind == K::Node) {
        const auto node = model_->object(post.id);
        if (const auto* n = node ? std::get_if<core::Node>(&*node) : nullptr; n && n->sizeIn == 0) {
            emit statusMessage(tr("%1 takes no input: its input size is 0").arg(QString::fromStdString(displayName(*node))));
            return false;
        }
    }
    const std::string parent = commonNetwork(parentOf(pre.id), parentOf(post.id));
    PlacedObject connection = makeConnection(*model_, pre, post, parent);
    const QString name = QString::fromStdString(idOf(connection.object));
    push(new AddObjectsCommand(model_, {std::move(connection)}, tr("Connect %1").arg(name)));
    const auto sent = model_->outputSize(pre), taken = model_->inputSize(post);
    if (sent && taken && *sent != *taken)
        emit statusMessage(tr("Connected %1: it sends %2 values where %3 are taken; set a transform or slices in the inspector")
                               .arg(name)
                               .arg(*sent)
                               .arg(*taken));
    else
        emit statusMessage(tr("Connected %1").arg(name));
    return true;
}

bool GraphScene::retargetProbe(const std::string& probeId, const core::Endpoint& target) {
    const auto object = model_->object(probeId);
    if (!object) return false;
    core::Probe probe = std::get<core::Probe>(*object);
    probe.target = target;
    probe.attribute = defaultProbeAttribute(target.kind);
    probe.slice.reset();  // the old slice may not fit the new target
    push(new ChangeObjectCommand(model_, probe, "target"));
    emit statusMessage(tr("%1 now records %2").arg(quoted(probeId), quoted(target.id)));
    return true;
}

void GraphScene::setCollapsed(const std::string& networkId, bool collapsed) {
    if (model_->kind(networkId) != ObjectKind::Network || isCollapsed(networkId) == collapsed) return;
    push(new SetCollapsedCommand(model_, networkId, collapsed));
}

void GraphScene::arrangeAll() {
    MoveObjectsCommand::Positions before, after;
    for (const auto& [id, p] : autoLayout(model_->project().network)) {
        const auto old = model_->position(id);
        if (old == p) continue;
        before[id] = old;
        after[id] = p;
    }
    if (after.empty()) return;
    auto* command = new MoveObjectsCommand(model_, before, after);
    command->setText(tr("Arrange"));
    push(command);
}

void GraphScene::copySelection() {
    const std::vector<std::string> ids = selectedIds();
    if (ids.empty()) {
        emit statusMessage(tr("Nothing selected to copy"));
        return;
    }
    clipboard_ = copyObjects(*model_, ids);
    pasteCount_ = 0;
    clipboardParent_ = parentOf(ids.front());
    for (const std::string& id : ids)
        if (parentOf(id) != clipboardParent_) clipboardParent_.clear();
    emit statusMessage(tr("Copied %n object(s)", nullptr, static_cast<int>(ids.size())));
}

void GraphScene::cutSelection() {
    const std::vector<std::string> ids = selectedIds();
    if (ids.empty()) return;
    copySelection();
    auto* command = new DeleteObjectsCommand(model_, ids);
    command->setText(tr("Cut %n object(s)", nullptr, static_cast<int>(ids.size())));
    push(command);
}

void GraphScene::paste() {
    if (clipboard_.empty()) {
        emit statusMessage(tr("Nothing to paste"));
        return;
    }
    ++pasteCount_;
    const double offset = 2 * gridSize * pasteCount_;
    const std::string parent = model_->network(clipboardParent_) ? clipboardParent_ : std::string();
    std::vector<PlacedObject> placed = pasteObjects(clipboard_, *model_, parent, {offset, offset});
    std::vector<std::string> ids;
    for (const PlacedObject& p : placed) ids.push_back(idOf(p.object));
    push(new AddObjectsCommand(model_, std::move(placed), tr("Paste %n object(s)", nullptr, static_cast<int>(ids.size()))));
    selectOnly(ids);
}

void GraphScene::deleteSelection() {
    const std::vector<std::string> ids = selectedIds();
    if (!ids.empty()) push(new DeleteObjectsCommand(model_, ids));
}

void GraphScene::selectAllObjects() {
    QPainterPath everything;
    everything.addRect(contentsRect().adjusted(-10, -10, 10, 10));
    setSelectionArea(everything, Qt::ReplaceSelection, Qt::IntersectsItemShape);
}

std::string GraphScene::networkAt(QPointF scenePos) const {
    std::string best;
    int bestDepth = -1;
    for (QGraphicsItem* item : items(scenePos, Qt::IntersectsItemBoundingRect)) {
        const auto* frame = qgraphicsitem_cast<ObjectItem*>(item);
        if (!frame || !frame->isFrame() || !frame->isVisible() ||
            !frame->mapRectToScene(frame->boxRect()).contains(scenePos))
            continue;
        int depth = 0;
        for (std::string p = parentOf(frame->id()); !p.empty(); p = parentOf(p)) ++depth;
        if (depth > bestDepth) {
            best = frame->id();
            bestDepth = depth;
        }
    }
    return best;
}

std::optional<core::Endpoint> GraphScene::probeTargetAt(QPointF scenePos) const {
    if (const ObjectItem* item = objectItemAt(scenePos)) {
        if (item->kind() == ObjectKind::Ensemble) {
            const Port* in = item->portAt(scenePos, PortSide::In);
            const Port* out = item->portAt(scenePos, PortSide::Out);
            const bool neurons = (in && in->face == K::Neurons) || (out && out->face == K::Neurons);
            return core::Endpoint{item->id(), neurons ? K::Neurons : K::Ensemble};
        }
        return item->kind() == ObjectKind::Node ? std::optional(core::Endpoint{item->id(), K::Node}) : std::nullopt;
    }
    if (const ConnectionItem* c = connectionItemAt(scenePos)) return core::Endpoint{c->id(), K::Connection};
    return std::nullopt;
}

// ---------------------------------------------------------------------------
// Interaction

ObjectItem* GraphScene::objectItemAt(QPointF scenePos) const {
    for (QGraphicsItem* item : items(scenePos))
        if (auto* o = qgraphicsitem_cast<ObjectItem*>(item); o && o->isVisible()) return o;
    return nullptr;
}

ConnectionItem* GraphScene::connectionItemAt(QPointF scenePos) const {
    for (QGraphicsItem* item : items(scenePos))
        if (auto* c = qgraphicsitem_cast<ConnectionItem*>(item); c && c->isVisible()) return c;
    return nullptr;
}

void GraphScene::mousePressEvent(QGraphicsSceneMouseEvent* event) {
    if (event->button() == Qt::LeftButton) {
        if (ObjectItem* item = objectItemAt(event->scenePos())) {
            if (item->isOnCollapseToggle(event->scenePos())) {
                setCollapsed(item->id(), !isCollapsed(item->id()));
                event->accept();
                return;
            }
            if (const Port* port = item->portAt(event->scenePos(), PortSide::Out)) {
                beginConnection(*item, *port);
                event->accept();
                return;
            }
        }
    }
    dragged_.clear();
    QGraphicsScene::mousePressEvent(event);
}

void GraphScene::mouseMoveEvent(QGraphicsSceneMouseEvent* event) {
    if (connecting_) {
        dragConnection(event->scenePos());
        event->accept();
        return;
    }
    QGraphicsScene::mouseMoveEvent(event);
}

void GraphScene::mouseReleaseEvent(QGraphicsSceneMouseEvent* event) {
    if (connecting_ && event->button() == Qt::LeftButton) {
        finishConnection(event->scenePos());
        event->accept();
        return;
    }
    QGraphicsScene::mouseReleaseEvent(event);
    commitMoves();
}

void GraphScene::mouseDoubleClickEvent(QGraphicsSceneMouseEvent* event) {
    if (ObjectItem* item = objectItemAt(event->scenePos()); item && item->kind() == ObjectKind::Network) {
        setCollapsed(item->id(), !isCollapsed(item->id()));
        event->accept();
        return;
    }
    QGraphicsScene::mouseDoubleClickEvent(event);
}

void GraphScene::contextMenuEvent(QGraphicsSceneContextMenuEvent* event) {
    QGraphicsItem* item = objectItemAt(event->scenePos());
    if (!item) item = connectionItemAt(event->scenePos());
    std::string id;
    if (auto* o = qgraphicsitem_cast<ObjectItem*>(item)) id = o->id();
    if (auto* c = qgraphicsitem_cast<ConnectionItem*>(item)) id = c->id();
    if (item && !item->isSelected()) {
        clearSelection();
        item->setSelected(true);
    }
    emit contextMenuRequested(id, event->screenPos());
    event->accept();
}

void GraphScene::dragEnterEvent(QGraphicsSceneDragDropEvent* event) {
    if (event->mimeData()->hasFormat(paletteMimeType))
        event->acceptProposedAction();
    else
        QGraphicsScene::dragEnterEvent(event);
}

void GraphScene::dragMoveEvent(QGraphicsSceneDragDropEvent* event) {
    if (event->mimeData()->hasFormat(paletteMimeType))
        event->acceptProposedAction();
    else
        QGraphicsScene::dragMoveEvent(event);
}

void GraphScene::dropEvent(QGraphicsSceneDragDropEvent* event) {
    const auto entry = paletteEntryFromKey(event->mimeData()->data(paletteMimeType).toStdString());
    if (!entry) {
        QGraphicsScene::dropEvent(event);
        return;
    }
    addObject(*entry, event->scenePos());
    event->acceptProposedAction();
}

void GraphScene::drawForeground(QPainter* painter, const QRectF& rect) {
    if (QStyleOptionGraphicsItem::levelOfDetailFromTransform(painter->worldTransform()) < EdgeItem::labelDetail) return;
    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);
    for (QGraphicsItem* item : items(rect, Qt::IntersectsItemBoundingRect, Qt::AscendingOrder))
        if (auto* edge = qgraphicsitem_cast<ConnectionItem*>(item); edge && edge->isVisible()) edge->paintLabel(painter);
    painter->restore();
}

void GraphScene::beginConnection(const ObjectItem& item, const Port& port) {
    auto* line = new QGraphicsPathItem;
    line->setPen(QPen(QColor(45, 127, 249), 2, Qt::DashLine, Qt::RoundCap));
    line->setZValue(1000);
    addItem(line);
    connecting_ = ConnectionDrag{{item.id(), port.face}, item.mapToScene(port.pos), line};
    dragConnection(connecting_->start);
}

void GraphScene::dragConnection(QPointF scenePos) {
    ObjectItem* target = objectItemAt(scenePos);
    const Port* port = nullptr;
    if (target && target->kind() != ObjectKind::Network && target->kind() != ObjectKind::Probe) {
        port = target->portAt(scenePos, PortSide::In);
        if (!port && target->id() != connecting_->from.id) port = target->nearestPort(scenePos, PortSide::In);
    }
    if (connecting_->hovered && connecting_->hovered != target) connecting_->hovered->setHighlightedPort(nullptr);
    connecting_->hovered = target;
    if (target) target->setHighlightedPort(port);
    const QPointF start = connecting_->start, end = port ? target->mapToScene(port->pos) : scenePos;
    const qreal dx = std::max(40.0, std::abs(end.x() - start.x()) * 0.5);
    QPainterPath path(start);
    path.cubicTo(start + QPointF(dx, 0), end - QPointF(dx, 0), end);
    connecting_->line->setPath(path);
}

void GraphScene::finishConnection(QPointF scenePos) {
    const ConnectionDrag drag = *connecting_;
    connecting_.reset();
    delete drag.line;
    if (drag.hovered) drag.hovered->setHighlightedPort(nullptr);
    if (QLineF(drag.start, scenePos).length() < 4) return;  // a click on the port
    if (ObjectItem* target = objectItemAt(scenePos)) {
        if (target->kind() == ObjectKind::Probe) {
            retargetProbe(target->id(), drag.from);
            return;
        }
        if (target->kind() == ObjectKind::Network) {
            emit statusMessage(tr("A subnetwork has no ports: expand it and connect to an object inside"));
            return;
        }
        const Port* port = target->portAt(scenePos, PortSide::In);
        // Dropping anywhere on another box picks its nearest input; on the own box only the port itself counts.
        if (!port && target->id() != drag.from.id) port = target->nearestPort(scenePos, PortSide::In);
        if (port)
            addConnection(drag.from, {target->id(), port->face});
        else if (target->id() != drag.from.id)
            emit statusMessage(tr("%1 takes no input: its input size is 0").arg(target->look().title));
        return;
    }
    if (ConnectionItem* c = connectionItemAt(scenePos); c && c->isNearRule(scenePos)) {
        addConnection(drag.from, {c->id(), K::LearningRule});
        return;
    }
    emit statusMessage(tr("Release on an input port (left side of a box) to connect"));
}

void GraphScene::commitMoves() {
    MoveObjectsCommand::Positions before, after;
    for (const std::string& id : dragged_) {
        const ObjectItem* item = objectItem(id);
        if (!item) continue;
        const core::Point now = toCore(item->pos());
        const auto old = model_->position(id);
        if (old ? *old == now : toCore(displayPosition(id)) == now) continue;
        before[id] = old;
        after[id] = now;
    }
    dragged_.clear();
    if (after.empty()) return;
    push(new MoveObjectsCommand(model_, before, after));
    emit contentsChanged();
}

}  // namespace ui
