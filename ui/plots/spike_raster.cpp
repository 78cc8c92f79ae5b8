#include "plots/spike_raster.h"

#include <qcustomplot.h>

#include <algorithm>

namespace ui {

SpikeRaster::SpikeRaster(QWidget* parent, int maxNeurons) : ProbePlot(parent), maxNeurons_(maxNeurons) {
    plot_->yAxis->setLabel(tr("neuron"));
    plot_->yAxis->setRangeReversed(true);
    plot_->yAxis->grid()->setVisible(false);
}

int SpikeRaster::shownNeurons() const { return std::min(probe().size, maxNeurons_); }

void SpikeRaster::layOut() {
    if (probe().size > maxNeurons_)
        plot_->yAxis->setLabel(tr("neuron (first %1 of %2)").arg(maxNeurons_).arg(probe().size));
    else
        plot_->yAxis->setLabel(tr("neuron"));
    plot_->yAxis->setRange(-0.5, std::max(1, shownNeurons()) - 0.5);
    QCPGraph* spikes = plot_->addGraph();
    spikes->setLineStyle(QCPGraph::lsNone);
    fitTicks();
}

// A tick spans most of a neuron's row.
void SpikeRaster::fitTicks() {
    if (plot_->graphCount() == 0) return;
    const int rowHeight = plot_->axisRect()->height() / std::max(1, shownNeurons());
    QPainterPath tick;  // QCPScatterStyle draws custom paths scaled by size / 6
    tick.moveTo(0, -3);
    tick.lineTo(0, 3);
    plot_->graph(0)->setScatterStyle(
        QCPScatterStyle(tick, QPen(seriesColor(0), 1.5), Qt::NoBrush, std::clamp(rowHeight * 0.8, 2.0, 12.0)));
}

void SpikeRaster::resizeEvent(QResizeEvent* event) {
    ProbePlot::resizeEvent(event);
    fitTicks();
}

void SpikeRaster::showSeries(const ProbeSeries& series, double window) {
    if (plot_->graphCount() == 0) return;
    const double end = series.lastTime();
    const int neurons = std::min(shownNeurons(), series.size);
    QVector<double> times, indices;
    for (long s = series.firstAtOrAfter(end - window); s < series.samples(); ++s)
        for (int n = 0; n < neurons; ++n)
            if (series.at(s, n) != 0.0) {
                times.append(series.times[s]);
                indices.append(n);
            }
    plot_->graph(0)->setData(times, indices, true);
    setTimeRange(end, window);
    fitTicks();
    plot_->replot(QCustomPlot::rpQueuedReplot);
}

}  // namespace ui
