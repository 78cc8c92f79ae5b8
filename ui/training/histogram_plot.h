#pragma once
// One summarised parameter's histograms over training, as TensorBoard's
// Histograms tab draws them (offset mode): one outline per sample, stacked
// from the newest in front at the bottom to the oldest at the back, fainter.
#include "training/summary_chart.h"

#include <vector>

namespace ui {

class HistogramRidges;

// Which of `count` samples to draw when at most `limit` fit: evenly spread,
// always the first and the last.
std::vector<int> evenlySpread(int count, int limit);

class HistogramPlot : public SummaryChart {
    Q_OBJECT
public:
    explicit HistogramPlot(const QString& key, QWidget* parent = nullptr);

    void setSamples(const std::vector<core::DistributionSample>& samples, const QColor& color) override;
    int sampleCount() const override { return samples_; }
    int shownCount() const;  // at most maxShown of them

    static constexpr int maxShown = 30;

private:
    int samples_ = 0;
    HistogramRidges* ridges_;
};

}  // namespace ui
