#include "training/summary_page.h"

#include "training/plot_style.h"
#include "training/training_controller.h"

#include <QComboBox>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QScrollArea>
#include <QTimer>
#include <QVBoxLayout>

namespace ui {

SummaryPage::SummaryPage(const TrainingController* controller, ChartFactory makeChart, QWidget* parent)
    : QWidget(parent), controller_(controller), makeChart_(std::move(makeChart)) {
    run_ = new QComboBox;
    run_->setObjectName("summaryRun");
    run_->setMinimumWidth(140);
    connect(run_, &QComboBox::currentIndexChanged, this, &SummaryPage::redraw);
    // Distributions change slowly: a few redraws a second keep the UI thread's share small.
    throttle_ = new QTimer(this);
    throttle_->setSingleShot(true);
    throttle_->setInterval(200);
    connect(throttle_, &QTimer::timeout, this, [this] {
        if (stale_ && isVisible()) redraw();
    });
    empty_ = new QLabel(tr("No distributions recorded in this run: tick objects under Summaries in the set-up."));
    auto* cards = new QWidget;
    grid_ = new QGridLayout(cards);
    auto* scroll = new QScrollArea;
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setWidget(cards);

    auto* top = new QHBoxLayout;
    top->addWidget(new QLabel(tr("Run")));
    top->addWidget(run_);
    top->addWidget(empty_);
    top->addStretch(1);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(scroll, 1);
}

void SummaryPage::runStarted(int run) {
    const bool followLatest = run_->currentIndex() == run_->count() - 1;
    run_->addItem(QString::fromStdString(controller_->runs()[run].summary.label));
    if (followLatest) run_->setCurrentIndex(run);
}

void SummaryPage::runChanged(int run) {
    if (run_->itemText(run) != QString::fromStdString(controller_->runs()[run].summary.label))
        run_->setItemText(run, QString::fromStdString(controller_->runs()[run].summary.label));
    if (run != currentRun()) return;
    stale_ = true;
    if (isVisible() && !throttle_->isActive()) throttle_->start();
}

int SummaryPage::currentRun() const { return run_->currentIndex(); }

std::vector<SummaryChart*> SummaryPage::charts() const {
    std::vector<SummaryChart*> out;
    for (const auto& [key, chart] : charts_)
        if (chart->isVisibleTo(this)) out.push_back(chart);
    return out;
}

void SummaryPage::showEvent(QShowEvent* event) {
    QWidget::showEvent(event);
    if (stale_) redraw();
}

void SummaryPage::redraw() {
    stale_ = false;
    const int run = currentRun();
    if (run < 0) return;
    const TrainingRun& shown = controller_->runs()[run];
    const auto& distributions = shown.summary.distributions;
    // A run that has just started keeps the charts as they are until its first samples
    // arrive: hiding and showing them again would lay the page out twice.
    if (distributions.empty() && shown.outcome == RunOutcome::Running) return;
    for (auto& [key, chart] : charts_) chart->setVisible(distributions.count(key.toStdString()) > 0);
    for (const auto& [key, samples] : distributions) {
        const QString name = QString::fromStdString(key);
        SummaryChart*& chart = charts_[name];
        if (!chart) {
            chart = makeChart_(name);
            const int index = static_cast<int>(charts_.size()) - 1;
            grid_->addWidget(chart, index / 2, index % 2);
        }
        chart->setVisible(true);
        if (std::find(waiting_.begin(), waiting_.end(), name) == waiting_.end()) waiting_.push_back(name);
    }
    empty_->setVisible(distributions.empty());
    drawNext();
}

// One chart per turn of the event loop, so that a page of charts never holds
// the UI thread for all of them at once.
void SummaryPage::drawNext() {
    if (waiting_.empty() || drawScheduled_) return;
    const QString key = waiting_.front();
    waiting_.erase(waiting_.begin());
    const int run = currentRun();
    const auto& distributions = controller_->runs()[run].summary.distributions;
    if (const auto it = distributions.find(key.toStdString()); it != distributions.end())
        charts_.at(key)->setSamples(it->second, runColor(run));
    if (waiting_.empty()) return;
    drawScheduled_ = true;
    QTimer::singleShot(5, this, [this] {
        drawScheduled_ = false;
        drawNext();
    });
}

}  // namespace ui
