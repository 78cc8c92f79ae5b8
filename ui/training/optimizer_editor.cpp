#include "training/optimizer_editor.h"

#include "training/number_field.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFormLayout>
#include <QSignalBlocker>
#include <QStackedWidget>
#include <QVBoxLayout>

namespace ui {

namespace {
// The settings of type T, or T's defaults when another type is chosen.
template <class T>
T shownOr(const core::OptimizerSettings& settings) {
    const T* chosen = std::get_if<T>(&settings);
    return chosen ? *chosen : T{};
}
}  // namespace

OptimizerEditor::OptimizerEditor(QWidget* parent) : QWidget(parent) {
    type_ = new QComboBox(this);
    type_->setObjectName("optimizerType");
    for (const core::OptimizerSettings& s : {core::OptimizerSettings{core::Sgd{}}, core::OptimizerSettings{core::Momentum{}},
                                             core::OptimizerSettings{core::Adam{}}, core::OptimizerSettings{core::RmsProp{}},
                                             core::OptimizerSettings{core::Adagrad{}}})
        type_->addItem(QString::fromStdString(core::optimizerName(s)));
    pages_ = new QStackedWidget(this);

    const double huge = 1e9;
    sgdRate_ = field(0, huge, "sgd.learningRate");
    pages_->addWidget(page({{tr("Learning rate"), sgdRate_}}));
    momentumRate_ = field(0, huge, "momentum.learningRate");
    momentum_ = field(0, 1, "momentum.momentum");
    nesterov_ = check(tr("Nesterov"));
    pages_->addWidget(page({{tr("Learning rate"), momentumRate_}, {tr("Momentum"), momentum_}, {{}, nesterov_}}));
    adamRate_ = field(0, huge, "adam.learningRate");
    beta1_ = field(0, 1, "adam.beta1");
    beta2_ = field(0, 1, "adam.beta2");
    adamEpsilon_ = field(0, huge, "adam.epsilon");
    pages_->addWidget(page({{tr("Learning rate"), adamRate_}, {tr("β₁"), beta1_}, {tr("β₂"), beta2_}, {tr("ε"), adamEpsilon_}}));
    rmsRate_ = field(0, huge, "rmsprop.learningRate");
    decay_ = field(0, 1, "rmsprop.decay");
    rmsMomentum_ = field(0, 1, "rmsprop.momentum");
    rmsEpsilon_ = field(0, huge, "rmsprop.epsilon");
    centered_ = check(tr("Centred"));
    pages_->addWidget(page({{tr("Learning rate"), rmsRate_}, {tr("Decay (ρ)"), decay_}, {tr("Momentum"), rmsMomentum_},
                            {tr("ε"), rmsEpsilon_}, {{}, centered_}}));
    adagradRate_ = field(0, huge, "adagrad.learningRate");
    accumulator_ = field(0, huge, "adagrad.initialAccumulator");
    adagradEpsilon_ = field(0, huge, "adagrad.epsilon");
    pages_->addWidget(page({{tr("Learning rate"), adagradRate_}, {tr("Initial accumulator"), accumulator_},
                            {tr("ε"), adagradEpsilon_}}));

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(type_);
    layout->addWidget(pages_);
    connect(type_, &QComboBox::currentIndexChanged, this, [this](int index) {
        pages_->setCurrentIndex(index);
        emit edited();
    });
    setSettings(core::Adam{});
}

NumberField* OptimizerEditor::field(double minimum, double maximum, const QString& name) {
    auto* f = new NumberField(minimum, maximum);
    f->setObjectName(name);
    f->setSingleStep(maximum <= 1 ? 0.01 : 1e-4);
    connect(f, &QDoubleSpinBox::valueChanged, this, &OptimizerEditor::edited);
    return f;
}

QCheckBox* OptimizerEditor::check(const QString& name) {
    auto* c = new QCheckBox(name);
    connect(c, &QCheckBox::toggled, this, &OptimizerEditor::edited);
    return c;
}

QWidget* OptimizerEditor::page(const std::vector<std::pair<QString, QWidget*>>& rows) {
    auto* w = new QWidget;
    auto* form = new QFormLayout(w);
    form->setContentsMargins(0, 4, 0, 0);
    for (const auto& [label, widget] : rows) {
        if (label.isEmpty()) form->addRow(widget);
        else form->addRow(label, widget);
    }
    return w;
}

void OptimizerEditor::setSettings(const core::OptimizerSettings& settings) {
    std::vector<QSignalBlocker> blockers;
    for (QObject* o : findChildren<QWidget*>()) blockers.emplace_back(o);
    type_->setCurrentIndex(static_cast<int>(settings.index()));
    pages_->setCurrentIndex(static_cast<int>(settings.index()));
    // Every page shows its own settings or the defaults, so switching type starts from sensible values.
    const auto s = shownOr<core::Sgd>(settings);
    sgdRate_->setValue(s.learningRate);
    const auto m = shownOr<core::Momentum>(settings);
    momentumRate_->setValue(m.learningRate);
    momentum_->setValue(m.momentum);
    nesterov_->setChecked(m.nesterov);
    const auto a = shownOr<core::Adam>(settings);
    adamRate_->setValue(a.learningRate);
    beta1_->setValue(a.beta1);
    beta2_->setValue(a.beta2);
    adamEpsilon_->setValue(a.epsilon);
    const auto r = shownOr<core::RmsProp>(settings);
    rmsRate_->setValue(r.learningRate);
    decay_->setValue(r.decay);
    rmsMomentum_->setValue(r.momentum);
    rmsEpsilon_->setValue(r.epsilon);
    centered_->setChecked(r.centered);
    const auto g = shownOr<core::Adagrad>(settings);
    adagradRate_->setValue(g.learningRate);
    accumulator_->setValue(g.initialAccumulator);
    adagradEpsilon_->setValue(g.epsilon);
}

core::OptimizerSettings OptimizerEditor::settings() const {
    switch (type_->currentIndex()) {
        case 0: return core::Sgd{sgdRate_->value()};
        case 1: return core::Momentum{momentumRate_->value(), momentum_->value(), nesterov_->isChecked()};
        case 2: return core::Adam{adamRate_->value(), beta1_->value(), beta2_->value(), adamEpsilon_->value()};
        case 3:
            return core::RmsProp{rmsRate_->value(), decay_->value(), rmsMomentum_->value(), rmsEpsilon_->value(),
                                 centered_->isChecked()};
        default: return core::Adagrad{adagradRate_->value(), accumulator_->value(), adagradEpsilon_->value()};
    }
}

}  // namespace ui
