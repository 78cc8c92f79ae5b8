#include "training/summary_chart.h"

#include "training/plot_style.h"

namespace ui {

SummaryChart::SummaryChart(const QString& key, QWidget* parent) : QCustomPlot(parent), key_(key) {
    stylePlot(this);
    plotLayout()->insertRow(0);
    plotLayout()->addElement(0, 0, new QCPTextElement(this, key, QFont(font().family(), 10, QFont::Bold)));
    setMinimumSize(300, 230);
}

}  // namespace ui
