#pragma once
// A chart of one summarised parameter ("A/encoders") over a run: the
// distributions and histograms views both draw one per parameter.
#include "train/training_summary.h"

#include <qcustomplot.h>

namespace ui {

class SummaryChart : public QCustomPlot {
    Q_OBJECT
public:
    explicit SummaryChart(const QString& key, QWidget* parent = nullptr);

    virtual void setSamples(const std::vector<core::DistributionSample>& samples, const QColor& color) = 0;
    const QString& key() const { return key_; }
    // How many samples the chart holds now.
    virtual int sampleCount() const = 0;

private:
    QString key_;
};

}  // namespace ui
