#pragma once
#include "plots/probe_plot.h"

namespace ui {

// A probe's value over time: one line per dimension, with a legend.
class ValuePlot : public ProbePlot {
    Q_OBJECT
public:
    explicit ValuePlot(QWidget* parent = nullptr);
    void showSeries(const ProbeSeries& series, double window) override;

    // More lines than this and the legend would hide the plot.
    static constexpr int kMaxLegendEntries = 8;

protected:
    void layOut() override;
};

}  // namespace ui
