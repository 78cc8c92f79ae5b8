#pragma once
// One summarised parameter's distribution over training, as TensorBoard's
// Distributions tab draws it: nested shaded bands between the percentiles
// 0-100, 6.7-93.3, 15.9-84.1 and 30.9-69.1 (normal sigma bands) and the median line.
#include "training/summary_chart.h"

namespace ui {

class DistributionPlot : public SummaryChart {
    Q_OBJECT
public:
    explicit DistributionPlot(const QString& key, QWidget* parent = nullptr);

    void setSamples(const std::vector<core::DistributionSample>& samples, const QColor& color) override;
    int sampleCount() const override { return graph(0)->dataCount(); }
};

}  // namespace ui
