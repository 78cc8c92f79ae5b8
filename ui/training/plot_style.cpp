#include "training/plot_style.h"

#include <qcustomplot.h>

namespace ui {

QPen linePen(const QColor& color, double width) {
    QPen pen(color, width);
    pen.setCosmetic(true);
    return pen;
}

QColor runColor(int run) {
    // TensorBoard's run palette.
    static const QColor colors[] = {QColor(0xff, 0x70, 0x43), QColor(0x00, 0x77, 0xbb), QColor(0x00, 0x99, 0x88),
                                    QColor(0xee, 0x33, 0x77), QColor(0x33, 0xbb, 0xee), QColor(0xcc, 0x33, 0x11),
                                    QColor(0x88, 0x88, 0x88), QColor(0x66, 0x33, 0x99)};
    return colors[run % std::size(colors)];
}

void stylePlot(QCustomPlot* plot) {
    plot->setBackground(Qt::white);
    for (QCPAxis* axis : {plot->xAxis, plot->yAxis}) {
        axis->grid()->setPen(QPen(QColor(230, 230, 235), 0));
        axis->grid()->setZeroLinePen(Qt::NoPen);
        axis->setBasePen(QPen(QColor(150, 150, 160), 0));
        axis->setTickPen(QPen(QColor(150, 150, 160), 0));
        axis->setSubTickPen(Qt::NoPen);
        axis->setTickLabelColor(QColor(90, 90, 100));
        axis->setLabelColor(QColor(60, 60, 70));
    }
    plot->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
    // Lines drawn as polylines: wiggly loss curves otherwise cost tens of ms per replot.
    plot->setPlottingHint(QCP::phFastPolylines, true);
    plot->axisRect()->setRangeZoom(Qt::Horizontal | Qt::Vertical);
}

}  // namespace ui
