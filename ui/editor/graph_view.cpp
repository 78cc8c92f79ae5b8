#include "graph_view.h"

#include "graph_scene.h"

#include <QKeyEvent>
#include <QPainter>
#include <QScrollBar>

#include <algorithm>
#include <cmath>

namespace ui {

namespace {

const QColor highlight(45, 127, 249);

// Panning is free: the view may show any part of this square, whatever the contents.
constexpr double reach = 100000.0;

}  // namespace

// ---------------------------------------------------------------------------
// Minimap

Minimap::Minimap(GraphView* view) : QWidget(view), view_(view) {
    resize(220, 150);
    setCursor(Qt::PointingHandCursor);
    setToolTip(tr("Overview: click or drag to move the view"));
}

void Minimap::markStale() {
    stale_ = true;
    update();
}

QRectF Minimap::world() const {
    const QRectF visible = view_->mapToScene(view_->viewport()->rect()).boundingRect();
    return (view_->graphScene()->contentsRect() | visible).adjusted(-40, -40, 40, 40);
}

// Scene coordinates to widget coordinates, fitting `world` inside with its aspect kept.
QTransform Minimap::sceneToMinimap(const QRectF& world) const {
    const QRectF area = QRectF(rect()).adjusted(6, 6, -6, -6);
    const double s = std::min(area.width() / world.width(), area.height() / world.height());
    const QPointF offset = area.center() - QPointF(world.center().x() * s, world.center().y() * s);
    return QTransform(s, 0, 0, s, offset.x(), offset.y());
}

// The contents alone, drawn once per change; panning only moves the outline over it.
void Minimap::renderPicture() {
    pictureRect_ = view_->graphScene()->contentsRect().adjusted(-20, -20, 20, 20);
    picture_ = QPixmap(size() * 2);
    picture_.fill(Qt::transparent);
    stale_ = false;
    if (pictureRect_.isEmpty()) return;
    QPainter p(&picture_);
    const double s = std::min(picture_.width() / pictureRect_.width(), picture_.height() / pictureRect_.height());
    p.scale(s, s);
    p.translate(-pictureRect_.topLeft());
    p.setRenderHint(QPainter::Antialiasing);
    p.setPen(QPen(QColor(130, 138, 150, 150), 0));
    for (const EdgeItem* edge : view_->graphScene()->edgeItems())
        if (edge->isVisible()) p.drawLine(edge->from(), edge->to());
    for (const ObjectItem* item : view_->graphScene()->objectItems()) {
        if (!item->isVisible()) continue;
        const QRectF box = item->mapRectToScene(item->boxRect());
        QColor color = accentColor(item->kind());
        p.setPen(item->isFrame() ? QPen(color, 0) : Qt::NoPen);
        p.setBrush(item->isFrame() ? QBrush(Qt::NoBrush) : QBrush(color));
        p.drawRect(box);
    }
}

void Minimap::paintEvent(QPaintEvent*) {
    if (stale_) renderPicture();
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    p.setPen(QPen(QColor(200, 205, 215), 1));
    p.setBrush(QColor(255, 255, 255, 230));
    p.drawRoundedRect(QRectF(rect()).adjusted(0.5, 0.5, -0.5, -0.5), 6, 6);
    const QTransform toWidget = sceneToMinimap(world());
    if (!pictureRect_.isEmpty()) {
        // The picture was drawn with the contents fitted, aspect kept, from its top left.
        const double s = std::min(picture_.width() / pictureRect_.width(), picture_.height() / pictureRect_.height());
        const QRectF drawn(pictureRect_.topLeft(), QSizeF(picture_.width() / s, picture_.height() / s));
        p.drawPixmap(toWidget.mapRect(drawn), picture_, picture_.rect());
    }
    const QRectF visible = view_->mapToScene(view_->viewport()->rect()).boundingRect();
    p.setPen(QPen(highlight, 1.5));
    p.setBrush(QColor(45, 127, 249, 28));
    p.drawRect(toWidget.mapRect(visible));
}

void Minimap::centreViewAt(QPointF widgetPos) {
    view_->centerOn(sceneToMinimap(world()).inverted().map(widgetPos));
}

void Minimap::mousePressEvent(QMouseEvent* event) {
    if (event->button() == Qt::LeftButton) centreViewAt(event->position());
}

void Minimap::mouseMoveEvent(QMouseEvent* event) {
    if (event->buttons() & Qt::LeftButton) centreViewAt(event->position());
}

// ---------------------------------------------------------------------------
// GraphView

GraphView::GraphView(GraphScene* scene, QWidget* parent) : QGraphicsView(scene, parent), scene_(scene) {
    setRenderHint(QPainter::Antialiasing);
    setDragMode(RubberBandDrag);
    setRubberBandSelectionMode(Qt::IntersectsItemShape);
    setTransformationAnchor(NoAnchor);
    setResizeAnchor(AnchorViewCenter);
    setViewportUpdateMode(SmartViewportUpdate);
    setOptimizationFlags(DontSavePainterState);
    setCacheMode(CacheBackground);
    setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    setSceneRect(-reach, -reach, 2 * reach, 2 * reach);
    setFocusPolicy(Qt::StrongFocus);
    setAcceptDrops(true);
    minimap_ = new Minimap(this);
    connect(scene, &GraphScene::contentsChanged, this, &GraphView::updateMinimap);
    updateMinimap();
    centerOn(0, 0);
}

void GraphView::setMinimapMode(MinimapMode mode) {
    minimapMode_ = mode;
    updateMinimap();
}

void GraphView::updateMinimap() {
    const bool shown = minimapMode_ == MinimapMode::Shown ||
                       (minimapMode_ == MinimapMode::Automatic &&
                        static_cast<int>(scene_->objectItems().size()) >= minimapThreshold);
    minimap_->markStale();
    placeMinimap();
    minimap_->setVisible(shown);
}

void GraphView::placeMinimap() {
    minimap_->move(width() - minimap_->width() - 12, height() - minimap_->height() - 12);
    minimap_->raise();
}

void GraphView::drawBackground(QPainter* painter, const QRectF& rect) {
    painter->save();
    painter->setRenderHint(QPainter::Antialiasing, false);
    painter->fillRect(rect, QColor(250, 250, 252));
    // Finer lines only while they stay apart on screen.
    auto lines = [&](double step, const QColor& color) {
        if (step * zoom() < 7) return false;
        QVector<QLineF> grid;
        for (double x = std::floor(rect.left() / step) * step; x < rect.right(); x += step)
            grid.append(QLineF(x, rect.top(), x, rect.bottom()));
        for (double y = std::floor(rect.top() / step) * step; y < rect.bottom(); y += step)
            grid.append(QLineF(rect.left(), y, rect.right(), y));
        painter->setPen(QPen(color, 0));
        painter->drawLines(grid);
        return true;
    };
    const double minor = GraphScene::gridSize;
    lines(minor, QColor(236, 238, 243));
    if (!lines(5 * minor, QColor(222, 226, 234))) lines(25 * minor, QColor(222, 226, 234));
    painter->restore();
}

void GraphView::zoomBy(double factor, QPoint viewportAnchor) {
    const double target = std::clamp(zoom() * factor, minZoom, maxZoom);
    if (target == zoom()) return;
    // The scene point under the anchor stays under it.
    const QPointF fixed = mapToScene(viewportAnchor);
    const QPointF centre = mapToScene(viewport()->rect().center());
    const double f = target / zoom();
    scale(f, f);
    centerOn(fixed + (centre - fixed) / f);
    minimap_->update();
}

void GraphView::zoomIn() { zoomBy(1.25, viewport()->rect().center()); }

void GraphView::zoomOut() { zoomBy(0.8, viewport()->rect().center()); }

void GraphView::resetZoom() {
    const QPointF centre = mapToScene(viewport()->rect().center());
    setTransform(QTransform());
    centerOn(centre);
    minimap_->update();
}

void GraphView::fitToContents() {
    QRectF contents = scene_->contentsRect();
    if (contents.isEmpty()) {
        setTransform(QTransform());
        centerOn(0, 0);
        return;
    }
    contents.adjust(-40, -40, 40, 40);
    fitInView(contents, Qt::KeepAspectRatio);
    const double fitted = std::clamp(zoom(), minZoom, 1.5);
    if (fitted != zoom()) {
        setTransform(QTransform::fromScale(fitted, fitted));
        centerOn(contents.center());
    }
    minimap_->update();
}

QPointF GraphView::cursorScenePos() const {
    const QPoint at = viewport()->mapFromGlobal(QCursor::pos());
    return mapToScene(viewport()->rect().contains(at) ? at : viewport()->rect().center());
}

void GraphView::addObjectAtCursor(PaletteEntry entry) {
    const QPointF at = cursorScenePos();
    if (entry == PaletteEntry::Probe && !scene_->probeTargetAt(at))
        scene_->addProbeOfSelection();
    else
        scene_->addObject(entry, at);
}

void GraphView::wheelEvent(QWheelEvent* event) {
    const int delta = event->angleDelta().y();
    if (delta == 0) return;
    zoomBy(std::pow(1.0015, delta), event->position().toPoint());
    event->accept();
}

void GraphView::mousePressEvent(QMouseEvent* event) {
    if (event->button() == Qt::MiddleButton || (event->button() == Qt::LeftButton && spaceHeld_)) {
        panFrom_ = event->position().toPoint();
        viewport()->setCursor(Qt::ClosedHandCursor);
        event->accept();
        return;
    }
    QGraphicsView::mousePressEvent(event);
}

void GraphView::mouseMoveEvent(QMouseEvent* event) {
    if (panFrom_) {
        const QPoint now = event->position().toPoint(), d = now - *panFrom_;
        panFrom_ = now;
        horizontalScrollBar()->setValue(horizontalScrollBar()->value() - d.x());
        verticalScrollBar()->setValue(verticalScrollBar()->value() - d.y());
        event->accept();
        return;
    }
    QGraphicsView::mouseMoveEvent(event);
}

void GraphView::mouseReleaseEvent(QMouseEvent* event) {
    if (panFrom_ && (event->button() == Qt::MiddleButton || event->button() == Qt::LeftButton)) {
        panFrom_.reset();
        if (spaceHeld_)
            viewport()->setCursor(Qt::OpenHandCursor);
        else
            viewport()->unsetCursor();
        event->accept();
        return;
    }
    QGraphicsView::mouseReleaseEvent(event);
}

void GraphView::keyPressEvent(QKeyEvent* event) {
    const bool plain = (event->modifiers() & ~Qt::KeypadModifier) == Qt::NoModifier;
    if (event->key() == Qt::Key_Space && plain) {
        if (!event->isAutoRepeat()) {
            spaceHeld_ = true;
            viewport()->setCursor(Qt::OpenHandCursor);
        }
        event->accept();
        return;
    }
    if (plain && !event->isAutoRepeat()) {
        switch (event->key()) {
            case Qt::Key_N: addObjectAtCursor(PaletteEntry::ConstantNode); return;
            case Qt::Key_E: addObjectAtCursor(PaletteEntry::Ensemble); return;
            case Qt::Key_P: addObjectAtCursor(PaletteEntry::Probe); return;
            case Qt::Key_F: fitToContents(); return;
            default: break;
        }
    }
    QGraphicsView::keyPressEvent(event);
}

void GraphView::keyReleaseEvent(QKeyEvent* event) {
    if (event->key() == Qt::Key_Space && !event->isAutoRepeat()) {
        spaceHeld_ = false;
        panFrom_.reset();
        viewport()->unsetCursor();
        event->accept();
        return;
    }
    QGraphicsView::keyReleaseEvent(event);
}

void GraphView::resizeEvent(QResizeEvent* event) {
    QGraphicsView::resizeEvent(event);
    placeMinimap();
}

void GraphView::scrollContentsBy(int dx, int dy) {
    QGraphicsView::scrollContentsBy(dx, dy);
    minimap_->update();
}

}  // namespace ui
