#include "graph_items.h"

#include "auto_layout.h"
#include "object_factory.h"

#include <QCursor>
#include <QFile>
#include <QFontMetricsF>
#include <QGraphicsSceneHoverEvent>
#include <QHash>
#include <QIcon>
#include <QPainter>
#include <QPainterPathStroker>
#include <QStyleOptionGraphicsItem>

#include <cmath>
#include <numbers>

namespace ui {

namespace {

constexpr qreal headerHeight = 24.0;
constexpr qreal sparklineHeight = 22.0;
constexpr qreal cornerRadius = 8.0;
const QColor selectionColor(45, 127, 249);
const QColor problemColor(217, 48, 37);
const QColor neuronsColor(181, 84, 143);
const QColor textColor(31, 36, 48);
const QColor subtleTextColor(96, 104, 118);

QFont titleFont() {
    QFont f;
    f.setPointSizeF(9.0);
    f.setBold(true);
    return f;
}

QFont smallFont(qreal points) {
    QFont f;
    f.setPointSizeF(points);
    return f;
}

QString num(double v) { return QString::number(v, 'g', 3); }

QString listText(const std::vector<double>& values) {
    QStringList parts;
    for (double v : values) parts << num(v);
    return values.size() == 1 ? parts.front() : "[" + parts.join(", ") + "]";
}

QString nodeSubtitle(const core::Node& node) {
    return std::visit(
        [](const auto& o) -> QString {
            using O = std::decay_t<decltype(o)>;
            if constexpr (std::is_same_v<O, core::ConstantOutput>)
                return o.value.size() <= 3 ? "constant " + listText(o.value)
                                           : QString("constant, %1 values").arg(o.value.size());
            else if constexpr (std::is_same_v<O, core::SineWave>)
                return QString("sin %1 Hz").arg(num(o.frequency));
            else if constexpr (std::is_same_v<O, core::SquareWave>)
                return QString("square %1 Hz").arg(num(o.frequency));
            else if constexpr (std::is_same_v<O, core::StepFunction>)
                return QString("step %1→%2 at %3 s").arg(num(o.before), num(o.after), num(o.time));
            else if constexpr (std::is_same_v<O, core::Piecewise>)
                return QString("piecewise, %1 pieces").arg(o.times.size());
            else if constexpr (std::is_same_v<O, core::WhiteNoise>)
                return QString("noise ≤%1 Hz, rms %2").arg(num(o.high), num(o.rms));
            else if constexpr (std::is_same_v<O, core::ExpressionOutput>) {
                QStringList e;
                for (const auto& x : o.expressions) e << QString::fromStdString(x);
                return e.join(", ");
            } else if constexpr (std::is_same_v<O, core::DataOutput>)
                return QString("data, %1 rows").arg(o.rows.rows);
            else
                return "passthrough (sum)";
        },
        node.output);
}

QString attributeText(const core::Probe& probe) {
    using A = core::ProbeAttribute;
    switch (probe.attribute) {
        case A::Output: return probe.target.kind == core::EndpointKind::Neurons ? "spikes" : "output";
        case A::DecodedOutput: return "decoded";
        case A::Input: return "input";
        case A::Voltage: return "voltage";
        case A::RefractoryTime: return "refractory time";
        case A::Weights: return "weights";
        case A::Error: return "error";
        case A::Activities: return "activities";
        case A::Delta: return "delta";
    }
    return {};
}

QString sliceText(const std::vector<int>& indices) {
    QStringList parts;
    for (int i : indices) parts << QString::number(i);
    return "[" + parts.join(",") + "]";
}

QString sizeText(std::optional<int> size) { return size ? QString("%1D").arg(*size) : QString(); }

int placeableCount(const core::Network& net) {
    int n = static_cast<int>(net.nodes.size() + net.ensembles.size() + net.probes.size() + net.subnetworks.size());
    for (const auto& s : net.subnetworks) n += placeableCount(s);
    return n;
}

core::Point nominalSize(ObjectKind kind) {
    switch (kind) {
        case ObjectKind::Ensemble: return BoxSizes::ensemble;
        case ObjectKind::Probe: return BoxSizes::probe;
        case ObjectKind::Network: return BoxSizes::subnetwork;
        default: return BoxSizes::node;
    }
}

std::vector<Port> portsOf(const ModelObject& object) {
    using K = core::EndpointKind;
    const core::Point size = nominalSize(kindOf(object));
    const qreal left = -size.x / 2, right = size.x / 2, top = -size.y / 2;
    std::vector<Port> ports;
    if (const auto* n = std::get_if<core::Node>(&object)) {
        const qreal row = top + 50;
        if (n->sizeIn > 0) ports.push_back({PortSide::In, K::Node, {left, row}, sizeText(n->sizeIn)});
        if (n->sizeOut > 0) ports.push_back({PortSide::Out, K::Node, {right, row}, sizeText(n->sizeOut)});
    } else if (const auto* e = std::get_if<core::Ensemble>(&object)) {
        const QString dims = sizeText(e->dimensions), neurons = QString("%1 neurons").arg(e->nNeurons);
        const qreal decodedRow = top + 52, neuronsRow = top + 70;
        ports.push_back({PortSide::In, K::Ensemble, {left, decodedRow}, dims});
        ports.push_back({PortSide::In, K::Neurons, {left, neuronsRow}, neurons});
        ports.push_back({PortSide::Out, K::Ensemble, {right, decodedRow}, dims});
        ports.push_back({PortSide::Out, K::Neurons, {right, neuronsRow}, neurons});
    } else if (std::holds_alternative<core::Probe>(object)) {
        ports.push_back({PortSide::In, K::Node, {left, 0.0}, {}});  // its size is in the subtitle
    }
    return ports;
}

QString subtitleOf(const GraphModel& model, const ModelObject& object) {
    switch (kindOf(object)) {
        case ObjectKind::Node: return nodeSubtitle(std::get<core::Node>(object));
        case ObjectKind::Ensemble: {
            const auto& e = std::get<core::Ensemble>(object);
            return QString("%1 %2 · %3D")
                .arg(e.nNeurons)
                .arg(QString::fromStdString(core::neuronTypeName(e.neuronType)))
                .arg(e.dimensions);
        }
        case ObjectKind::Probe: {
            const auto& p = std::get<core::Probe>(object);
            const auto size = p.slice ? std::optional(static_cast<int>(p.slice->size())) : model.outputSize(p.target);
            const QString what = size ? attributeText(p) + " " + sizeText(size) : attributeText(p);
            return p.synapse ? what + " · " + synapseText(p.synapse) : what;
        }
        case ObjectKind::Network: {
            const core::Network* net = model.network(idOf(object));
            const int count = net ? placeableCount(*net) : 0;
            return count == 1 ? QString("1 object") : QString("%1 objects").arg(count);
        }
        case ObjectKind::Connection: return connectionSummary(std::get<core::Connection>(object));
    }
    return {};
}

// A stand-in icon: the kind's colour with a white glyph, for when the
// resource icons are not there.
QPainterPath fallbackGlyph(const QString& name) {
    QPainterPath p;
    auto poly = [&](std::initializer_list<QPointF> pts) {
        auto it = pts.begin();
        p.moveTo(*it);
        for (++it; it != pts.end(); ++it) p.lineTo(*it);
    };
    if (name == "node-constant") poly({{0.2, 0.5}, {0.8, 0.5}});
    else if (name == "node-sine") {
        p.moveTo(0.2, 0.5);
        for (int i = 1; i <= 16; ++i) p.lineTo(0.2 + 0.6 * i / 16.0, 0.5 - 0.22 * std::sin(2 * std::numbers::pi * i / 16.0));
    } else if (name == "node-square") poly({{0.18, 0.66}, {0.18, 0.34}, {0.5, 0.34}, {0.5, 0.66}, {0.82, 0.66}, {0.82, 0.34}});
    else if (name == "node-step") poly({{0.2, 0.66}, {0.5, 0.66}, {0.5, 0.34}, {0.8, 0.34}});
    else if (name == "node-piecewise") poly({{0.2, 0.7}, {0.4, 0.7}, {0.4, 0.5}, {0.6, 0.5}, {0.6, 0.3}, {0.8, 0.3}});
    else if (name == "node-noise")
        poly({{0.18, 0.5}, {0.28, 0.34}, {0.38, 0.62}, {0.48, 0.3}, {0.58, 0.66}, {0.68, 0.4}, {0.82, 0.52}});
    else if (name == "node-expression") {
        p.moveTo(0.64, 0.24);
        p.quadTo(0.46, 0.18, 0.46, 0.4);
        p.lineTo(0.46, 0.8);
        poly({{0.34, 0.46}, {0.62, 0.46}});
    } else if (name == "node-data") {
        p.addRect(0.24, 0.28, 0.52, 0.44);
        poly({{0.24, 0.5}, {0.76, 0.5}});
        poly({{0.5, 0.28}, {0.5, 0.72}});
    } else if (name == "node-passthrough") {
        poly({{0.2, 0.5}, {0.78, 0.5}});
        poly({{0.6, 0.34}, {0.78, 0.5}, {0.6, 0.66}});
    } else if (name == "ensemble") {
        for (QPointF c : {QPointF(0.35, 0.38), QPointF(0.65, 0.38), QPointF(0.5, 0.66)}) p.addEllipse(c, 0.11, 0.11);
    } else if (name == "probe") {
        p.addEllipse(QPointF(0.44, 0.44), 0.2, 0.2);
        poly({{0.58, 0.58}, {0.8, 0.8}});
    } else {
        p.addRect(0.22, 0.22, 0.4, 0.4);
        p.addRect(0.38, 0.38, 0.4, 0.4);
    }
    return p;
}

QColor iconColor(const QString& name) {
    if (name.startsWith("node-")) return accentColor(ObjectKind::Node);
    if (name == "ensemble") return accentColor(ObjectKind::Ensemble);
    if (name == "probe") return accentColor(ObjectKind::Probe);
    return accentColor(ObjectKind::Network);
}

QPixmap drawnIcon(const QString& name, int size) {
    QPixmap pixmap(size, size);
    pixmap.fill(Qt::transparent);
    QPainter painter(&pixmap);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setPen(Qt::NoPen);
    painter.setBrush(iconColor(name));
    painter.drawRoundedRect(QRectF(0, 0, size, size), size * 0.22, size * 0.22);
    painter.scale(size, size);
    painter.setPen(QPen(Qt::white, 0.09, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin));
    painter.setBrush(Qt::NoBrush);
    painter.drawPath(fallbackGlyph(name));
    return pixmap;
}

QPainterPath roundedBox(const QRectF& r, qreal radius) {
    QPainterPath p;
    p.addRoundedRect(r, radius, radius);
    return p;
}

}  // namespace

QString synapseText(const core::OptionalSynapse& synapse) {
    if (!synapse) return "no synapse";
    return std::visit(
        [](const auto& s) {
            const QString tau = QString("τ=%1ms").arg(num(s.tau * 1000.0));
            return std::is_same_v<std::decay_t<decltype(s)>, core::AlphaSynapse> ? "α " + tau : tau;
        },
        *synapse);
}

QString connectionSummary(const core::Connection& c) {
    QStringList parts;
    if (c.preSlice) parts << sliceText(*c.preSlice) + "→";
    if (c.weights) {
        parts << QString("trained %1×%2").arg(c.weights->rows).arg(c.weights->cols);
    } else {
        if (const auto* f = c.function ? std::get_if<core::FunctionExpression>(&*c.function) : nullptr) {
            QStringList e;
            for (const auto& x : f->expressions) e << QString::fromStdString(x);
            parts << (e.size() == 1 ? e.front() : "[" + e.join(", ") + "]");
        } else if (c.function) {
            parts << "f(eval points)";
        }
        if (const auto* scale = std::get_if<double>(&c.transform); scale && *scale != 1.0)
            parts << "×" + num(*scale);
        else if (const auto* diag = std::get_if<std::vector<double>>(&c.transform))
            parts << (diag->size() <= 3 ? "diag " + listText(*diag) : QString("diag ×%1").arg(diag->size()));
        else if (const auto* m = std::get_if<core::Table>(&c.transform))
            parts << QString("%1×%2 matrix").arg(m->rows).arg(m->cols);
    }
    if (c.postSlice) parts << "→" + sliceText(*c.postSlice);
    if (c.learningRule) parts << "PES";
    parts << synapseText(c.synapse);
    return parts.join(" · ");
}

QColor accentColor(ObjectKind kind) {
    switch (kind) {
        case ObjectKind::Node: return {59, 125, 216};
        case ObjectKind::Ensemble: return {47, 158, 104};
        case ObjectKind::Probe: return {224, 137, 43};
        case ObjectKind::Network: return {138, 99, 210};
        case ObjectKind::Connection: return {88, 95, 110};
    }
    return Qt::gray;
}

QPixmap kindIcon(const QString& name, int size) {
    static QHash<QString, QPixmap> cache;
    const QString key = name + "@" + QString::number(size);
    if (const auto it = cache.constFind(key); it != cache.constEnd()) return *it;
    const QString resource = ":/icons/" + name + ".svg";
    const QPixmap pixmap = QFile::exists(resource) ? QIcon(resource).pixmap(size, size) : drawnIcon(name, size);
    cache.insert(key, pixmap);
    return pixmap;
}

ObjectLook lookOf(const GraphModel& model, const ModelObject& object) {
    const std::string& label = labelOf(object);
    const auto entry = paletteEntryOf(object);
    return {kindOf(object), QString::fromStdString(label.empty() ? idOf(object) : label), subtitleOf(model, object),
            entry ? QString(infoOf(*entry).icon) : QString(), portsOf(object)};
}

// ---------------------------------------------------------------------------
// ObjectItem

ObjectItem::ObjectItem(std::string id, ObjectLook look, ObjectItemHost* host)
    : id_(std::move(id)), look_(std::move(look)), host_(host) {
    setFlags(ItemIsSelectable | ItemIsMovable | ItemSendsGeometryChanges);
    setAcceptHoverEvents(true);
    // Boxes repaint from a pixmap while panning; frames change size with their children.
    setCacheMode(DeviceCoordinateCache);
    setZValue(10);
    updateToolTip();
}

void ObjectItem::setLook(ObjectLook look) {
    prepareGeometryChange();
    look_ = std::move(look);
    highlighted_ = nullptr;
    updateToolTip();
    update();
}

void ObjectItem::setProblem(const QString& reason) {
    if (reason == problem_) return;
    problem_ = reason;
    updateToolTip();
    update();
}

void ObjectItem::setSparkline(const QPainterPath& trace) {
    if (trace.isEmpty() != sparkline_.isEmpty()) prepareGeometryChange();
    sparkline_ = trace;
    update();
}

void ObjectItem::setFrame(std::optional<QRectF> sceneRect) {
    std::optional<QRectF> local;
    if (sceneRect) local = sceneRect->translated(-pos());
    if (local == frame_) return;
    prepareGeometryChange();
    frame_ = local;
    setCacheMode(frame_ ? NoCache : DeviceCoordinateCache);
    setZValue(frame_ ? -100 : 10);
    update();
}

QRectF ObjectItem::boxRect() const {
    if (frame_) return *frame_;
    const core::Point size = nominalSize(look_.kind);
    const qreal extra = sparkline_.isEmpty() ? 0.0 : sparklineHeight;
    return {-size.x / 2, -size.y / 2, size.x, size.y + extra};
}

QRectF ObjectItem::boundingRect() const { return boxRect().adjusted(-12, -12, 12, 12); }

QPainterPath ObjectItem::shape() const {
    const QRectF r = boxRect();
    QPainterPath p;
    if (frame_) {
        // Only the header and the border take clicks: inside, the children and the background do.
        p.setFillRule(Qt::OddEvenFill);
        p.addRect(r.adjusted(-3, -3, 3, 3));
        p.addRect(r.adjusted(8, headerHeight + 2, -8, -8));
        return p;
    }
    p.setFillRule(Qt::WindingFill);
    p.addRoundedRect(r, cornerRadius, cornerRadius);
    for (const Port& port : look_.ports) p.addEllipse(port.pos, portRadius + 4, portRadius + 4);
    return p;
}

const Port* ObjectItem::portAt(QPointF scenePos, PortSide side) const {
    const QPointF local = mapFromScene(scenePos);
    for (const Port& port : look_.ports)
        if (port.side == side && QLineF(local, port.pos).length() <= portRadius + 5) return &port;
    return nullptr;
}

const Port* ObjectItem::nearestPort(QPointF scenePos, PortSide side) const {
    const QPointF local = mapFromScene(scenePos);
    const Port* best = nullptr;
    for (const Port& port : look_.ports)
        if (port.side == side && (!best || QLineF(local, port.pos).length() < QLineF(local, best->pos).length()))
            best = &port;
    return best;
}

QPointF ObjectItem::attachPoint(core::EndpointKind face, PortSide side) const {
    for (const Port& port : look_.ports)
        if (port.side == side && port.face == face) return mapToScene(port.pos);
    return borderPoint(side);
}

QPointF ObjectItem::borderPoint(PortSide side) const {
    const QRectF r = boxRect();
    const qreal y = frame_ ? r.center().y() : 0.0;
    return mapToScene(QPointF(side == PortSide::In ? r.left() : r.right(), y));
}

QRectF ObjectItem::toggleRect() const {
    const QRectF r = boxRect();
    return {r.right() - 24, r.top() + 4, 16, 16};
}

bool ObjectItem::isOnCollapseToggle(QPointF scenePos) const {
    return look_.kind == ObjectKind::Network && toggleRect().adjusted(-3, -3, 3, 3).contains(mapFromScene(scenePos));
}

void ObjectItem::setHighlightedPort(const Port* port) {
    if (port == highlighted_) return;
    highlighted_ = port;
    update();
}

void ObjectItem::updateToolTip() {
    QString tip = "<b>" + look_.title.toHtmlEscaped() + "</b><br>" + look_.subtitle.toHtmlEscaped();
    if (!problem_.isEmpty()) tip += "<br><span style='color:#d93025'>⚠ " + problem_.toHtmlEscaped() + "</span>";
    setToolTip(tip);
}

QVariant ObjectItem::itemChange(GraphicsItemChange change, const QVariant& value) {
    if (change == ItemPositionChange && host_) return host_->allowedPosition(value.toPointF());
    if (change == ItemPositionHasChanged) {
        const QPointF now = value.toPointF(), delta = now - lastPos_;
        lastPos_ = now;
        if (host_) host_->objectItemMoved(id_, delta);
    }
    return QGraphicsItem::itemChange(change, value);
}

void ObjectItem::hoverMoveEvent(QGraphicsSceneHoverEvent* event) {
    const QPointF at = event->scenePos();
    if (portAt(at, PortSide::Out))
        setCursor(Qt::CrossCursor);
    else if (isOnCollapseToggle(at))
        setCursor(Qt::PointingHandCursor);
    else
        unsetCursor();
    QGraphicsItem::hoverMoveEvent(event);
}

void ObjectItem::paint(QPainter* painter, const QStyleOptionGraphicsItem* option, QWidget*) {
    const bool detailed = option->levelOfDetailFromTransform(painter->worldTransform()) >= 0.45;
    painter->setRenderHint(QPainter::Antialiasing);
    if (frame_)
        paintFrame(painter, detailed);
    else
        paintBox(painter, detailed);
}

void ObjectItem::paintBox(QPainter* painter, bool detailed) const {
    const QRectF r = boxRect();
    const QColor accent = accentColor(look_.kind);
    const bool selected = isSelected();
    if (!detailed) {
        painter->setPen(QPen(problem_.isEmpty() ? (selected ? selectionColor : accent) : problemColor, 2));
        painter->setBrush(accent.lighter(170));
        painter->drawRoundedRect(r, cornerRadius, cornerRadius);
        return;
    }
    if (look_.kind == ObjectKind::Network) {  // a stack of cards: there is more inside
        painter->setPen(QPen(accent.lighter(140), 1));
        painter->setBrush(QColor(250, 248, 255));
        painter->drawRoundedRect(r.translated(6, -6), cornerRadius, cornerRadius);
        painter->drawRoundedRect(r.translated(3, -3), cornerRadius, cornerRadius);
    }
    painter->setPen(Qt::NoPen);
    painter->setBrush(QColor(20, 30, 60, 30));
    painter->drawRoundedRect(r.translated(0, 2.5), cornerRadius, cornerRadius);
    painter->setBrush(Qt::white);
    painter->drawRoundedRect(r, cornerRadius, cornerRadius);

    const QRectF header(r.left(), r.top(), r.width(), headerHeight);
    QColor tint = accent;
    tint.setAlpha(38);
    painter->fillPath(roundedBox(r, cornerRadius).intersected(roundedBox(header, 0)), tint);
    painter->setPen(QPen(accent.lighter(130), 1));
    painter->drawLine(header.bottomLeft() + QPointF(1, 0), header.bottomRight() - QPointF(1, 0));
    paintHeader(painter, header, {});

    if (!look_.subtitle.isEmpty()) {
        painter->setFont(smallFont(7.5));
        painter->setPen(subtleTextColor);
        const QRectF line(r.left() + 9, header.bottom() + 2, r.width() - 18, 14);
        const QString text = QFontMetricsF(painter->font()).elidedText(look_.subtitle, Qt::ElideRight, line.width());
        painter->drawText(line, Qt::AlignLeft | Qt::AlignVCenter, text);
    }
    if (!sparkline_.isEmpty())
        paintSparkline(painter, QRectF(QPointF(r.left() + 10, r.bottom() - sparklineHeight + 1), sparklineSize()));

    const QColor border = !problem_.isEmpty() ? problemColor : selected ? selectionColor : QColor(190, 196, 208);
    painter->setBrush(Qt::NoBrush);
    if (selected) {
        painter->setPen(QPen(QColor(45, 127, 249, 70), 5));
        painter->drawRoundedRect(r.adjusted(-2, -2, 2, 2), cornerRadius + 2, cornerRadius + 2);
    }
    painter->setPen(QPen(border, problem_.isEmpty() && !selected ? 1.0 : 2.0));
    painter->drawRoundedRect(r, cornerRadius, cornerRadius);
    paintPorts(painter);
    if (!problem_.isEmpty()) paintProblemBadge(painter, r.topRight() + QPointF(-2, 2));
}

void ObjectItem::paintFrame(QPainter* painter, bool detailed) const {
    const QRectF r = boxRect();
    const QColor accent = accentColor(ObjectKind::Network);
    QColor fill = accent;
    fill.setAlpha(14);
    QColor edge = accent;
    edge.setAlpha(170);
    const bool selected = isSelected();
    painter->setBrush(fill);
    QPen pen(!problem_.isEmpty() ? problemColor : selected ? selectionColor : edge, selected || !problem_.isEmpty() ? 2 : 1.2);
    if (!selected) pen.setStyle(Qt::DashLine);
    painter->setPen(pen);
    painter->drawRoundedRect(r, cornerRadius + 2, cornerRadius + 2);
    const QRectF header(r.left(), r.top(), r.width(), headerHeight + 2);
    QColor tint = accent;
    tint.setAlpha(40);
    painter->fillPath(roundedBox(r, cornerRadius + 2).intersected(roundedBox(header, 0)), tint);
    if (detailed) paintHeader(painter, header, look_.subtitle);
    if (!problem_.isEmpty()) paintProblemBadge(painter, r.topRight() + QPointF(-2, 2));
}

void ObjectItem::paintHeader(QPainter* painter, const QRectF& header, const QString& extra) const {
    const qreal iconSize = 16;
    const QRectF icon(header.left() + 7, header.center().y() - iconSize / 2, iconSize, iconSize);
    painter->setRenderHint(QPainter::SmoothPixmapTransform);
    painter->drawPixmap(icon, kindIcon(look_.icon, 32), QRectF(0, 0, 32, 32));
    const bool hasToggle = look_.kind == ObjectKind::Network;
    QRectF text(icon.right() + 6, header.top(), header.right() - icon.right() - (hasToggle ? 36 : 12), header.height());
    painter->setFont(titleFont());
    painter->setPen(textColor);
    const QFontMetricsF metrics(painter->font());
    const QString title = metrics.elidedText(look_.title, Qt::ElideRight, text.width());
    painter->drawText(text, Qt::AlignLeft | Qt::AlignVCenter, title);
    if (!extra.isEmpty()) {
        text.setLeft(text.left() + metrics.horizontalAdvance(title) + 8);
        painter->setFont(smallFont(7.5));
        painter->setPen(subtleTextColor);
        painter->drawText(text, Qt::AlignLeft | Qt::AlignVCenter,
                          QFontMetricsF(painter->font()).elidedText(extra, Qt::ElideRight, text.width()));
    }
    if (hasToggle) {  // ▾ expanded, ▸ collapsed
        const QRectF t = toggleRect();
        QPolygonF arrow = frame_ ? QPolygonF({t.topLeft() + QPointF(3, 5), t.topRight() + QPointF(-3, 5), QPointF(t.center().x(), t.bottom() - 4)})
                                 : QPolygonF({t.topLeft() + QPointF(5, 3), t.bottomLeft() + QPointF(5, -3), QPointF(t.right() - 4, t.center().y())});
        painter->setPen(Qt::NoPen);
        painter->setBrush(accentColor(ObjectKind::Network).darker(120));
        painter->drawPolygon(arrow);
    }
}

void ObjectItem::paintPorts(QPainter* painter) const {
    painter->setFont(smallFont(7));
    const QFontMetricsF metrics(painter->font());
    for (const Port& port : look_.ports) {
        const bool neurons = port.face == core::EndpointKind::Neurons;
        const bool lit = &port == highlighted_;
        const qreal radius = lit ? portRadius + 2 : portRadius;
        painter->setPen(QPen(lit ? selectionColor : Qt::white, lit ? 2 : 1.5));
        painter->setBrush(neurons ? neuronsColor : accentColor(look_.kind));
        if (neurons)
            painter->drawPolygon(QPolygonF({port.pos + QPointF(0, -radius - 1), port.pos + QPointF(radius + 1, 0),
                                            port.pos + QPointF(0, radius + 1), port.pos + QPointF(-radius - 1, 0)}));
        else
            painter->drawEllipse(port.pos, radius, radius);
        if (port.label.isEmpty()) continue;
        painter->setPen(subtleTextColor);
        const qreal width = metrics.horizontalAdvance(port.label) + 2;
        const qreal x = port.side == PortSide::In ? port.pos.x() + 9 : port.pos.x() - 9 - width;
        painter->drawText(QRectF(x, port.pos.y() - 7, width, 14),
                          (port.side == PortSide::In ? Qt::AlignLeft : Qt::AlignRight) | Qt::AlignVCenter, port.label);
    }
}

QSizeF ObjectItem::sparklineSize() const {
    return {nominalSize(look_.kind).x - 20, sparklineHeight - 6};
}

void ObjectItem::paintSparkline(QPainter* painter, const QRectF& area) const {
    painter->fillRect(area, QColor(245, 247, 250));
    painter->setPen(QPen(accentColor(look_.kind).darker(110), 1.2));
    painter->setBrush(Qt::NoBrush);
    painter->drawPath(sparkline_.translated(area.topLeft()));
}

void ObjectItem::paintProblemBadge(QPainter* painter, QPointF at) const {
    painter->setPen(QPen(Qt::white, 1.5));
    painter->setBrush(problemColor);
    painter->drawEllipse(at, 8, 8);
    painter->setPen(QPen(Qt::white, 2, Qt::SolidLine, Qt::RoundCap));
    painter->drawLine(at + QPointF(0, -4), at + QPointF(0, 1));
    painter->drawPoint(at + QPointF(0, 4));
}

// ---------------------------------------------------------------------------
// Edges

EdgeItem::EdgeItem(std::string id, EdgeStyle style) : id_(std::move(id)), style_(std::move(style)) {
    setZValue(0);
    setFlag(ItemUsesExtendedStyleOption);  // paint gets the exposed part, see drawVisiblePart
    label_.setTextFormat(Qt::PlainText);
    label_.setPerformanceHint(QStaticText::AggressiveCaching);
}

void EdgeItem::setStyle(EdgeStyle style) {
    prepareGeometryChange();
    style_ = std::move(style);
    shape_ = {};
    setEnds(from_, to_, loopTop_, shelf_);
}

void EdgeItem::setEnds(QPointF from, QPointF to, std::optional<qreal> loopTop, std::optional<qreal> shelf) {
    prepareGeometryChange();
    shape_ = {};
    from_ = from;
    to_ = to;
    loopTop_ = loopTop;
    shelf_ = shelf;
    QPointF c2;
    QPainterPath path(from);
    const qreal inset = style_.arrow ? ObjectItem::portRadius + 1 : 0.0, arrowLength = style_.arrow ? 9.0 : 0.0;
    auto endFor = [&](QPointF control) {
        QPointF dir = to - control;
        const qreal len = std::hypot(dir.x(), dir.y());
        dir = len > 0 ? dir / len : QPointF(1, 0);
        const QPointF tip = to - dir * inset, base = tip - dir * arrowLength, normal(-dir.y(), dir.x());
        arrowHead_ = QPolygonF({tip, base + normal * 4.5, base - normal * 4.5});
        return base;
    };
    if (loopTop) {
        const QPointF peak((from.x() + to.x()) / 2, *loopTop);
        path.cubicTo(from + QPointF(60, 0), QPointF(from.x() + 60, peak.y()), peak);
        c2 = to - QPointF(60, 0);
        path.cubicTo(QPointF(to.x() - 60, peak.y()), c2, endFor(c2));
        mid_ = peak;
    } else if (to.x() < from.x() + 20) {
        // Backwards: out to the right, across between the two boxes (below
        // both when they share a row), in from the left.
        const qreal between = std::abs(to.y() - from.y()) < 100 ? std::max(from.y(), to.y()) + 90 : (from.y() + to.y()) / 2;
        const QPointF turn((from.x() + to.x()) / 2, between);
        path.cubicTo(from + QPointF(80, 0), QPointF(from.x() + 80, turn.y()), turn);
        c2 = to - QPointF(80, 0);
        path.cubicTo(QPointF(to.x() - 80, turn.y()), c2, endFor(c2));
        mid_ = turn;
    } else {
        const qreal dx = std::max(40.0, std::abs(to.x() - from.x()) * 0.5);
        c2 = to - QPointF(dx, 0);
        path.cubicTo(from + QPointF(dx, 0), c2, endFor(c2));
        mid_ = path.pointAtPercent(0.5);
    }
    if (!style_.arrow) arrowHead_.clear();
    path_ = path;
    polyline_ = path_.toSubpathPolygons().value(0);
    const QSizeF labelSize = label_.size() + QSizeF(10, 4);
    // Between boxes side by side, a long label would hide under them; a
    // slanting edge has room beside its middle.
    const qreal gap = QLineF(from, to).length() - 2 * (ObjectItem::portRadius + 6);
    const bool level = std::abs(to.y() - from.y()) < 24;
    labelOnShelf_ = !loopTop && shelf && level && labelSize.width() > gap;
    labelCentre_ = labelOnShelf_          ? QPointF(mid_.x(), *shelf - labelSize.height() / 2 - 6)
                   : style_.ruleDiamond ? mid_ - QPointF(0, 15)
                                        : mid_;
    bounds_ = path_.controlPointRect().united(arrowHead_.boundingRect()).adjusted(-4, -4, 4, 4);
    if (!label_.text().isEmpty()) bounds_ = bounds_.united(labelRect().adjusted(-2, -2, 2, 2));
    if (style_.ruleDiamond) bounds_ = bounds_.united(QRectF(mid_ - QPointF(9, 9), QSizeF(18, 18)));
    update();
}

void EdgeItem::setLabel(const QString& label, const QString& description) {
    description_ = description;
    updateToolTip();
    if (label == label_.text()) return;
    label_.setText(label);
    label_.prepare(QTransform(), smallFont(7));
    setEnds(from_, to_, loopTop_, shelf_);
}

void EdgeItem::setProblem(const QString& reason) {
    if (reason == problem_) return;
    problem_ = reason;
    updateToolTip();
    update();
}

void EdgeItem::updateToolTip() {
    QString tip = description_.toHtmlEscaped();
    if (!problem_.isEmpty()) tip += "<br><span style='color:#d93025'>⚠ " + problem_.toHtmlEscaped() + "</span>";
    setToolTip(tip);
}

QRectF EdgeItem::labelRect() const {
    const QSizeF size = label_.size() + QSizeF(10, 4);
    return {labelCentre_ - QPointF(size.width() / 2, size.height() / 2), size};
}

QRectF EdgeItem::boundingRect() const { return bounds_; }

QPainterPath EdgeItem::shape() const {
    if (shape_.isEmpty()) {
        QPainterPathStroker stroker;
        stroker.setWidth(10);
        shape_ = stroker.createStroke(path_);
        shape_.setFillRule(Qt::WindingFill);
        shape_.addPolygon(arrowHead_);
        if (!label_.text().isEmpty()) shape_.addRect(labelRect());
        if (style_.ruleDiamond) shape_.addRect(QRectF(mid_ - QPointF(9, 9), QSizeF(18, 18)));
    }
    return shape_;
}

void EdgeItem::paint(QPainter* painter, const QStyleOptionGraphicsItem* option, QWidget*) {
    const qreal lod = option->levelOfDetailFromTransform(painter->worldTransform());
    const bool selected = isSelected();
    const QColor color = currentColor();
    painter->setRenderHint(QPainter::Antialiasing, lod > 0.3);
    // A one-pixel cosmetic pen takes the raster engine's fast line path, five
    // times cheaper than a wider stroke: what keeps a view crossed by hundreds
    // of edges smooth. Selected and faulty edges, few, are drawn wider.
    const bool marked = selected || !problem_.isEmpty();
    QPen pen(color, marked ? 2.4 : 1.0, style_.pen, Qt::RoundCap);
    pen.setCosmetic(!marked);
    painter->setPen(pen);
    painter->setBrush(Qt::NoBrush);
    const QRectF exposed = option->exposedRect.adjusted(-4, -4, 4, 4);
    if (exposed.contains(bounds_))
        painter->drawPath(path_);
    else
        drawVisiblePart(painter, exposed);
    if (!arrowHead_.isEmpty()) {
        painter->setPen(Qt::NoPen);
        painter->setBrush(color);
        painter->drawPolygon(arrowHead_);
    }
    if (style_.ruleDiamond) {
        const qreal s = 7;
        painter->setPen(QPen(Qt::white, 1.5));
        painter->setBrush(accentColor(ObjectKind::Probe).darker(110));
        painter->drawPolygon(QPolygonF({mid_ + QPointF(0, -s), mid_ + QPointF(s, 0), mid_ + QPointF(0, s), mid_ + QPointF(-s, 0)}));
    }
    if (lod < labelDetail || !labelOnShelf_) return;
    painter->setPen(QPen(QColor(color.red(), color.green(), color.blue(), 130), 1, Qt::DotLine));
    painter->drawLine(QPointF(labelRect().center().x(), labelRect().bottom()), mid_);
}

QColor EdgeItem::currentColor() const {
    return !problem_.isEmpty() ? problemColor : isSelected() ? selectionColor : style_.color;
}

void EdgeItem::paintLabel(QPainter* painter) const {
    if (label_.text().isEmpty()) return;
    const QRectF box = labelRect();
    const QColor color = currentColor();
    painter->setPen(QPen(QColor(color.red(), color.green(), color.blue(), 90), 0.8));
    painter->setBrush(QColor(255, 255, 255, 235));
    painter->drawRoundedRect(box, box.height() / 2, box.height() / 2);
    painter->setFont(smallFont(7));
    painter->setPen(problem_.isEmpty() ? textColor : problemColor);
    painter->drawStaticText(box.topLeft() + QPointF(5, 2), label_);
}

namespace {

// The part of segment a-b inside `box` (Liang-Barsky), if any.
std::optional<QLineF> clipped(QPointF a, QPointF b, const QRectF& box) {
    const QPointF d = b - a;
    double t0 = 0.0, t1 = 1.0;
    const double p[] = {-d.x(), d.x(), -d.y(), d.y()};
    const double q[] = {a.x() - box.left(), box.right() - a.x(), a.y() - box.top(), box.bottom() - a.y()};
    for (int i = 0; i < 4; ++i) {
        if (p[i] == 0.0) {
            if (q[i] < 0.0) return std::nullopt;
            continue;
        }
        const double t = q[i] / p[i];
        if (p[i] < 0.0)
            t0 = std::max(t0, t);
        else
            t1 = std::min(t1, t);
        if (t0 > t1) return std::nullopt;
    }
    // Ends inside stay exactly where they were, so that runs join up.
    return QLineF(t0 > 0.0 ? a + d * t0 : a, t1 < 1.0 ? a + d * t1 : b);
}

}  // namespace

// The raster engine strokes and scans a line over its whole length, however
// little of it shows: zoomed in, a long edge would cost far more than the
// view it crosses. Only the flattened curve's pieces inside the exposed
// rectangle are drawn.
void EdgeItem::drawVisiblePart(QPainter* painter, const QRectF& exposed) const {
    QPolygonF run;
    for (int i = 1; i < polyline_.size(); ++i) {
        const auto piece = clipped(polyline_[i - 1], polyline_[i], exposed);
        if (piece && !run.isEmpty() && run.back() == piece->p1()) {
            run << piece->p2();
            continue;
        }
        if (run.size() > 1) painter->drawPolyline(run);
        run.clear();
        if (piece) run << piece->p1() << piece->p2();
    }
    if (run.size() > 1) painter->drawPolyline(run);
}

namespace {

EdgeStyle connectionStyle(const core::Connection& c) {
    using K = core::EndpointKind;
    QColor color = accentColor(ObjectKind::Connection);
    if (c.post.kind == K::LearningRule) color = QColor(217, 102, 59);
    else if (c.pre.kind == K::Neurons || c.post.kind == K::Neurons) color = neuronsColor;
    return {color, Qt::SolidLine, true, c.learningRule.has_value()};
}

}  // namespace

ConnectionItem::ConnectionItem(std::string id, const core::Connection& connection)
    : EdgeItem(std::move(id), connectionStyle(connection)) {
    setFlags(ItemIsSelectable);
    describe(connection);
}

void ConnectionItem::describe(const core::Connection& connection) {
    setStyle(connectionStyle(connection));
    const QString summary = connectionSummary(connection);
    setLabel(summary == synapseText(core::LowpassSynapse{}) ? QString() : summary, summary);
}

bool ConnectionItem::isNearRule(QPointF scenePos) const {
    return style().ruleDiamond && QLineF(scenePos, midpoint()).length() <= 12;
}

ProbeLinkItem::ProbeLinkItem(std::string probeId)
    : EdgeItem(std::move(probeId), {accentColor(ObjectKind::Probe), Qt::DashLine, true, false}) {}

}  // namespace ui
