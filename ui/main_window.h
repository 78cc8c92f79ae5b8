#pragma once
#include <QMainWindow>

class QGraphicsScene;
class QGraphicsView;

namespace ui {

// The application window: menus, the network canvas and the status bar.
// Editing, plots and training panels attach here as they arrive.
class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget* parent = nullptr);

    QGraphicsView* canvas() const { return view_; }

private:
    void createMenus();
    void showAbout();

    QGraphicsScene* scene_;
    QGraphicsView* view_;
};

}  // namespace ui
