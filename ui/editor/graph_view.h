#pragma once
// The canvas view: a grid background, zoom around the cursor, panning with
// the middle button or space + drag, rubber-band selection, fit to contents,
// a minimap in the corner for large graphs, and one-key object shortcuts
// (N constant node, E ensemble, P probe, F fit).
#include "object_factory.h"

#include <QGraphicsView>
#include <QPixmap>

namespace ui {

class GraphScene;
class GraphView;

// A small picture of the whole graph with the visible part outlined; a click
// or drag centres the view there.
class Minimap : public QWidget {
    Q_OBJECT
public:
    explicit Minimap(GraphView* view);
    // The scene's contents changed: redraw the picture when next shown.
    void markStale();

protected:
    void paintEvent(QPaintEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;

private:
    QTransform sceneToMinimap(const QRectF& world) const;
    QRectF world() const;
    void renderPicture();
    void centreViewAt(QPointF widgetPos);

    GraphView* view_;
    QPixmap picture_;
    QRectF pictureRect_;  // the scene rectangle the picture shows
    bool stale_ = true;
};

class GraphView : public QGraphicsView {
    Q_OBJECT
public:
    enum class MinimapMode { Automatic, Shown, Hidden };  // Automatic: shown from minimapThreshold objects on
    static constexpr int minimapThreshold = 40;
    static constexpr double minZoom = 0.05, maxZoom = 4.0;

    explicit GraphView(GraphScene* scene, QWidget* parent = nullptr);
    GraphScene* graphScene() const { return scene_; }
    Minimap* minimap() const { return minimap_; }
    void setMinimapMode(MinimapMode mode);
    double zoom() const { return transform().m11(); }
    // Adds at the cursor when it is over the canvas, else at the centre of the
    // view. A probe records what is under the cursor, else the selected object.
    void addObjectAtCursor(PaletteEntry entry);

public slots:
    void zoomIn();
    void zoomOut();
    void resetZoom();
    void fitToContents();

protected:
    void drawBackground(QPainter* painter, const QRectF& rect) override;
    void wheelEvent(QWheelEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;
    void keyReleaseEvent(QKeyEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    void scrollContentsBy(int dx, int dy) override;

private:
    void zoomBy(double factor, QPoint viewportAnchor);
    QPointF cursorScenePos() const;
    void updateMinimap();
    void placeMinimap();

    GraphScene* scene_;
    Minimap* minimap_;
    MinimapMode minimapMode_ = MinimapMode::Automatic;
    std::optional<QPoint> panFrom_;  // viewport position where a pan drag last was
    bool spaceHeld_ = false;
};

}  // namespace ui
