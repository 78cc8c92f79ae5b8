#pragma once
// The look shared by the training plots: TensorBoard's run colours, light
// grids, and mouse zoom and pan.
#include <QColor>
#include <QPen>

class QCustomPlot;

namespace ui {

// Run i's colour, the same in every plot.
QColor runColor(int run);

// A line pen that the raster engine draws fast (cosmetic: width in pixels,
// untouched by transforms); thick non-cosmetic pens go through the stroker.
QPen linePen(const QColor& color, double width);

// White background, light grid, readable ticks; drag and wheel zoom.
void stylePlot(QCustomPlot* plot);

}  // namespace ui
