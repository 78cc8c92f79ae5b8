#include "main_window.h"

#include <QApplication>
#include <QGraphicsScene>
#include <QGraphicsView>
#include <QKeySequence>
#include <QMenuBar>
#include <QMessageBox>
#include <QPainter>
#include <QStatusBar>

#include <cmath>

namespace ui {

namespace {

// The canvas background: a light grid, so placement reads like an editor.
class GridView : public QGraphicsView {
public:
    using QGraphicsView::QGraphicsView;

protected:
    void drawBackground(QPainter* painter, const QRectF& rect) override {
        constexpr int grid = 20;
        painter->fillRect(rect, QColor(250, 250, 252));
        painter->setPen(QPen(QColor(225, 228, 235), 0));
        const qreal left = std::floor(rect.left() / grid) * grid;
        const qreal top = std::floor(rect.top() / grid) * grid;
        for (qreal x = left; x < rect.right(); x += grid) painter->drawLine(QPointF(x, rect.top()), QPointF(x, rect.bottom()));
        for (qreal y = top; y < rect.bottom(); y += grid) painter->drawLine(QPointF(rect.left(), y), QPointF(rect.right(), y));
    }
};

}  // namespace

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent) {
    setWindowTitle(tr("NeuroLoom"));
    scene_ = new QGraphicsScene(this);
    scene_->setSceneRect(-2000, -2000, 4000, 4000);
    view_ = new GridView(scene_, this);
    view_->setObjectName("canvas");
    view_->setRenderHint(QPainter::Antialiasing);
    view_->setDragMode(QGraphicsView::RubberBandDrag);
    setCentralWidget(view_);
    createMenus();
    statusBar()->showMessage(tr("Ready: an empty network"));
    resize(1200, 800);
}

void MainWindow::createMenus() {
    QMenu* file = menuBar()->addMenu(tr("&File"));
    file->setObjectName("menuFile");
    file->addAction(tr("&Quit"), QKeySequence::Quit, qApp, &QApplication::quit);

    QMenu* view = menuBar()->addMenu(tr("&View"));
    view->setObjectName("menuView");
    view->addAction(tr("Zoom &In"), QKeySequence::ZoomIn, this, [this] { view_->scale(1.25, 1.25); });
    view->addAction(tr("Zoom &Out"), QKeySequence::ZoomOut, this, [this] { view_->scale(0.8, 0.8); });
    view->addAction(tr("&Reset Zoom"), this, [this] { view_->resetTransform(); });

    QMenu* help = menuBar()->addMenu(tr("&Help"));
    help->setObjectName("menuHelp");
    help->addAction(tr("&About NeuroLoom"), this, &MainWindow::showAbout);
}

void MainWindow::showAbout() {
    QMessageBox::about(this, tr("About NeuroLoom"),
                       tr("<b>NeuroLoom %1</b><p>Build, simulate and train Nengo-style spiking neural networks.</p>")
                           .arg(QStringLiteral(NEUROLOOM_VERSION)));
}

}  // namespace ui
