#include "training/distribution_plot.h"

#include "training/plot_style.h"

namespace ui {

namespace {
constexpr int percentileCount = static_cast<int>(core::distributionPercentiles.size());
constexpr int median = percentileCount / 2;
}  // namespace

DistributionPlot::DistributionPlot(const QString& key, QWidget* parent) : SummaryChart(key, parent) {
    setObjectName("distribution:" + key);
    xAxis->setLabel(tr("step"));
    // Antialiased translucent fills are slow in the raster engine and add little to nested bands.
    setNotAntialiasedElements(QCP::aeFills);
    for (int i = 0; i < percentileCount; ++i) addGraph();
    // Band i lies between percentile i and its mirror; the bands nest, so the middle is darkest.
    for (int i = 0; i < median; ++i) graph(i)->setChannelFillGraph(graph(percentileCount - 1 - i));
}

void DistributionPlot::setSamples(const std::vector<core::DistributionSample>& samples, const QColor& color) {
    QVector<double> steps;
    for (const auto& s : samples) steps << static_cast<double>(s.step);
    for (int i = 0; i < percentileCount; ++i) {
        QVector<double> values;
        for (const auto& s : samples) values << s.percentiles[static_cast<size_t>(i)];
        graph(i)->setData(steps, values, true);
        QColor fill = color;
        fill.setAlpha(i < median ? 50 : 0);
        graph(i)->setBrush(i < median ? QBrush(fill) : Qt::NoBrush);
        graph(i)->setPen(i == median ? linePen(color.darker(115), 1.6) : QPen(Qt::NoPen));
    }
    // A single sample has no width: mark it.
    graph(median)->setScatterStyle(samples.size() == 1 ? QCPScatterStyle(QCPScatterStyle::ssDisc, color, 6)
                                                       : QCPScatterStyle());
    rescaleAxes();
    const QCPRange y = yAxis->range();
    const double pad = y.size() > 0 ? 0.05 * y.size() : 0.5;
    yAxis->setRange(y.lower - pad, y.upper + pad);
    replot(rpQueuedReplot);
}

}  // namespace ui
