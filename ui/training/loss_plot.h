#pragma once
// The loss of every run, as TensorBoard's Scalars tab shows it: per
// optimisation step and per epoch, each run in its own colour with a
// checkbox, the raw curve faint behind its exponential moving average.
#include "train/training_summary.h"

#include <QWidget>

#include <vector>

class QCheckBox;
class QCustomPlot;
class QLabel;
class QListWidget;
class QSlider;

namespace ui {

// TensorBoard's smoothing: an exponential moving average with weight w in
// [0, 1), debiased so that it starts at the first value; NaN/Inf pass through.
std::vector<double> exponentialMovingAverage(const std::vector<double>& values, double weight);
// The same average taken over log(value), for a log axis: a loss falling by a
// constant factor per step then stays a straight line beside its raw values
// instead of lagging far above them. Values <= 0 pass through.
std::vector<double> geometricMovingAverage(const std::vector<double>& values, double weight);

class LossPlot : public QWidget {
    Q_OBJECT
public:
    explicit LossPlot(QWidget* parent = nullptr);

    // Creates or redraws run `run` (runs are numbered in the order they started).
    void showRun(int run, const core::TrainingSummary& summary);

    void setSmoothing(double weight);  // 0 ... 0.99
    void setLogScale(bool on);
    void setRunVisible(int run, bool visible);

    QCustomPlot* stepPlot() const { return steps_; }
    QCustomPlot* epochPlot() const { return epochs_; }

private:
    struct Series {
        std::vector<double> stepLoss, epochLoss;
        bool visible = true;
    };
    void draw(int run, int chart);  // chart 0: per step, 1: per epoch
    void drawAll();
    void rescale(int chart);

    std::vector<Series> runs_;
    double smoothing_ = 0.6;
    QCustomPlot *steps_, *epochs_;
    QListWidget* legend_;
    QSlider* smoothingSlider_;
    QLabel* smoothingValue_;
    QCheckBox* logScale_;
};

}  // namespace ui
