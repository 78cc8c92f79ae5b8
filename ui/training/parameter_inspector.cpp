#include "training/parameter_inspector.h"

#include "training/plot_style.h"

#include <qcustomplot.h>

#include <QAbstractTableModel>
#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

namespace ui {

// A matrix as a read-only table; cells are formatted only when drawn, so a
// large weight matrix costs nothing until it is scrolled to.
class MatrixTableModel : public QAbstractTableModel {
public:
    using QAbstractTableModel::QAbstractTableModel;

    void setMatrix(const core::Matrix& m) {
        beginResetModel();
        matrix_ = m;
        endResetModel();
    }
    int rowCount(const QModelIndex& = {}) const override { return static_cast<int>(matrix_.rows()); }
    int columnCount(const QModelIndex& = {}) const override { return static_cast<int>(matrix_.cols()); }
    QVariant data(const QModelIndex& index, int role) const override {
        if (role == Qt::DisplayRole) return QString::number(matrix_(index.row(), index.column()), 'g', 6);
        if (role == Qt::TextAlignmentRole) return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    }
    QVariant headerData(int section, Qt::Orientation, int role) const override {
        return role == Qt::DisplayRole ? QVariant(section) : QVariant();
    }

private:
    core::Matrix matrix_;
};

ParameterInspector::ParameterInspector(QWidget* parent) : QWidget(parent) {
    parameter_ = new QComboBox;
    parameter_->setObjectName("parameterChoice");
    parameter_->setMinimumWidth(220);
    view_ = new QComboBox;
    view_->setObjectName("parameterView");
    view_->addItems({tr("Trained"), tr("As built (before training)"), tr("Difference (trained − built)")});
    stats_ = new QLabel;
    connect(parameter_, &QComboBox::currentIndexChanged, this, &ParameterInspector::refresh);
    connect(view_, &QComboBox::currentIndexChanged, this, &ParameterInspector::refresh);

    model_ = new MatrixTableModel(this);
    table_ = new QTableView;
    table_->setModel(model_);
    table_->horizontalHeader()->setDefaultSectionSize(90);
    table_->verticalHeader()->setDefaultSectionSize(22);
    table_->horizontalHeader()->setStretchLastSection(true);

    heatmap_ = new QCustomPlot;
    heatmap_->setObjectName("parameterHeatmap");
    stylePlot(heatmap_);
    heatmap_->xAxis->setLabel(tr("column"));
    heatmap_->yAxis->setLabel(tr("row"));
    heatmap_->yAxis->setRangeReversed(true);  // row 0 at the top, as in the table
    for (QCPAxis* axis : {heatmap_->xAxis, heatmap_->yAxis}) {
        auto ticker = QSharedPointer<QCPAxisTickerFixed>::create();  // whole rows and columns only
        ticker->setTickStep(1.0);
        ticker->setScaleStrategy(QCPAxisTickerFixed::ssMultiples);
        axis->setTicker(ticker);
    }
    colorMap_ = new QCPColorMap(heatmap_->xAxis, heatmap_->yAxis);
    colorMap_->setInterpolate(false);  // one flat cell per value
    colorScale_ = new QCPColorScale(heatmap_);
    heatmap_->plotLayout()->addElement(0, 1, colorScale_);
    colorMap_->setColorScale(colorScale_);
    // Parameters are signed: a diverging map, white at zero.
    QCPColorGradient diverging;
    diverging.setColorStopAt(0.0, QColor(33, 102, 172));
    diverging.setColorStopAt(0.5, Qt::white);
    diverging.setColorStopAt(1.0, QColor(178, 24, 43));
    colorMap_->setGradient(diverging);
    auto* margins = new QCPMarginGroup(heatmap_);
    heatmap_->axisRect()->setMarginGroup(QCP::msBottom | QCP::msTop, margins);
    colorScale_->setMarginGroup(QCP::msBottom | QCP::msTop, margins);

    auto* top = new QHBoxLayout;
    top->addWidget(new QLabel(tr("Parameter")));
    top->addWidget(parameter_);
    top->addWidget(new QLabel(tr("Show")));
    top->addWidget(view_);
    top->addWidget(stats_, 1);
    auto* split = new QSplitter;
    split->addWidget(table_);
    split->addWidget(heatmap_);
    split->setStretchFactor(0, 1);
    split->setStretchFactor(1, 2);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(split, 1);
}

void ParameterInspector::setParameters(const std::vector<core::ParameterArray>& before,
                                       const std::vector<core::ParameterArray>& after) {
    before_ = before;
    after_ = after;
    const int previous = parameter_->currentIndex();
    {
        const QSignalBlocker block(parameter_);
        parameter_->clear();
        for (const auto& p : after_)
            parameter_->addItem(QString("%1 / %2  (%3 × %4)")
                                    .arg(QString::fromStdString(p.objectId), QString::fromStdString(p.name))
                                    .arg(p.value.rows())
                                    .arg(p.value.cols()));
        parameter_->setCurrentIndex(std::clamp(previous, 0, parameter_->count() - 1));
    }
    // Filling the table and the heatmap waits until they are on screen.
    if (isVisible()) refresh();
    else stale_ = true;
}

void ParameterInspector::showEvent(QShowEvent* event) {
    QWidget::showEvent(event);
    if (stale_) refresh();
}

void ParameterInspector::choose(int parameter, View view) {
    const QSignalBlocker block(parameter_);
    parameter_->setCurrentIndex(parameter);
    view_->setCurrentIndex(static_cast<int>(view));  // refreshes
    refresh();
}

void ParameterInspector::refresh() {
    stale_ = false;
    const int i = parameter_->currentIndex();
    const bool comparable = i >= 0 && i < static_cast<int>(before_.size()) &&
                            before_[i].value.rows() == after_[i].value.rows() && before_[i].value.cols() == after_[i].value.cols();
    const auto view = static_cast<View>(view_->currentIndex());
    if (i < 0) shown_ = core::Matrix();
    else if (view == View::Trained || !comparable) shown_ = after_[i].value;
    else if (view == View::AsBuilt) shown_ = before_[i].value;
    else shown_ = after_[i].value - before_[i].value;
    model_->setMatrix(shown_);

    const double extent = shown_.size() ? shown_.cwiseAbs().maxCoeff() : 0.0;
    QString stats = shown_.size() ? tr("min %1, max %2, mean %3").arg(shown_.minCoeff(), 0, 'g', 4).arg(shown_.maxCoeff(), 0, 'g', 4).arg(shown_.mean(), 0, 'g', 4)
                                  : tr("Train or load parameters to inspect them.");
    if (i >= 0 && view != View::Trained && !comparable) stats = tr("Nothing to compare with: showing the trained values. ") + stats;
    stats_->setText(stats);

    colorMap_->data()->setSize(static_cast<int>(shown_.cols()), static_cast<int>(shown_.rows()));
    // Cell centres at 0 ... n - 1; a single cell spans -0.5 ... 0.5 (a zero-width range draws nothing).
    auto centres = [](Eigen::Index n) { return n > 1 ? QCPRange(0, static_cast<double>(n - 1)) : QCPRange(-0.5, 0.5); };
    colorMap_->data()->setRange(centres(shown_.cols()), centres(shown_.rows()));
    for (int r = 0; r < shown_.rows(); ++r)
        for (int c = 0; c < shown_.cols(); ++c) colorMap_->data()->setCell(c, r, shown_(r, c));
    colorMap_->setDataRange(QCPRange(-std::max(extent, 1e-12), std::max(extent, 1e-12)));
    heatmap_->xAxis->setRange(-0.5, shown_.cols() - 0.5);
    heatmap_->yAxis->setRange(-0.5, shown_.rows() - 0.5);
    heatmap_->replot(QCustomPlot::rpQueuedReplot);
}

}  // namespace ui
