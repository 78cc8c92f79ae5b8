#pragma once
// A page of summary charts (Distributions or Histograms): one chart per
// summarised parameter of the run chosen at the top, redrawn while that run
// trains (at most five times a second) but only while the page is on screen.
#include "training/summary_chart.h"

#include <QWidget>

#include <functional>
#include <map>

class QComboBox;
class QGridLayout;
class QLabel;
class QTimer;

namespace ui {

class TrainingController;

class SummaryPage : public QWidget {
    Q_OBJECT
public:
    using ChartFactory = std::function<SummaryChart*(const QString& key)>;
    SummaryPage(const TrainingController* controller, ChartFactory makeChart, QWidget* parent = nullptr);

    // A run started (the page follows it when it showed the latest) or has news.
    void runStarted(int run);
    void runChanged(int run);

    int currentRun() const;
    std::vector<SummaryChart*> charts() const;

protected:
    void showEvent(QShowEvent* event) override;

private:
    void redraw();
    void drawNext();

    const TrainingController* controller_;
    ChartFactory makeChart_;
    std::map<QString, SummaryChart*> charts_;
    bool stale_ = false;
    std::vector<QString> waiting_;  // charts to redraw, one per event-loop turn
    bool drawScheduled_ = false;
    QTimer* throttle_;
    QComboBox* run_;
    QGridLayout* grid_;
    QLabel* empty_;
};

}  // namespace ui
