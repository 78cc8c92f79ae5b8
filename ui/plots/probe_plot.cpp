#include "plots/probe_plot.h"

#include <QVBoxLayout>
#include <qcustomplot.h>

#include <algorithm>
#include <array>

namespace ui {

QColor seriesColor(int index) {
    static const std::array<QColor, 10> colors = {
        QColor(0x1f, 0x77, 0xb4), QColor(0xff, 0x7f, 0x0e), QColor(0x2c, 0xa0, 0x2c), QColor(0xd6, 0x27, 0x28),
        QColor(0x94, 0x67, 0xbd), QColor(0x8c, 0x56, 0x4b), QColor(0xe3, 0x77, 0xc2), QColor(0x7f, 0x7f, 0x7f),
        QColor(0xbc, 0xbd, 0x22), QColor(0x17, 0xbe, 0xcf)};
    return colors[static_cast<size_t>(index) % colors.size()];
}

QCPRange valueAxisRange(double lo, double hi) {
    lo = std::min(lo, -1.0);
    hi = std::max(hi, 1.0);
    const double margin = 0.05 * (hi - lo);
    return {lo - margin, hi + margin};
}

ProbePlot::ProbePlot(QWidget* parent) : QWidget(parent), layout_(new QVBoxLayout(this)), plot_(new QCustomPlot(this)) {
    layout_->setContentsMargins(0, 0, 0, 0);
    layout_->setSpacing(2);
    layout_->addWidget(plot_, 1);
    plot_->setMinimumSize(240, 160);
    plot_->setAntialiasedElements(QCP::aePlottables);
    plot_->plotLayout()->insertRow(0);
    QFont titleFont = font();
    titleFont.setBold(true);
    title_ = new QCPTextElement(plot_, QString(), titleFont);
    plot_->plotLayout()->addElement(0, 0, title_);
    plot_->xAxis->setLabel(tr("time (s)"));
    // Axes on all four sides, ticks only at the bottom and left, like a framed chart.
    plot_->axisRect()->setupFullAxesBox(true);
    plot_->xAxis2->setTicks(false);
    plot_->yAxis2->setTicks(false);
}

void ProbePlot::setProbe(const ProbeInfo& probe) {
    probe_ = probe;
    title_->setText(probe.label);
    plot_->clearPlottables();
    plot_->clearItems();
    layOut();
    plot_->replot(QCustomPlot::rpQueuedReplot);
}

void ProbePlot::setTimeRange(double end, double window) {
    const double lower = std::max(0.0, end - window);
    plot_->xAxis->setRange(lower, lower + window);
}

}  // namespace ui
