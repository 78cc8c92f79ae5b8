#pragma once
// The base of the live probe plots: a QCustomPlot with a title, drawing the
// last `window` seconds of one probe's series.
#include "simulation/probe_series.h"

#include <QWidget>

class QCPRange;
class QCPTextElement;
class QCustomPlot;
class QVBoxLayout;

namespace ui {

// Line colours, one per dimension (d3's category10, as Nengo GUI uses).
QColor seriesColor(int index);

// An axis range showing [lo, hi] with a small margin, and at least -1..1
// (a represented value's usual range), so noise around zero stays flat.
QCPRange valueAxisRange(double lo, double hi);

class ProbePlot : public QWidget {
    Q_OBJECT
public:
    QCustomPlot* customPlot() const { return plot_; }
    const ProbeInfo& probe() const { return probe_; }

    // Lays the plot out for this probe: again after a rebuild, as its size may change.
    void setProbe(const ProbeInfo& probe);
    // Redraws the `window` seconds up to the series' last sample (a queued replot).
    virtual void showSeries(const ProbeSeries& series, double window) = 0;

signals:
    // A setting of the plot changed and it needs the series again.
    void redrawRequested();

protected:
    explicit ProbePlot(QWidget* parent);
    // Makes the graphs for probe().
    virtual void layOut() = 0;
    // [end - window, end] once the run is longer than the window, else [0, window].
    void setTimeRange(double end, double window);

    QVBoxLayout* layout_;  // subclasses may add controls above the plot
    QCustomPlot* plot_;

private:
    QCPTextElement* title_;
    ProbeInfo probe_;
};

}  // namespace ui
