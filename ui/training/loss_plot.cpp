#include "training/loss_plot.h"

#include "training/plot_style.h"

#include <qcustomplot.h>

#include <QCheckBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QPainter>
#include <QSlider>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace ui {

std::vector<double> geometricMovingAverage(const std::vector<double>& values, double weight) {
    std::vector<double> logs(values.size());
    std::transform(values.begin(), values.end(), logs.begin(), [](double v) { return v > 0.0 ? std::log(v) : NAN; });
    std::vector<double> out = exponentialMovingAverage(logs, weight);
    for (size_t i = 0; i < out.size(); ++i) out[i] = values[i] > 0.0 ? std::exp(out[i]) : values[i];
    return out;
}

std::vector<double> exponentialMovingAverage(const std::vector<double>& values, double weight) {
    std::vector<double> out;
    out.reserve(values.size());
    double last = 0.0;
    int count = 0;
    for (double v : values) {
        if (!std::isfinite(v)) {
            out.push_back(v);
            continue;
        }
        last = last * weight + (1.0 - weight) * v;
        ++count;
        // Starting from 0 biases the first values low; divide that weight out.
        const double debias = weight == 1.0 ? 1.0 : 1.0 - std::pow(weight, count);
        out.push_back(last / debias);
    }
    return out;
}

namespace {

QCustomPlot* lossChart(const QString& title, const QString& xLabel) {
    auto* plot = new QCustomPlot;
    stylePlot(plot);
    plot->plotLayout()->insertRow(0);
    plot->plotLayout()->addElement(0, 0, new QCPTextElement(plot, title, QFont(plot->font().family(), 10, QFont::Bold)));
    plot->xAxis->setLabel(xLabel);
    plot->yAxis->setLabel(QObject::tr("loss"));
    plot->setMinimumSize(260, 200);
    return plot;
}

QIcon swatch(const QColor& color) {
    QPixmap pixmap(12, 12);
    pixmap.fill(Qt::transparent);
    QPainter painter(&pixmap);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setBrush(color);
    painter.setPen(Qt::NoPen);
    painter.drawRoundedRect(QRectF(1, 1, 10, 10), 2, 2);
    return QIcon(pixmap);
}

void setSeries(QCPGraph* graph, const std::vector<double>& values) {
    QVector<double> keys(static_cast<int>(values.size())), data(values.begin(), values.end());
    for (int i = 0; i < keys.size(); ++i) keys[i] = i + 1;
    graph->setData(keys, data, true);
}

}  // namespace

LossPlot::LossPlot(QWidget* parent) : QWidget(parent) {
    steps_ = lossChart(tr("loss (per optimisation step)"), tr("step"));
    steps_->setObjectName("stepLossPlot");
    epochs_ = lossChart(tr("epoch_loss (mean per epoch)"), tr("epoch"));
    epochs_->setObjectName("epochLossPlot");

    legend_ = new QListWidget;
    legend_->setObjectName("runLegend");
    legend_->setMaximumWidth(180);
    legend_->setToolTip(tr("Runs: untick to hide"));
    connect(legend_, &QListWidget::itemChanged, this,
            [this](QListWidgetItem* item) { setRunVisible(legend_->row(item), item->checkState() == Qt::Checked); });

    smoothingSlider_ = new QSlider(Qt::Horizontal);
    smoothingSlider_->setObjectName("smoothing");
    smoothingSlider_->setRange(0, 99);
    smoothingSlider_->setValue(static_cast<int>(std::lround(smoothing_ * 100)));
    smoothingValue_ = new QLabel;
    smoothingValue_->setMinimumWidth(32);
    smoothingValue_->setText(QString::number(smoothing_, 'f', 2));
    connect(smoothingSlider_, &QSlider::valueChanged, this, [this](int v) { setSmoothing(v / 100.0); });
    logScale_ = new QCheckBox(tr("Log scale"));
    logScale_->setObjectName("logScale");
    connect(logScale_, &QCheckBox::toggled, this, &LossPlot::setLogScale);

    auto* side = new QVBoxLayout;
    side->addWidget(new QLabel(tr("Runs")));
    side->addWidget(legend_, 1);
    side->addWidget(new QLabel(tr("Smoothing")));
    auto* smoothingRow = new QHBoxLayout;
    smoothingRow->addWidget(smoothingSlider_, 1);
    smoothingRow->addWidget(smoothingValue_);
    side->addLayout(smoothingRow);
    side->addWidget(logScale_);
    auto* layout = new QHBoxLayout(this);
    layout->addLayout(side);
    layout->addWidget(steps_, 3);
    layout->addWidget(epochs_, 2);
}

void LossPlot::showRun(int run, const core::TrainingSummary& summary) {
    while (static_cast<int>(runs_.size()) <= run) {
        const int index = static_cast<int>(runs_.size());
        runs_.push_back({});
        const QColor color = runColor(index);
        QColor faint = color;
        faint.setAlpha(70);
        for (QCustomPlot* plot : {steps_, epochs_}) {
            QCPGraph* raw = plot->addGraph();
            raw->setPen(linePen(faint, 1.0));
            raw->setAntialiased(false);  // a faint zigzag of every step: the costliest line, and it looks no better smoothed
            QCPGraph* smooth = plot->addGraph();
            smooth->setPen(linePen(color, 2.0));
        }
        // An epoch's loss is already a mean over its steps, and there are few
        // of them: drawn as they are, in full colour, without smoothing.
        epochs_->graph(2 * index)->setPen(linePen(color, 1.5));
        epochs_->graph(2 * index)->setAntialiased(true);
        epochs_->graph(2 * index)->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, color, 5));
        auto* item = new QListWidgetItem(swatch(color), QString(), legend_);
        item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsUserCheckable);
        item->setCheckState(Qt::Checked);
    }
    const QString label = QString::fromStdString(summary.label);
    const bool renamed = legend_->item(run)->text() != label;
    if (renamed) {
        const QSignalBlocker block(legend_);
        legend_->item(run)->setText(label);
        for (QCustomPlot* plot : {steps_, epochs_}) {
            plot->graph(2 * run)->setName(label);
            plot->graph(2 * run + 1)->setName(label + " (smoothed)");
        }
    }
    // Only a chart whose data changed is drawn again (the epoch chart changes once an epoch).
    Series& series = runs_[run];
    const std::pair<std::vector<double>*, const std::vector<double>*> updates[] = {{&series.stepLoss, &summary.stepLoss},
                                                                                 {&series.epochLoss, &summary.epochLoss}};
    for (int chart = 0; chart < 2; ++chart) {
        auto [kept, fresh] = updates[chart];
        if (*kept == *fresh && !renamed) continue;
        *kept = *fresh;
        draw(run, chart);
        rescale(chart);
    }
}

void LossPlot::draw(int run, int chart) {
    const Series& s = runs_[run];
    QCustomPlot* plot = chart == 0 ? steps_ : epochs_;
    const std::vector<double>& values = chart == 0 ? s.stepLoss : s.epochLoss;
    setSeries(plot->graph(2 * run), values);
    const bool smoothed = chart == 0 && smoothing_ > 0.0;
    const bool logAxis = plot->yAxis->scaleType() == QCPAxis::stLogarithmic;
    setSeries(plot->graph(2 * run + 1), !smoothed ? std::vector<double>{}
                                        : logAxis ? geometricMovingAverage(values, smoothing_)
                                                  : exponentialMovingAverage(values, smoothing_));
    plot->graph(2 * run)->setVisible(s.visible);
    plot->graph(2 * run + 1)->setVisible(s.visible && smoothed);
}

void LossPlot::drawAll() {
    for (int chart = 0; chart < 2; ++chart) {
        for (int run = 0; run < static_cast<int>(runs_.size()); ++run) draw(run, chart);
        rescale(chart);
    }
}

void LossPlot::rescale(int chart) {
    QCustomPlot* plot = chart == 0 ? steps_ : epochs_;
    plot->rescaleAxes(true);
    // A little room above and below, multiplicative on a log axis.
    const QCPRange r = plot->yAxis->range();
    if (plot->yAxis->scaleType() == QCPAxis::stLogarithmic) plot->yAxis->setRange(r.lower / 1.3, r.upper * 1.3);
    else plot->yAxis->setRange(r.lower - 0.05 * r.size(), r.upper + 0.05 * r.size());
    plot->replot(QCustomPlot::rpQueuedReplot);
}

void LossPlot::setSmoothing(double weight) {
    smoothing_ = std::clamp(weight, 0.0, 0.99);
    smoothingValue_->setText(QString::number(smoothing_, 'f', 2));
    const QSignalBlocker block(smoothingSlider_);
    smoothingSlider_->setValue(static_cast<int>(std::lround(smoothing_ * 100)));
    drawAll();
}

void LossPlot::setLogScale(bool on) {
    {
        const QSignalBlocker block(logScale_);
        logScale_->setChecked(on);
    }
    for (QCustomPlot* plot : {steps_, epochs_}) {
        plot->yAxis->setScaleType(on ? QCPAxis::stLogarithmic : QCPAxis::stLinear);
        if (on) plot->yAxis->setTicker(QSharedPointer<QCPAxisTickerLog>::create());
        else plot->yAxis->setTicker(QSharedPointer<QCPAxisTicker>::create());
    }
    drawAll();
}

void LossPlot::setRunVisible(int run, bool visible) {
    if (run < 0 || run >= static_cast<int>(runs_.size())) return;
    runs_[run].visible = visible;
    {
        const QSignalBlocker block(legend_);
        legend_->item(run)->setCheckState(visible ? Qt::Checked : Qt::Unchecked);
    }
    drawAll();
}

}  // namespace ui
