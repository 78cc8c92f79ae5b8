#pragma once
// Dockable live views of a simulation, attached to an object from the
// canvas: PlotDock wraps a probe plot and keeps it current; makePlotDock
// builds any of the views Nengo GUI offers.
#include <QDockWidget>
#include <QString>

class QTimer;

namespace ui {

class ProbePlot;
class SimulationController;

enum class PlotKind { Value, Xy, SpikeRaster, Voltage, Slider };

// A probe plot in a dock. It redraws from the controller's series at most
// about 30 times a second, and only while data arrives. Its context menu
// exports the picture (PNG, SVG, PDF) and the probe's full history (CSV, .npz).
class PlotDock : public QDockWidget {
    Q_OBJECT
public:
    // Takes ownership of `plot`.
    PlotDock(ProbePlot* plot, SimulationController* controller, const QString& probeId, QWidget* parent = nullptr);

    ProbePlot* plot() const { return plot_; }
    QString probeId() const { return probeId_; }
    // By suffix: .png, .svg, .pdf; .csv, .npz. Throw core::Error naming the file.
    void exportImage(const QString& path) const;
    void exportData(const QString& path) const;

    static constexpr int kRefreshIntervalMs = 33;

private:
    void probesChanged();
    void dataChanged();
    void refreshTick();
    void redraw();
    void showContextMenu(const QPoint& position);
    // Asks for a file (named after the probe) and exports to it; a failure is shown.
    void chooseFileAndExport(const QString& title, const QString& extension, const QString& filter,
                             void (PlotDock::*exportTo)(const QString&) const);

    ProbePlot* plot_;
    SimulationController* controller_;
    QString probeId_;
    QTimer* refreshTimer_;
    bool stale_ = false;
};

// A dock showing `id` (a probe id; a node id for PlotKind::Slider) from the
// controller's simulation. The dock deletes itself when closed.
QDockWidget* makePlotDock(PlotKind kind, SimulationController* controller, const QString& id,
                          QWidget* parent = nullptr);

}  // namespace ui
