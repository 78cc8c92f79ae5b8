#include "plots/voltage_plot.h"

#include <qcustomplot.h>

#include <algorithm>

namespace ui {

VoltagePlot::VoltagePlot(QWidget* parent, int neurons) : ProbePlot(parent), neurons_(neurons) {
    plot_->yAxis->setLabel(tr("voltage by neuron (normalised)"));
}

int VoltagePlot::shownNeurons() const { return std::min(probe().size, neurons_); }

namespace {
// Row offset of neuron i: the top row is neuron 0.
double rowOffset(int neuron, int rows) { return (rows - 1 - neuron) * VoltagePlot::kRowSpacing; }
}  // namespace

void VoltagePlot::layOut() {
    const int rows = shownNeurons();
    auto ticker = QSharedPointer<QCPAxisTickerText>::create();
    for (int i = 0; i < rows; ++i) {
        QCPGraph* graph = plot_->addGraph();
        graph->setPen(QPen(seriesColor(i), 1.2));
        ticker->addTick(rowOffset(i, rows), tr("n%1").arg(i));
    }
    plot_->yAxis->setTicker(ticker);
    plot_->yAxis->setRange(-0.25, std::max(1, rows - 1) * kRowSpacing + 1.25);
}

void VoltagePlot::showSeries(const ProbeSeries& series, double window) {
    const double end = series.lastTime();
    const long first = series.firstAtOrAfter(end - window);
    const QVector<double> keys(series.times.begin() + first, series.times.end());
    const int rows = plot_->graphCount();
    for (int i = 0; i < rows && i < series.size; ++i) {
        QVector<double> values(keys.size());
        for (int k = 0; k < keys.size(); ++k) values[k] = series.at(first + k, i) + rowOffset(i, rows);
        plot_->graph(i)->setData(keys, values, true);
    }
    setTimeRange(end, window);
    plot_->replot(QCustomPlot::rpQueuedReplot);
}

}  // namespace ui
