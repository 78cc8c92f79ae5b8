#pragma once
#include "simulation/probe_series.h"

#include <QPainterPath>
#include <QRectF>

namespace ui {

// The last `seconds` of a probe's first dimension as a line filling `rect`,
// for drawing on a canvas item: time left to right, the value's range (at
// least -1..1) bottom to top. Empty while the series is.
QPainterPath sparklinePath(const ProbeSeries& series, const QRectF& rect, double seconds = 1.0);

}  // namespace ui
