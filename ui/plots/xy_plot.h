#pragma once
#include "plots/probe_plot.h"

#include <QList>

class QComboBox;
class QCPCurve;
class QCPItemText;

namespace ui {

// Two dimensions of a probe against each other: the trajectory over the
// window, fading with age, and a dot at the latest value.
class XyPlot : public ProbePlot {
    Q_OBJECT
public:
    explicit XyPlot(QWidget* parent = nullptr);
    void showSeries(const ProbeSeries& series, double window) override;

    void setDimensions(int x, int y);
    int xDimension() const { return x_; }
    int yDimension() const { return y_; }
    // The trajectory, oldest piece first; consecutive pieces share an end point.
    const QList<QCPCurve*>& tail() const { return tail_; }
    QCPCurve* head() const { return head_; }

    static constexpr int kTailSegments = 8;

protected:
    void layOut() override;

private:
    void keepAspectRatio();

    QWidget* choices_;
    QComboBox* xChoice_;
    QComboBox* yChoice_;
    QList<QCPCurve*> tail_;
    QCPCurve* head_ = nullptr;
    int x_ = 0, y_ = 1;
};

}  // namespace ui
