#include "ensemble_view.h"

#include "common/error.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QFutureWatcher>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QScrollArea>
#include <QSignalBlocker>
#include <QSpinBox>
#include <QTimer>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>
#include <qcustomplot.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <optional>
#include <utility>
#include <variant>

namespace ui {

// What a background computation hands back: the analysis or why there is none.
struct EnsembleAnalysisOutcome {
    std::optional<core::EnsembleAnalysis> analysis;
    QString error;
};

namespace {

constexpr int kEditDelayMs = 150;  // a spin box's auto-repeat settles into one edit
constexpr int kPlotHeight = 320;

QString describe(const core::Error& e) {
    QString where = QString::fromStdString(e.object());
    if (!e.field().empty()) where += QString(where.isEmpty() ? "%1" : " (%1)").arg(QString::fromStdString(e.field()));
    return where.isEmpty() ? QString::fromStdString(e.message()) : where + ": " + QString::fromStdString(e.message());
}

EnsembleAnalysisOutcome analyse(const core::Network& network, const std::string& id) {
    try {
        return {core::analyseEnsemble(network, id), {}};
    } catch (const core::Error& e) {
        return {std::nullopt, describe(e)};
    } catch (const std::exception& e) {
        return {std::nullopt, QString::fromUtf8(e.what())};
    }
}

// One value of each neuron type with its default parameters, in the variant's order.
const std::vector<core::NeuronType>& defaultNeuronTypes() {
    static const std::vector<core::NeuronType> types = []<size_t... I>(std::index_sequence<I...>) {
        return std::vector<core::NeuronType>{core::NeuronType(std::in_place_index<I>)...};
    }(std::make_index_sequence<std::variant_size_v<core::NeuronType>>{});
    return types;
}

QString nameOf(const std::string& id, const std::string& label) {
    return QString::fromStdString(label.empty() ? id : label);
}

// "f(x) = x^2", "f(x) = (x0*x1, x0)"; just "f(x)" for the identity or given targets.
QString functionText(const core::DecodingQuality& quality) {
    QStringList expressions;
    for (const std::string& e : quality.functionExpressions) expressions << QString::fromStdString(e);
    if (expressions.isEmpty()) return QObject::tr("f(x)");
    const QString joined = expressions.join(", ");
    return QObject::tr("f(x) = %1").arg(expressions.size() > 1 ? "(" + joined + ")" : joined);
}

QVector<double> toQVector(const double* data, Eigen::Index n) { return QVector<double>(data, data + n); }

// Colours from Matplotlib's tab10, which students know from Nengo's notebooks.
QColor paletteColour(int i) {
    static const QColor colours[] = {{31, 119, 180}, {214, 39, 40},  {44, 160, 44},   {148, 103, 189},
                                     {255, 127, 14}, {140, 86, 75},  {227, 119, 194}, {23, 190, 207}};
    return colours[i % 8];
}
const QColor kOnColour(31, 119, 180);  // encoder +1: fires more as x rises
const QColor kOffColour(255, 127, 14);  // encoder -1: fires more as x falls

QCustomPlot* makePlot(QWidget* parent) {
    auto* plot = new QCustomPlot(parent);
    plot->setMinimumHeight(kPlotHeight);
    plot->setAutoAddPlottableToLegend(false);
    plot->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
    plot->plotLayout()->insertRow(0);
    QFont titleFont = plot->font();
    titleFont.setPointSizeF(titleFont.pointSizeF() + 1.5);
    titleFont.setBold(true);
    plot->plotLayout()->addElement(0, 0, new QCPTextElement(plot, QString(), titleFont));
    plot->legend->setVisible(true);
    plot->legend->setBrush(QColor(255, 255, 255, 220));
    plot->legend->setBorderPen(QPen(QColor(190, 190, 190)));
    plot->legend->setFillOrder(QCPLayoutGrid::foColumnsFirst);  // one row, above the curves
    plot->axisRect()->insetLayout()->setInsetAlignment(0, Qt::AlignTop | Qt::AlignHCenter);
    return plot;
}

void setTitle(QCustomPlot* plot, const QString& text) {
    static_cast<QCPTextElement*>(plot->plotLayout()->element(0, 0))->setText(text);
}

// Leaves the plot empty with a title saying why.
void clearPlot(QCustomPlot* plot, const QString& title) {
    plot->clearGraphs();
    setTitle(plot, title);
    plot->replot();
}

QCPGraph* addLine(QCustomPlot* plot, const QVector<double>& x, const QVector<double>& y, const QPen& pen) {
    QCPGraph* g = plot->addGraph();
    g->setData(x, y, true);
    g->setPen(pen);
    return g;
}

QDoubleSpinBox* doubleSpin(const QString& objectName, double low, double high, int decimals, double step) {
    auto* spin = new QDoubleSpinBox;
    spin->setObjectName(objectName);
    spin->setRange(low, high);
    spin->setDecimals(decimals);
    spin->setSingleStep(step);
    spin->setKeyboardTracking(false);
    return spin;
}

QWidget* rangeRow(QWidget* low, QWidget* high) {
    auto* row = new QWidget;
    auto* layout = new QHBoxLayout(row);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(low, 1);
    layout->addWidget(new QLabel(QObject::tr("to")));
    layout->addWidget(high, 1);
    return row;
}

// The shown range of a Uniform distribution; Nengo's default range stands in
// for any other kind (editing the range then replaces it by a Uniform).
std::pair<double, double> uniformRange(const core::Distribution& d, core::Uniform fallback) {
    const auto* u = std::get_if<core::Uniform>(&d);
    return u ? std::pair(u->low, u->high) : std::pair(fallback.low, fallback.high);
}

}  // namespace

EnsembleView::EnsembleView(QWidget* parent) : QWidget(parent) {
    editTimer_ = new QTimer(this);
    editTimer_->setSingleShot(true);
    editTimer_->setInterval(kEditDelayMs);

    auto* plots = new QWidget;
    plotsLayout_ = new QVBoxLayout(plots);
    heading_ = new QLabel;
    heading_->setObjectName("heading");
    heading_->setWordWrap(true);
    tuningPlot_ = makePlot(plots);
    tuningPlot_->setObjectName("tuningPlot");
    noDecodingNote_ = new QLabel(tr("This ensemble has no outgoing decoded connection. Connect it to an ensemble "
                                    "or a node, with a function, to see how well its neurons decode it."));
    noDecodingNote_->setWordWrap(true);
    noDecodingNote_->hide();
    plotsLayout_->addWidget(heading_);
    plotsLayout_->addWidget(tuningPlot_);
    plotsLayout_->addWidget(noDecodingNote_);
    plotsLayout_->addStretch(1);
    auto* scroll = new QScrollArea;
    scroll->setWidget(plots);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);

    auto* layout = new QHBoxLayout(this);
    layout->addWidget(createControls());
    layout->addWidget(scroll, 1);
    connectControls();
}

QWidget* EnsembleView::createControls() {
    neuronCount_ = new QSpinBox;
    neuronCount_->setObjectName("neuronCount");
    neuronCount_->setRange(1, 5000);
    neuronCount_->setKeyboardTracking(false);
    neuronType_ = new QComboBox;
    neuronType_->setObjectName("neuronType");
    for (const core::NeuronType& type : defaultNeuronTypes())
        neuronType_->addItem(QString::fromStdString(core::neuronTypeName(type)));
    radius_ = doubleSpin("radius", 0.01, 1000.0, 2, 0.1);
    interceptLow_ = doubleSpin("interceptLow", -1.0, 0.99, 2, 0.05);
    interceptHigh_ = doubleSpin("interceptHigh", -1.0, 0.99, 2, 0.05);
    maxRateLow_ = doubleSpin("maxRateLow", 1.0, 2000.0, 0, 10.0);
    maxRateHigh_ = doubleSpin("maxRateHigh", 1.0, 2000.0, 0, 10.0);

    auto* box = new QGroupBox(tr("Ensemble parameters"));
    auto* form = new QFormLayout(box);
    form->addRow(tr("Neurons"), neuronCount_);
    form->addRow(tr("Neuron type"), neuronType_);
    form->addRow(tr("Radius"), radius_);
    form->addRow(tr("Intercepts"), rangeRow(interceptLow_, interceptHigh_));
    form->addRow(tr("Max rates (Hz)"), rangeRow(maxRateLow_, maxRateHigh_));

    auto* hint = new QLabel(tr("Intercepts and max rates are drawn uniformly from their ranges. An intercept is "
                               "where, along its encoder and in units of the radius, a neuron starts to fire; "
                               "its max rate is its rate at the radius."));
    hint->setWordWrap(true);
    hint->setStyleSheet("color: #555;");
    status_ = new QLabel;
    status_->setObjectName("status");
    status_->setWordWrap(true);
    status_->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto* panel = new QWidget;
    panel->setFixedWidth(290);
    auto* layout = new QVBoxLayout(panel);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(box);
    layout->addWidget(hint);
    layout->addWidget(status_);
    layout->addStretch(1);
    return panel;
}

void EnsembleView::connectControls() {
    connect(neuronCount_, &QSpinBox::valueChanged, this, [this](int n) {
        pending_.nNeurons = n;
        editSoon();
    });
    connect(neuronType_, &QComboBox::currentIndexChanged, this, [this](int i) {
        // Coming back to the ensemble's own type keeps its parameters.
        const core::Ensemble* shown = core::findEnsemble(network_, id_);
        const bool own = shown && static_cast<size_t>(i) == shown->neuronType.index();
        pending_.neuronType = own ? shown->neuronType : defaultNeuronTypes()[static_cast<size_t>(i)];
        editSoon();
    });
    connect(radius_, &QDoubleSpinBox::valueChanged, this, [this](double r) {
        pending_.radius = r;
        editSoon();
    });
    const auto intercepts = [this] {
        pending_.intercepts = core::Uniform{interceptLow_->value(), interceptHigh_->value()};
        editSoon();
    };
    connect(interceptLow_, &QDoubleSpinBox::valueChanged, this, intercepts);
    connect(interceptHigh_, &QDoubleSpinBox::valueChanged, this, intercepts);
    const auto maxRates = [this] {
        pending_.maxRates = core::Uniform{maxRateLow_->value(), maxRateHigh_->value()};
        editSoon();
    };
    connect(maxRateLow_, &QDoubleSpinBox::valueChanged, this, maxRates);
    connect(maxRateHigh_, &QDoubleSpinBox::valueChanged, this, maxRates);
    connect(editTimer_, &QTimer::timeout, this, &EnsembleView::applyEdit);
}

void EnsembleView::setEnsemble(const core::Network& network, const std::string& id) {
    if (editTimer_->isActive()) {  // an edit still settling is not lost
        editTimer_->stop();
        applyEdit();
    }
    if (generation_ > 0 && id == id_ && network == network_) return;
    network_ = network;
    id_ = id;
    const core::Ensemble* ensemble = core::findEnsemble(network_, id_);
    for (QWidget* control : controls()) control->setEnabled(ensemble != nullptr);
    if (ensemble) loadControls(*ensemble);
    recompute();  // also reports a missing ensemble
}

void EnsembleView::loadControls(const core::Ensemble& ensemble) {
    pending_ = ensemble;
    std::vector<std::unique_ptr<QSignalBlocker>> blockers;  // showing values is not editing them
    for (QWidget* control : controls()) blockers.push_back(std::make_unique<QSignalBlocker>(control));
    neuronCount_->setValue(ensemble.nNeurons);
    neuronType_->setCurrentIndex(static_cast<int>(ensemble.neuronType.index()));
    radius_->setValue(ensemble.radius);
    const core::Ensemble defaults;
    const auto [interceptLow, interceptHigh] = uniformRange(ensemble.intercepts, std::get<core::Uniform>(defaults.intercepts));
    interceptLow_->setValue(interceptLow);
    interceptHigh_->setValue(interceptHigh);
    const auto [rateLow, rateHigh] = uniformRange(ensemble.maxRates, std::get<core::Uniform>(defaults.maxRates));
    maxRateLow_->setValue(rateLow);
    maxRateHigh_->setValue(rateHigh);
    // Trained or frozen ensembles carry their gains and biases: no intercepts or max rates apply.
    const bool sampled = !ensemble.gain && !ensemble.bias;
    const QString why = sampled ? QString() : tr("This ensemble has explicit gains and biases (trained or frozen).");
    for (QDoubleSpinBox* spin : {interceptLow_, interceptHigh_, maxRateLow_, maxRateHigh_}) {
        spin->setEnabled(sampled);
        spin->setToolTip(why);
    }
}

std::vector<QWidget*> EnsembleView::controls() const {
    return {neuronCount_, neuronType_, radius_, interceptLow_, interceptHigh_, maxRateLow_, maxRateHigh_};
}

void EnsembleView::editSoon() { editTimer_->start(); }

void EnsembleView::applyEdit() {
    core::Ensemble* shown = core::findEnsemble(network_, id_);
    if (!shown || *shown == pending_) return;
    *shown = pending_;
    emit ensembleEdited(pending_);
    recompute();
}

void EnsembleView::recompute() {
    const quint64 generation = ++generation_;
    status_->setText(tr("Computing…"));
    status_->setStyleSheet({});
    auto* watcher = new QFutureWatcher<EnsembleAnalysisOutcome>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, generation] {
        watcher->deleteLater();
        if (generation != generation_) return;  // a newer computation supersedes this one
        shownGeneration_ = generation;
        showOutcome(watcher->result());
    });
    watcher->setFuture(QtConcurrent::run(analyse, network_, id_));
}

void EnsembleView::showOutcome(const EnsembleAnalysisOutcome& outcome) {
    const core::Ensemble* ensemble = core::findEnsemble(network_, id_);
    if (!outcome.analysis || !ensemble) {
        status_->setText(outcome.error);
        status_->setStyleSheet("color: #b00020;");
        heading_->setText(tr("<b>%1</b> cannot be built").arg(QString::fromStdString(id_).toHtmlEscaped()));
        clearPlot(tuningPlot_, tr("No tuning curves: see the message on the left"));
        setDecodingPlotCount(0);
        noDecodingNote_->hide();
        emit analysisShown();
        return;
    }
    status_->clear();
    const core::EnsembleAnalysis& analysis = *outcome.analysis;
    heading_->setText(tr("<b>%1</b>: %2 %3 neurons representing a %4-D value, radius %5")
                          .arg(nameOf(ensemble->id, ensemble->label).toHtmlEscaped())
                          .arg(ensemble->nNeurons)
                          .arg(QString::fromStdString(core::neuronTypeName(ensemble->neuronType)))
                          .arg(ensemble->dimensions)
                          .arg(ensemble->radius));
    showTuning(*ensemble, analysis);
    setDecodingPlotCount(static_cast<int>(analysis.decoding.size()));
    for (size_t i = 0; i < analysis.decoding.size(); ++i)
        showDecoding(analysis.decoding[i], *ensemble, decodingPlots_[i]);
    noDecodingNote_->setVisible(analysis.decoding.empty());
    emit analysisShown();
}

void EnsembleView::showTuning(const core::Ensemble& ensemble, const core::EnsembleAnalysis& analysis) {
    QCustomPlot* plot = tuningPlot_;
    plot->clearGraphs();
    const core::TuningCurves& curves = analysis.tuning;
    const QVector<double> x(curves.x.begin(), curves.x.end());
    const bool oneD = analysis.ensemble.dimensions == 1;
    const int n = static_cast<int>(curves.rates.cols());
    const int alpha = n > 200 ? 80 : 170;  // many curves: lighter, so their density shows
    bool onInLegend = false, offInLegend = false;
    for (int j = 0; j < n; ++j) {
        const bool on = analysis.ensemble.encoders(j, 0) > 0.0;
        QColor colour = oneD ? (on ? kOnColour : kOffColour) : paletteColour(j);
        colour.setAlpha(alpha);
        QCPGraph* g = addLine(plot, x, toQVector(curves.rates.col(j).data(), curves.rates.rows()), QPen(colour, 1.3));
        if (!oneD && j == 0) {
            g->setName(tr("one neuron, along its encoder"));
            g->addToLegend();
        } else if (oneD && on && !onInLegend) {
            g->setName(tr("encoder +1: fires more as x rises"));
            onInLegend = g->addToLegend();
        } else if (oneD && !on && !offInLegend) {
            g->setName(tr("encoder −1: fires more as x falls"));
            offInLegend = g->addToLegend();
        }
    }
    plot->xAxis->setLabel(oneD ? tr("x (represented value)") : tr("x · encoder (along each neuron's preferred direction)"));
    plot->yAxis->setLabel(tr("firing rate (Hz)"));
    plot->xAxis->setRange(-ensemble.radius, ensemble.radius);
    const double top = curves.rates.size() > 0 ? curves.rates.maxCoeff() : 1.0;
    const double bottom = curves.rates.size() > 0 ? std::min(0.0, curves.rates.minCoeff()) : 0.0;
    plot->yAxis->setRange(bottom, top > bottom ? top + 0.2 * (top - bottom) : bottom + 1.0);  // room for the legend
    const QString spikingNote = core::isSpiking(ensemble.neuronType) ? tr(" (steady-state rates of the spiking neurons)") : QString();
    setTitle(plot, tr("Tuning curves of %1: %2 %3 neurons%4")
                       .arg(nameOf(ensemble.id, ensemble.label))
                       .arg(n)
                       .arg(QString::fromStdString(core::neuronTypeName(ensemble.neuronType)))
                       .arg(spikingNote));
    plot->replot();
}

void EnsembleView::showDecoding(const core::DecodingQuality& quality, const core::Ensemble& pre, QCustomPlot* plot) {
    plot->clearGraphs();
    // A 1-D pre plots target and estimate along x; otherwise estimate against target.
    const bool alongX = pre.dimensions == 1;
    const Eigen::Index points = quality.target.rows();
    const Eigen::Index outputs = quality.target.cols();
    const auto targetName = [&](Eigen::Index k) {
        const QString index = outputs > 1 ? QString("[%1]").arg(k) : QString();
        return k < static_cast<Eigen::Index>(quality.functionExpressions.size())
                   ? tr("f(x)%1 = %2").arg(index, QString::fromStdString(quality.functionExpressions[k]))
                   : tr("f(x)%1").arg(index);
    };
    for (Eigen::Index k = 0; k < outputs; ++k) {
        const QVector<double> target = toQVector(quality.target.col(k).data(), points);
        const QVector<double> decoded = toQVector(quality.decoded.col(k).data(), points);
        if (alongX) {
            const QVector<double> x = toQVector(quality.evalPoints.col(0).data(), points);
            QPen targetPen(QColor(30, 30, 30), 2.4, Qt::DashLine);
            addLine(plot, x, target, targetPen)->setName(tr("target %1").arg(targetName(k)));
            addLine(plot, x, decoded, QPen(paletteColour(static_cast<int>(k) + 1), 1.8))
                ->setName(tr("decoded estimate%1").arg(outputs > 1 ? QString(" [%1]").arg(k) : QString()));
        } else {
            QCPGraph* g = plot->addGraph();
            g->setData(target, decoded);
            g->setLineStyle(QCPGraph::lsNone);
            QColor colour = paletteColour(static_cast<int>(k) + 1);
            colour.setAlpha(140);
            g->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, colour, colour, 4));
            g->setName(tr("decoded against target %1").arg(targetName(k)));
        }
    }
    for (int i = 0; i < plot->graphCount(); ++i) plot->graph(i)->addToLegend();
    if (alongX) {
        plot->xAxis->setLabel(tr("x (represented value)"));
        plot->yAxis->setLabel(tr("value"));
    } else {
        const double low = std::min(quality.target.minCoeff(), quality.decoded.minCoeff());
        const double high = std::max(quality.target.maxCoeff(), quality.decoded.maxCoeff());
        addLine(plot, {low, high}, {low, high}, QPen(QColor(120, 120, 120), 1.2, Qt::DashLine))->setName(tr("perfect decoding"));
        plot->graph(plot->graphCount() - 1)->addToLegend();
        plot->xAxis->setLabel(tr("target f(x)"));
        plot->yAxis->setLabel(tr("decoded estimate"));
    }
    plot->rescaleAxes();
    if (alongX) plot->xAxis->setRange(plot->xAxis->range().expanded(QCPRange(-pre.radius, pre.radius)));
    const QCPRange y = plot->yAxis->range();
    plot->yAxis->setRange(y.lower - 0.05 * y.size(), y.upper + 0.25 * y.size());  // room for the legend
    setTitle(plot, tr("%1: decoding %2 (RMS error %3)")
                       .arg(nameOf(quality.connectionId, quality.connectionLabel))
                       .arg(functionText(quality))
                       .arg(quality.rmsError, 0, 'g', 3));
    plot->replot();
}

void EnsembleView::setDecodingPlotCount(int count) {
    while (static_cast<int>(decodingPlots_.size()) > count) {
        delete decodingPlots_.back();
        decodingPlots_.pop_back();
    }
    while (static_cast<int>(decodingPlots_.size()) < count) {
        QCustomPlot* plot = makePlot(nullptr);
        plot->setObjectName(QString("decodingPlot%1").arg(decodingPlots_.size()));
        // After the heading, the tuning plot and the earlier decoding plots.
        plotsLayout_->insertWidget(2 + static_cast<int>(decodingPlots_.size()), plot);
        plot->show();
        decodingPlots_.push_back(plot);
    }
}

}  // namespace ui
