#include "plots/xy_plot.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QSignalBlocker>
#include <qcustomplot.h>

#include <algorithm>
#include <cmath>

namespace ui {

XyPlot::XyPlot(QWidget* parent)
    : ProbePlot(parent), choices_(new QWidget(this)), xChoice_(new QComboBox), yChoice_(new QComboBox) {
    auto* row = new QHBoxLayout(choices_);
    row->setContentsMargins(4, 0, 4, 0);
    row->addWidget(new QLabel(tr("x:")));
    row->addWidget(xChoice_, 1);
    row->addWidget(new QLabel(tr("y:")));
    row->addWidget(yChoice_, 1);
    layout_->insertWidget(0, choices_);
    choices_->hide();
    auto chosen = [this] { setDimensions(xChoice_->currentIndex(), yChoice_->currentIndex()); };
    connect(xChoice_, &QComboBox::currentIndexChanged, this, chosen);
    connect(yChoice_, &QComboBox::currentIndexChanged, this, chosen);
}

void XyPlot::setDimensions(int x, int y) {
    if (x == x_ && y == y_) return;
    x_ = x;
    y_ = y;
    const QSignalBlocker bx(xChoice_), by(yChoice_);
    xChoice_->setCurrentIndex(x);
    yChoice_->setCurrentIndex(y);
    const QStringList names = dimensionNames(probe());
    if (x < names.size() && y < names.size()) {
        plot_->xAxis->setLabel(names[x]);
        plot_->yAxis->setLabel(names[y]);
    }
    emit redrawRequested();
}

void XyPlot::layOut() {
    tail_.clear();
    head_ = nullptr;
    const QStringList names = dimensionNames(probe());
    {
        const QSignalBlocker bx(xChoice_), by(yChoice_);
        xChoice_->clear();
        yChoice_->clear();
        xChoice_->addItems(names);
        yChoice_->addItems(names);
    }
    choices_->setVisible(probe().size > 2);
    plot_->xAxis->setLabel(QString());
    plot_->yAxis->setLabel(QString());
    if (probe().size < 2) {
        auto* notice = new QCPItemText(plot_);
        notice->position->setType(QCPItemPosition::ptAxisRectRatio);
        notice->position->setCoords(0.5, 0.5);
        notice->setText(tr("An XY plot needs a value with two or more dimensions"));
        return;
    }
    x_ = std::min(x_, probe().size - 1);
    y_ = std::min(y_, probe().size - 1);
    if (x_ == y_) x_ = 0, y_ = 1;
    xChoice_->setCurrentIndex(x_);
    yChoice_->setCurrentIndex(y_);
    plot_->xAxis->setLabel(names[x_]);
    plot_->yAxis->setLabel(names[y_]);
    for (int k = 0; k < kTailSegments; ++k) {
        auto* piece = new QCPCurve(plot_->xAxis, plot_->yAxis);
        QColor c = seriesColor(0);
        c.setAlphaF(0.15 + 0.85 * (k + 1) / kTailSegments);
        piece->setPen(QPen(c, 1.5));
        tail_.append(piece);
    }
    head_ = new QCPCurve(plot_->xAxis, plot_->yAxis);
    head_->setLineStyle(QCPCurve::lsNone);
    head_->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, seriesColor(0), 8));
}

void XyPlot::showSeries(const ProbeSeries& series, double window) {
    if (!head_ || series.size <= std::max(x_, y_)) return;
    const long first = series.firstAtOrAfter(series.lastTime() - window);
    const long n = series.samples() - first;
    double extent = 0.0;
    for (int k = 0; k < kTailSegments; ++k) {
        QVector<double> xs, ys;
        if (n > 0) {
            const long from = first + k * (n - 1) / kTailSegments, to = first + (k + 1) * (n - 1) / kTailSegments;
            for (long s = from; s <= to; ++s) {
                xs.append(series.at(s, x_));
                ys.append(series.at(s, y_));
                extent = std::max({extent, std::abs(xs.back()), std::abs(ys.back())});
            }
        }
        tail_[k]->setData(xs, ys);
    }
    if (n > 0)
        head_->setData(QVector<double>{series.at(series.samples() - 1, x_)}, QVector<double>{series.at(series.samples() - 1, y_)});
    else
        head_->data()->clear();
    const QCPRange range = valueAxisRange(-extent, extent);
    plot_->xAxis->setRange(range);
    plot_->yAxis->setRange(range);
    keepAspectRatio();
    plot_->replot(QCustomPlot::rpQueuedReplot);
}

// One unit is as long on both axes (a circle looks round): the longer side of the plot gets the wider range.
void XyPlot::keepAspectRatio() {
    const QRect r = plot_->axisRect()->rect();
    if (r.width() <= 0 || r.height() <= 0) return;
    if (r.width() >= r.height())
        plot_->xAxis->setScaleRatio(plot_->yAxis, 1.0);
    else
        plot_->yAxis->setScaleRatio(plot_->xAxis, 1.0);
}

}  // namespace ui
