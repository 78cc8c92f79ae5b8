#include "plots/plot_dock.h"

#include "common/error.h"
#include "plots/plot_export.h"
#include "plots/spike_raster.h"
#include "plots/value_plot.h"
#include "plots/value_slider.h"
#include "plots/voltage_plot.h"
#include "plots/xy_plot.h"
#include "simulation/simulation_controller.h"

#include <QFileDialog>
#include <QFileInfo>
#include <QMenu>
#include <QMessageBox>
#include <QTimer>
#include <qcustomplot.h>

namespace ui {

PlotDock::PlotDock(ProbePlot* plot, SimulationController* controller, const QString& probeId, QWidget* parent)
    : QDockWidget(probeId, parent), plot_(plot), controller_(controller), probeId_(probeId), refreshTimer_(new QTimer(this)) {
    setObjectName("plot:" + probeId);
    setAttribute(Qt::WA_DeleteOnClose);
    setWidget(plot_);
    refreshTimer_->setInterval(kRefreshIntervalMs);
    connect(refreshTimer_, &QTimer::timeout, this, &PlotDock::refreshTick);
    connect(controller_, &SimulationController::probesChanged, this, &PlotDock::probesChanged);
    connect(controller_, &SimulationController::probeDataAppended, this, &PlotDock::dataChanged);
    connect(controller_, &SimulationController::seriesReset, this, &PlotDock::dataChanged);
    connect(controller_, &SimulationController::liveWindowChanged, this, &PlotDock::dataChanged);
    connect(plot_, &ProbePlot::redrawRequested, this, &PlotDock::redraw);
    plot_->customPlot()->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(plot_->customPlot(), &QWidget::customContextMenuRequested, this, &PlotDock::showContextMenu);
    probesChanged();
}

void PlotDock::probesChanged() {
    const ProbeInfo* probe = controller_->probe(probeId_);
    plot_->setProbe(probe ? *probe : ProbeInfo{probeId_, probeId_, probeId_, {}, 0});
    setWindowTitle((probe ? probe->label : probeId_) + " — " + plot_->windowTitle());
    redraw();
}

void PlotDock::dataChanged() {
    stale_ = true;
    if (!refreshTimer_->isActive()) refreshTimer_->start();
}

// Redraws when data came since the last tick; a tick without news stops the timer.
void PlotDock::refreshTick() {
    if (!stale_) {
        refreshTimer_->stop();
        return;
    }
    redraw();
}

void PlotDock::redraw() {
    stale_ = false;
    plot_->showSeries(controller_->series(probeId_), controller_->liveWindow());
}

void PlotDock::exportImage(const QString& path) const { savePlotImage(*plot_->customPlot(), path); }

void PlotDock::exportData(const QString& path) const {
    const ProbeSeries& series = controller_->series(probeId_);
    const QString suffix = QFileInfo(path).suffix().toLower();
    if (suffix == "csv")
        saveSeriesCsv(series, dimensionNames(plot_->probe()), path);
    else if (suffix == "npz")
        saveSeriesNpz(series, plot_->probe().key, path);
    else
        throw core::Error("unknown data format '" + suffix.toStdString() + "' (use .csv or .npz)", path.toStdString());
}

void PlotDock::showContextMenu(const QPoint& position) {
    QMenu menu(this);
    menu.addAction(tr("Export image..."), this, [this] {
        chooseFileAndExport(tr("Export image"), ".png", tr("PNG image (*.png);;SVG drawing (*.svg);;PDF document (*.pdf)"),
                            &PlotDock::exportImage);
    });
    menu.addAction(tr("Export data..."), this, [this] {
        chooseFileAndExport(tr("Export data"), ".csv", tr("CSV table (*.csv);;NumPy archive (*.npz)"), &PlotDock::exportData);
    });
    menu.addSeparator();
    menu.addAction(tr("Close"), this, &QDockWidget::close);
    menu.exec(plot_->customPlot()->mapToGlobal(position));
}

void PlotDock::chooseFileAndExport(const QString& title, const QString& extension, const QString& filter,
                                   void (PlotDock::*exportTo)(const QString&) const) {
    const QString path = QFileDialog::getSaveFileName(this, title, plot_->probe().label + extension, filter);
    if (path.isEmpty()) return;
    try {
        (this->*exportTo)(path);
    } catch (const core::Error& e) {
        QMessageBox::warning(this, title, QString::fromStdString(e.what()));
    }
}

namespace {

ProbePlot* makeProbePlot(PlotKind kind) {
    switch (kind) {
        case PlotKind::Value: return new ValuePlot;
        case PlotKind::Xy: return new XyPlot;
        case PlotKind::SpikeRaster: return new SpikeRaster;
        case PlotKind::Voltage: return new VoltagePlot;
        case PlotKind::Slider: break;
    }
    return nullptr;
}

QString kindName(PlotKind kind) {
    switch (kind) {
        case PlotKind::Value: return QObject::tr("value");
        case PlotKind::Xy: return QObject::tr("XY value");
        case PlotKind::SpikeRaster: return QObject::tr("spikes");
        case PlotKind::Voltage: return QObject::tr("voltage");
        case PlotKind::Slider: return QObject::tr("slider");
    }
    return {};
}

}  // namespace

QDockWidget* makePlotDock(PlotKind kind, SimulationController* controller, const QString& id, QWidget* parent) {
    if (kind == PlotKind::Slider) {
        auto* dock = new QDockWidget(id + " — " + kindName(kind), parent);
        dock->setObjectName("slider:" + id);
        dock->setAttribute(Qt::WA_DeleteOnClose);
        dock->setWidget(new ValueSlider(controller, id));
        return dock;
    }
    ProbePlot* plot = makeProbePlot(kind);
    plot->setWindowTitle(kindName(kind));
    return new PlotDock(plot, controller, id, parent);
}

}  // namespace ui
