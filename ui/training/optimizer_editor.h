#pragma once
// The optimiser of a training set-up: its type and its hyper-parameters.
#include "train/optimizer.h"

#include <QWidget>

class QCheckBox;
class QComboBox;
class QStackedWidget;

namespace ui {

class NumberField;

class OptimizerEditor : public QWidget {
    Q_OBJECT
public:
    explicit OptimizerEditor(QWidget* parent = nullptr);

    void setSettings(const core::OptimizerSettings& settings);  // shows them; emits nothing
    core::OptimizerSettings settings() const;

signals:
    void edited();

private:
    NumberField* field(double minimum, double maximum, const QString& name);
    QCheckBox* check(const QString& name);
    QWidget* page(const std::vector<std::pair<QString, QWidget*>>& rows);

    QComboBox* type_;
    QStackedWidget* pages_;
    NumberField *sgdRate_, *momentumRate_, *momentum_, *adamRate_, *beta1_, *beta2_, *adamEpsilon_;
    NumberField *rmsRate_, *decay_, *rmsMomentum_, *rmsEpsilon_, *adagradRate_, *accumulator_, *adagradEpsilon_;
    QCheckBox *nesterov_, *centered_;
};

}  // namespace ui
