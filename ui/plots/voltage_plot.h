#pragma once
#include "plots/probe_plot.h"

namespace ui {

// Membrane voltages of a probe's first few neurons, one line per neuron,
// each raised by its row so the traces do not overlap (neuron 0 on top).
class VoltagePlot : public ProbePlot {
    Q_OBJECT
public:
    explicit VoltagePlot(QWidget* parent = nullptr, int neurons = 5);
    void showSeries(const ProbeSeries& series, double window) override;
    int shownNeurons() const;

    // Rows lie this far apart: LIF voltages run from 0 to the threshold 1.
    static constexpr double kRowSpacing = 1.25;

protected:
    void layOut() override;

private:
    int neurons_;
};

}  // namespace ui
