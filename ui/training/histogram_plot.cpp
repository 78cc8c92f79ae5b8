#include "training/histogram_plot.h"

#include <algorithm>
#include <cmath>

namespace ui {

std::vector<int> evenlySpread(int count, int limit) {
    std::vector<int> out;
    if (count <= 0 || limit <= 0) return out;
    if (count <= limit) {
        for (int i = 0; i < count; ++i) out.push_back(i);
        return out;
    }
    if (limit == 1) return {count - 1};
    for (int j = 0; j < limit; ++j) out.push_back(static_cast<int>(std::lround(j * (count - 1.0) / (limit - 1.0))));
    return out;
}

// The histograms as filled outlines, drawn in one pass: QCPCurve's general
// clipping and its antialiased fills cost ten times more, and these redraw live.
class HistogramRidges : public QCPLayerable {
public:
    struct Ridge {
        QPolygonF points;  // in plot coordinates (value, offset + height)
        QColor outline, fill;
    };

    explicit HistogramRidges(QCustomPlot* plot) : QCPLayerable(plot) {}
    std::vector<Ridge> ridges;  // drawn in order: the back first

protected:
    void applyDefaultAntialiasingHint(QCPPainter* painter) const override {
        applyAntialiasingHint(painter, true, QCP::aePlottables);
    }
    QRect clipRect() const override { return parentPlot()->axisRect()->rect(); }
    void draw(QCPPainter* painter) override {
        const QCPAxis* x = parentPlot()->xAxis;
        const QCPAxis* y = parentPlot()->yAxis;
        QPolygonF pixels;
        for (const Ridge& r : ridges) {
            pixels.resize(r.points.size());
            for (qsizetype i = 0; i < r.points.size(); ++i)
                pixels[i] = QPointF(x->coordToPixel(r.points[i].x()), y->coordToPixel(r.points[i].y()));
            // Antialiased fills are the slow part of the raster engine; the antialiased outline hides their edges.
            painter->setRenderHint(QPainter::Antialiasing, false);
            painter->setPen(Qt::NoPen);
            painter->setBrush(r.fill);
            painter->drawPolygon(pixels);
            painter->setRenderHint(QPainter::Antialiasing, true);
            QPen pen(r.outline, 1.0);
            pen.setCosmetic(true);
            painter->setPen(pen);
            painter->setBrush(Qt::NoBrush);
            painter->drawPolyline(pixels);
        }
    }
};

namespace {

QColor blend(const QColor& a, const QColor& b, double t) {
    return QColor::fromRgbF(a.redF() + (b.redF() - a.redF()) * t, a.greenF() + (b.greenF() - a.greenF()) * t,
                            a.blueF() + (b.blueF() - a.blueF()) * t);
}

}  // namespace

HistogramPlot::HistogramPlot(const QString& key, QWidget* parent) : SummaryChart(key, parent) {
    setObjectName("histogram:" + key);
    yAxis->setVisible(false);
    yAxis2->setVisible(true);
    yAxis2->setLabel(tr("step"));
    yAxis2->setBasePen(Qt::NoPen);
    yAxis2->setTickLabelColor(QColor(90, 90, 100));
    yAxis2->setLabelColor(QColor(60, 60, 70));
    connect(yAxis, qOverload<const QCPRange&>(&QCPAxis::rangeChanged), yAxis2, qOverload<const QCPRange&>(&QCPAxis::setRange));
    xAxis->grid()->setVisible(false);
    yAxis->grid()->setVisible(false);
    ridges_ = new HistogramRidges(this);
}

int HistogramPlot::shownCount() const { return static_cast<int>(ridges_->ridges.size()); }

void HistogramPlot::setSamples(const std::vector<core::DistributionSample>& samples, const QColor& color) {
    ridges_->ridges.clear();
    samples_ = static_cast<int>(samples.size());
    const std::vector<int> shown = evenlySpread(static_cast<int>(samples.size()), maxShown);
    if (shown.empty()) {
        replot(rpQueuedReplot);
        return;
    }
    const double first = static_cast<double>(samples[shown.front()].step);
    const double last = static_cast<double>(samples[shown.back()].step);
    const double spacing = shown.size() > 1 ? (last - first) / static_cast<double>(shown.size() - 1) : 1.0;
    double peak = 0.0;
    for (int i : shown) peak = std::max(peak, *std::max_element(samples[i].counts.begin(), samples[i].counts.end()));
    // The tallest histogram overlaps about three of its neighbours, as TensorBoard's do.
    const double height = 3.0 * (spacing > 0 ? spacing : 1.0) / (peak > 0 ? peak : 1.0);

    auto ticker = QSharedPointer<QCPAxisTickerText>::create();
    const int labelEvery = std::max<int>(1, static_cast<int>(shown.size()) / 6);
    double xMin = INFINITY, xMax = -INFINITY;
    for (size_t j = 0; j < shown.size(); ++j) {
        const core::DistributionSample& s = samples[shown[j]];
        const double base = last - static_cast<double>(s.step);  // the newest at the bottom
        HistogramRidges::Ridge ridge;
        ridge.points << QPointF(s.edges.front(), base);
        for (size_t b = 0; b < s.counts.size(); ++b)
            ridge.points << QPointF(0.5 * (s.edges[b] + s.edges[b + 1]), base + s.counts[b] * height);
        ridge.points << QPointF(s.edges.back(), base);
        xMin = std::min(xMin, s.edges.front());
        xMax = std::max(xMax, s.edges.back());
        // Older outlines fade towards the background; every fill hides what lies behind it.
        const double age = shown.size() > 1 ? 1.0 - static_cast<double>(j) / static_cast<double>(shown.size() - 1) : 0.0;
        ridge.outline = blend(color.darker(110), Qt::white, 0.7 * age);
        ridge.fill = blend(color, Qt::white, 0.82 + 0.12 * age);
        ridges_->ridges.push_back(std::move(ridge));
        if ((shown.size() - 1 - j) % static_cast<size_t>(labelEvery) == 0) ticker->addTick(base, QString::number(s.step));
    }
    yAxis2->setTicker(ticker);
    xAxis->setRange(xMin, xMax);
    yAxis->setRange(-0.1 * height * peak, (last - first) + 1.15 * height * peak);
    replot(rpQueuedReplot);
}

}  // namespace ui
