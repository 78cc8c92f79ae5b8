#pragma once
// The canvas items: a box per node, ensemble, probe and subnetwork (an
// expanded subnetwork is a frame around its children), a curved arrow per
// connection and a dashed link from each probe to what it records. Items hold
// only what they draw; the scene fills them from the model.
#include "graph_model.h"

#include <QGraphicsItem>
#include <QPainterPath>
#include <QPixmap>
#include <QStaticText>

#include <optional>
#include <string>
#include <vector>

namespace ui {

enum class PortSide { In, Out };

// A place on a box where connections start (Out, right edge) or end (In, left edge).
struct Port {
    PortSide side;
    core::EndpointKind face;  // Node, Ensemble (the decoded vector) or Neurons
    QPointF pos;              // item coordinates
    QString label;            // its size: "2D", "100 neurons"
};

// What a box shows.
struct ObjectLook {
    ObjectKind kind = ObjectKind::Node;
    QString title, subtitle;
    QString icon;  // icon name, see kindIcon
    std::vector<Port> ports;
};

ObjectLook lookOf(const GraphModel& model, const ModelObject& object);
// "x0 * x1 · τ=5ms": the function or transform of a connection and its synapse.
QString connectionSummary(const core::Connection& connection);
QString synapseText(const core::OptionalSynapse& synapse);
QColor accentColor(ObjectKind kind);
// :/icons/<name>.svg as a pixmap of `size` px, or a drawn stand-in when the
// resource is missing.
QPixmap kindIcon(const QString& name, int size);

// What an object item tells the scene holding it.
class ObjectItemHost {
public:
    // Where a dragged item may go (grid snap).
    virtual QPointF allowedPosition(QPointF proposed) const = 0;
    virtual void objectItemMoved(const std::string& id, QPointF delta) = 0;

protected:
    ~ObjectItemHost() = default;
};

class ObjectItem : public QGraphicsItem {
public:
    enum { Type = UserType + 1 };
    static constexpr double portRadius = 5.0;

    ObjectItem(std::string id, ObjectLook look, ObjectItemHost* host);
    int type() const override { return Type; }
    const std::string& id() const { return id_; }
    ObjectKind kind() const { return look_.kind; }
    const ObjectLook& look() const { return look_; }
    void setLook(ObjectLook look);

    // Empty: no problem. Otherwise a red outline, a badge and the reason in the tooltip.
    void setProblem(const QString& reason);
    const QString& problem() const { return problem_; }
    // A small live trace at the bottom of the box, drawn in a rectangle of
    // sparklineSize() from (0, 0), e.g. sparklinePath(series, {{}, item->sparklineSize()}).
    // An empty path removes it.
    void setSparkline(const QPainterPath& trace);
    QSizeF sparklineSize() const;
    bool hasSparkline() const { return !sparkline_.isEmpty(); }

    // Subnetworks: the frame around the children, in scene coordinates, when
    // expanded; nullopt draws the collapsed box.
    void setFrame(std::optional<QRectF> sceneRect);
    bool isFrame() const { return frame_.has_value(); }
    // The box (or frame) without its ports, item coordinates.
    QRectF boxRect() const;

    // The port within reach of scenePos on that side, if any.
    const Port* portAt(QPointF scenePos, PortSide side) const;
    const Port* nearestPort(QPointF scenePos, PortSide side) const;
    // Where a connection to that face attaches; the middle of that edge when there is no such port.
    QPointF attachPoint(core::EndpointKind face, PortSide side) const;
    QPointF borderPoint(PortSide side) const;
    bool isOnCollapseToggle(QPointF scenePos) const;
    void setHighlightedPort(const Port* port);

    QRectF boundingRect() const override;
    QPainterPath shape() const override;
    void paint(QPainter* painter, const QStyleOptionGraphicsItem* option, QWidget* widget) override;

protected:
    QVariant itemChange(GraphicsItemChange change, const QVariant& value) override;
    void hoverMoveEvent(QGraphicsSceneHoverEvent* event) override;

private:
    void paintBox(QPainter* painter, bool detailed) const;
    void paintFrame(QPainter* painter, bool detailed) const;
    void paintHeader(QPainter* painter, const QRectF& header, const QString& extra) const;
    void paintPorts(QPainter* painter) const;
    void paintSparkline(QPainter* painter, const QRectF& area) const;
    void paintProblemBadge(QPainter* painter, QPointF at) const;
    QRectF toggleRect() const;
    void updateToolTip();

    std::string id_;
    ObjectLook look_;
    ObjectItemHost* host_;
    QString problem_;
    QPainterPath sparkline_;
    std::optional<QRectF> frame_;  // item coordinates
    const Port* highlighted_ = nullptr;
    QPointF lastPos_;
};

// How an edge is drawn.
struct EdgeStyle {
    QColor color;
    Qt::PenStyle pen = Qt::SolidLine;
    bool arrow = true;
    bool ruleDiamond = false;  // a learning rule: a diamond error connections end on
};

class EdgeItem : public QGraphicsItem {
public:
    EdgeItem(std::string id, EdgeStyle style);
    const std::string& id() const { return id_; }
    void setStyle(EdgeStyle style);
    const EdgeStyle& style() const { return style_; }
    // From an output (leaving rightwards) to an input (arriving from the
    // left). With loopTop the edge loops over the top of its box up to that
    // height (a recurrent connection). On a level edge, a label too long for
    // the gap between the ends floats above `shelf` (the top of the boxes at
    // the ends) with a leader down to the edge.
    void setEnds(QPointF from, QPointF to, std::optional<qreal> loopTop = std::nullopt,
                 std::optional<qreal> shelf = std::nullopt);
    QPointF from() const { return from_; }
    QPointF to() const { return to_; }
    QPointF midpoint() const { return mid_; }
    // The text drawn on the edge, and the fuller one its tooltip shows.
    void setLabel(const QString& label, const QString& description);
    QString label() const { return label_.text(); }
    void setProblem(const QString& reason);
    const QString& problem() const { return problem_; }

    QRectF boundingRect() const override;
    QPainterPath shape() const override;
    void paint(QPainter* painter, const QStyleOptionGraphicsItem* option, QWidget* widget) override;
    // The label is drawn by the scene above every box (GraphScene::drawForeground),
    // so that a label between two close boxes stays readable; not below this zoom.
    static constexpr qreal labelDetail = 0.55;
    void paintLabel(QPainter* painter) const;

private:
    void updateToolTip();
    QRectF labelRect() const;
    QColor currentColor() const;
    void drawVisiblePart(QPainter* painter, const QRectF& exposed) const;

    std::string id_;
    EdgeStyle style_;
    QPointF from_, to_, mid_, labelCentre_;
    std::optional<qreal> loopTop_, shelf_;
    bool labelOnShelf_ = false;
    QPainterPath path_;
    QPolygonF polyline_;  // path_ flattened, for drawing only the part in view
    QPolygonF arrowHead_;
    QStaticText label_;
    QString description_;
    QString problem_;
    QRectF bounds_;
    mutable QPainterPath shape_;  // computed on first hit test after a change
};

class ConnectionItem : public EdgeItem {
public:
    enum { Type = UserType + 2 };
    ConnectionItem(std::string id, const core::Connection& connection);
    int type() const override { return Type; }
    // Label and colour from the connection (neuron connections, learning
    // rules). A connection with every default (identity, Lowpass 5 ms) has no
    // label, which keeps large graphs readable.
    void describe(const core::Connection& connection);
    bool isNearRule(QPointF scenePos) const;
};

class ProbeLinkItem : public EdgeItem {
public:
    enum { Type = UserType + 3 };
    explicit ProbeLinkItem(std::string probeId);
    int type() const override { return Type; }
};

}  // namespace ui
