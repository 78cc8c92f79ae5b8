#include "plots/sparkline.h"

#include "plots/probe_plot.h"

#include <qcustomplot.h>

#include <algorithm>

namespace ui {

QPainterPath sparklinePath(const ProbeSeries& series, const QRectF& rect, double seconds) {
    QPainterPath path;
    if (series.samples() == 0 || series.size == 0) return path;
    const double end = series.lastTime(), start = end - seconds;
    const long first = series.firstAtOrAfter(start);
    double lo = 0.0, hi = 0.0;
    for (long s = first; s < series.samples(); ++s) {
        lo = std::min(lo, series.at(s, 0));
        hi = std::max(hi, series.at(s, 0));
    }
    const QCPRange range = valueAxisRange(lo, hi);
    for (long s = first; s < series.samples(); ++s) {
        const QPointF p(rect.left() + rect.width() * (series.times[s] - start) / seconds,
                        rect.bottom() - rect.height() * (series.at(s, 0) - range.lower) / range.size());
        if (s == first)
            path.moveTo(p);
        else
            path.lineTo(p);
    }
    return path;
}

}  // namespace ui
