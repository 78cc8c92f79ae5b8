#pragma once
// The network canvas: items for the objects of a GraphModel, kept in step
// with the model's signals one object at a time, and the edits a user makes
// on it (drawing connections, moving, dropping palette objects, collapsing
// subnetworks, clipboard), each pushed as one command on the model's undo stack.
#include "clipboard.h"
#include "graph_items.h"
#include "object_factory.h"

#include <QGraphicsScene>

#include <map>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

class QGraphicsPathItem;
class QUndoCommand;

namespace ui {

class GraphScene : public QGraphicsScene, private ObjectItemHost {
    Q_OBJECT
public:
    static constexpr double gridSize = 20.0;

    explicit GraphScene(GraphModel* model, QObject* parent = nullptr);
    ~GraphScene() override;
    GraphModel* model() const { return model_; }

    ObjectItem* objectItem(const std::string& id) const;
    EdgeItem* edgeItem(const std::string& id) const;  // a connection's arrow or a probe's link
    std::vector<ObjectItem*> objectItems() const;
    std::vector<EdgeItem*> edgeItems() const;
    std::vector<std::string> selectedIds() const;  // objects and connections
    void selectOnly(const std::vector<std::string>& ids);

    // Marks the objects (and connections) named, with the reason as tooltip;
    // a collapsed subnetwork shows the problems of what it hides.
    void setProblems(const std::map<std::string, std::string>& idToReason);
    void setSnapToGrid(bool on) { snapToGrid_ = on; }
    bool snapToGrid() const { return snapToGrid_; }
    // The bounds of everything drawn (for fit and the minimap).
    QRectF contentsRect() const;

    // Edits. Each pushes one command, or says in statusMessage why not.
    bool addObject(PaletteEntry entry, QPointF scenePos);  // a probe records what is at scenePos
    bool addProbe(const core::Endpoint& target);            // placed beside its target
    bool addProbeOfSelection();                             // of the one selected node, ensemble or connection
    bool addConnection(const core::Endpoint& pre, const core::Endpoint& post);
    void setCollapsed(const std::string& networkId, bool collapsed);
    void arrangeAll();  // auto-layout of the whole network as one move
    void copySelection();
    void cutSelection();
    void paste();
    bool canPaste() const { return !clipboard_.empty(); }
    void deleteSelection();
    void selectAllObjects();

    // The innermost expanded subnetwork at scenePos ("" = the top network).
    std::string networkAt(QPointF scenePos) const;
    // What a probe dropped at scenePos records: a node, an ensemble (its
    // neurons near a neurons port) or a connection.
    std::optional<core::Endpoint> probeTargetAt(QPointF scenePos) const;

signals:
    void contextMenuRequested(const std::string& id, QPoint screenPos);
    void statusMessage(const QString& message);
    void contentsChanged();  // objects added, removed or moved

protected:
    void mousePressEvent(QGraphicsSceneMouseEvent* event) override;
    void mouseMoveEvent(QGraphicsSceneMouseEvent* event) override;
    void mouseReleaseEvent(QGraphicsSceneMouseEvent* event) override;
    void mouseDoubleClickEvent(QGraphicsSceneMouseEvent* event) override;
    void contextMenuEvent(QGraphicsSceneContextMenuEvent* event) override;
    void dragEnterEvent(QGraphicsSceneDragDropEvent* event) override;
    void dragMoveEvent(QGraphicsSceneDragDropEvent* event) override;
    void dropEvent(QGraphicsSceneDragDropEvent* event) override;
    void drawForeground(QPainter* painter, const QRectF& rect) override;

private:
    // What an edge joins: a connection's pre and post, or a probe's target
    // (`to` empty: the edge ends at the probe's own box).
    struct Ends {
        core::Endpoint from;
        std::optional<core::Endpoint> to;
    };
    struct Anchor {
        QPointF point;
        const QGraphicsItem* owner;
    };
    struct ConnectionDrag {
        core::Endpoint from;
        QPointF start;
        QGraphicsPathItem* line;
        ObjectItem* hovered = nullptr;
    };

    // ObjectItemHost
    QPointF allowedPosition(QPointF proposed) const override;
    void objectItemMoved(const std::string& id, QPointF delta) override;

    // Following the model.
    void rebuild();
    void buildNetwork(const core::Network& net, const std::string& parentId);
    void onAdded(const QString& id);
    void onRemoved(const QString& id);
    void onChanged(const QString& id);
    void onMoved(const QString& id);
    void createObjectItem(const std::string& id, ObjectLook look, const std::string& parentId);
    void createConnectionItem(const core::Connection& connection, const std::string& parentId);
    void createProbeItems(const core::Probe& probe, const std::string& parentId);
    void setEnds(const std::string& edgeId, std::optional<Ends> ends);
    void removeObjectItem(const std::string& id);
    void removeEdgeItem(const std::string& id);

    // Geometry.
    QPointF displayPosition(const std::string& id);
    bool isCollapsed(const std::string& networkId) const;
    bool isHidden(const std::string& id) const;  // inside a collapsed subnetwork
    ObjectItem* representative(const std::string& id) const;
    std::optional<Anchor> anchor(const core::Endpoint& endpoint, PortSide side) const;
    void updateEdge(const std::string& edgeId, int depth = 0);
    void updateEdgesOf(const std::string& id);
    void updateFrame(const std::string& networkId);
    void updateFramesAbove(const std::string& id);
    void updateSubtree(const std::string& networkId);
    std::vector<std::string> subtreeOf(const std::string& networkId) const;
    std::string parentOf(const std::string& id) const;
    std::string commonNetwork(const std::string& a, const std::string& b) const;
    std::string shownFor(const std::string& id) const;
    void applyProblems();
    void refreshNetworkLooks(const std::string& networkId);

    // Interaction.
    ObjectItem* objectItemAt(QPointF scenePos) const;
    ConnectionItem* connectionItemAt(QPointF scenePos) const;
    void beginConnection(const ObjectItem& item, const Port& port);
    void dragConnection(QPointF scenePos);
    void finishConnection(QPointF scenePos);
    bool retargetProbe(const std::string& probeId, const core::Endpoint& target);
    std::optional<core::Endpoint> probeTargetOf(const std::string& id) const;
    void commitMoves();
    void push(QUndoCommand* command);

    GraphModel* model_;
    std::unordered_map<std::string, ObjectItem*> objects_;
    std::unordered_map<std::string, EdgeItem*> edges_;
    std::unordered_map<std::string, Ends> ends_;
    std::unordered_map<std::string, std::set<std::string>> attached_;  // object or connection id -> edge ids
    std::unordered_map<std::string, std::string> parents_;             // every object -> its network ("" top)
    std::unordered_map<std::string, std::set<std::string>> children_;  // network -> objects directly in it
    std::map<std::string, core::Point> fallback_;                      // where objects without a position show
    std::map<std::string, std::string> problems_;
    CopiedObjects clipboard_;
    std::string clipboardParent_;
    int pasteCount_ = 0;
    std::optional<ConnectionDrag> connecting_;
    std::set<std::string> dragged_;  // moved by the user since the button went down
    bool snapToGrid_ = true;
    bool following_ = false;    // positions come from the model: no snapping, not a user move
    bool carrying_ = false;     // a subnetwork drag moving its contents
    bool rebuilding_ = false;   // a full rebuild: edges and frames are done once at its end
};

}  // namespace ui
