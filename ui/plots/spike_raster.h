#pragma once
#include "plots/probe_plot.h"

namespace ui {

// Neuron spikes as ticks: time across, neuron index down (neuron 0 on top,
// as Nengo GUI draws it). Every non-zero sample of a neuron is a spike.
class SpikeRaster : public ProbePlot {
    Q_OBJECT
public:
    // Shows the first `maxNeurons` neurons of larger probes.
    explicit SpikeRaster(QWidget* parent = nullptr, int maxNeurons = 100);
    void showSeries(const ProbeSeries& series, double window) override;
    int shownNeurons() const;

protected:
    void layOut() override;
    void resizeEvent(QResizeEvent* event) override;

private:
    void fitTicks();

    int maxNeurons_;
};

}  // namespace ui
