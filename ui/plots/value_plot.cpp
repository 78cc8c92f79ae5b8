#include "plots/value_plot.h"

#include <qcustomplot.h>

#include <algorithm>

namespace ui {

ValuePlot::ValuePlot(QWidget* parent) : ProbePlot(parent) {
    plot_->yAxis->setLabel(tr("value"));
    // The legend in a row of its own under the axes, so it never hides a line.
    QCPLayoutGrid* legendRow = new QCPLayoutGrid;
    plot_->plotLayout()->addElement(plot_->plotLayout()->rowCount(), 0, legendRow);
    plot_->plotLayout()->setRowStretchFactor(plot_->plotLayout()->rowCount() - 1, 0.001);
    legendRow->setMargins(QMargins(0, 0, 0, 4));
    legendRow->addElement(0, 0, plot_->legend);
    plot_->legend->setFillOrder(QCPLayoutGrid::foColumnsFirst);
    plot_->legend->setBorderPen(Qt::NoPen);
    plot_->legend->setFont(font());
}

void ValuePlot::layOut() {
    const QStringList names = dimensionNames(probe());
    for (int i = 0; i < probe().size; ++i) {
        QCPGraph* graph = plot_->addGraph();
        graph->setName(names[i]);
        graph->setPen(QPen(seriesColor(i), 1.5));
    }
    plot_->legend->setVisible(probe().size > 0 && probe().size <= kMaxLegendEntries);
}

void ValuePlot::showSeries(const ProbeSeries& series, double window) {
    const double end = series.lastTime();
    const long first = series.firstAtOrAfter(end - window);
    const int count = static_cast<int>(series.samples() - first);
    const QVector<double> keys(series.times.begin() + first, series.times.end());
    double lo = 0.0, hi = 0.0;
    for (int i = 0; i < plot_->graphCount() && i < series.size; ++i) {
        QVector<double> values(count);
        for (int k = 0; k < count; ++k) {
            values[k] = series.at(first + k, i);
            lo = std::min(lo, values[k]);
            hi = std::max(hi, values[k]);
        }
        plot_->graph(i)->setData(keys, values, true);
    }
    setTimeRange(end, window);
    plot_->yAxis->setRange(valueAxisRange(lo, hi));
    plot_->replot(QCustomPlot::rpQueuedReplot);
}

}  // namespace ui
