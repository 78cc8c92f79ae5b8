#include "training/objectives_editor.h"

#include "training/number_field.h"

#include <QCheckBox>
#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QPushButton>
#include <QSignalBlocker>
#include <QSpinBox>
#include <QTableWidget>
#include <QToolButton>
#include <QVBoxLayout>

namespace ui {

namespace {

// In the order of core::Objective's alternatives (the C++ custom one cannot be chosen here).
const char* const objectiveTitles[] = {"Mean squared error", "Mean absolute error", "Huber", "Softmax cross-entropy",
                                       "Output regularisation", "Expression of y and t", "None (targets are the gradient)"};

core::Objective defaultOf(int index) {
    switch (index) {
        case 0: return core::MeanSquaredError{};
        case 1: return core::MeanAbsoluteError{};
        case 2: return core::HuberLoss{};
        case 3: return core::SoftmaxCrossEntropy{};
        case 4: return core::OutputRegularization{};
        case 5: return core::ExpressionObjective{};
        default: return core::GivenGradient{};
    }
}

QWidget* row(std::initializer_list<QWidget*> widgets) {
    auto* w = new QWidget;
    auto* layout = new QHBoxLayout(w);
    layout->setContentsMargins(4, 0, 4, 0);
    for (QWidget* child : widgets) layout->addWidget(child);
    layout->addStretch(1);
    return w;
}

QLabel* hint(const QString& text) {
    auto* label = new QLabel(text);
    label->setStyleSheet("color: palette(mid);");
    return label;
}

}  // namespace

ObjectivesEditor::ObjectivesEditor(QWidget* parent) : QWidget(parent) {
    table_ = new QTableWidget(0, 3, this);
    table_->setObjectName("objectivesTable");
    table_->setHorizontalHeaderLabels({tr("Probes"), tr("Objective"), tr("Settings")});
    table_->horizontalHeader()->setSectionResizeMode(2, QHeaderView::Stretch);
    table_->verticalHeader()->hide();
    table_->setSelectionBehavior(QAbstractItemView::SelectRows);
    table_->setMinimumHeight(90);
    table_->setMaximumHeight(160);
    defaultNote_ = new QLabel(tr("No objectives listed: mean squared error on every probe that has targets "
                                 "(NengoDL's default)."));
    defaultNote_->setWordWrap(true);
    auto* add = new QPushButton(tr("Add objective"));
    add->setObjectName("addObjective");
    auto* remove = new QPushButton(tr("Remove"));
    remove->setObjectName("removeObjective");
    connect(add, &QPushButton::clicked, this, [this] {
        if (probes_.empty()) return;
        terms_.push_back({{probes_.front().id}, core::MeanSquaredError{}});
        rebuild();
        emit edited();
    });
    connect(remove, &QPushButton::clicked, this, [this] {
        const int r = table_->currentRow();
        if (r < 0 || r >= static_cast<int>(terms_.size())) return;
        terms_.erase(terms_.begin() + r);
        rebuild();
        emit edited();
    });
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(add);
    buttons->addWidget(remove);
    buttons->addStretch(1);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(table_);
    layout->addWidget(defaultNote_);
    layout->addLayout(buttons);
    rebuild();
}

void ObjectivesEditor::setProbes(const std::vector<NamedObject>& probes) {
    if (probes == probes_) return;
    probes_ = probes;
    rebuild();
}

void ObjectivesEditor::setObjectives(const std::vector<core::ObjectiveSetup>& objectives) {
    if (objectives == terms_) return;
    terms_ = objectives;
    rebuild();
}

void ObjectivesEditor::rebuild() {
    table_->setRowCount(static_cast<int>(terms_.size()));
    for (int r = 0; r < table_->rowCount(); ++r) {
        table_->setCellWidget(r, 0, probesCell(r));
        table_->setCellWidget(r, 1, typeCell(r));
        table_->setCellWidget(r, 2, settingsCell(r));
    }
    table_->resizeColumnsToContents();
    table_->horizontalHeader()->setSectionResizeMode(2, QHeaderView::Stretch);
    defaultNote_->setVisible(terms_.empty());
}

QString ObjectivesEditor::probesText(int r) const {
    QStringList chosen;
    for (const std::string& id : terms_[r].probes) {
        const auto p = std::find_if(probes_.begin(), probes_.end(), [&](const NamedObject& o) { return o.id == id; });
        chosen << (p == probes_.end() ? QString::fromStdString(id) : p->title);
    }
    return chosen.join(" + ");
}

QWidget* ObjectivesEditor::probesCell(int r) {
    auto* button = new QToolButton;
    button->setPopupMode(QToolButton::InstantPopup);
    button->setToolButtonStyle(Qt::ToolButtonTextOnly);
    auto* menu = new QMenu(button);
    for (const NamedObject& p : probes_) {
        QAction* a = menu->addAction(p.title);
        a->setCheckable(true);
        const auto& ids = terms_[r].probes;
        a->setChecked(std::find(ids.begin(), ids.end(), p.id) != ids.end());
        connect(a, &QAction::toggled, this, [this, r, id = p.id, a, button](bool on) {
            auto& ids = terms_[r].probes;
            if (on) {
                ids.push_back(id);
            } else if (ids.size() > 1) {
                ids.erase(std::remove(ids.begin(), ids.end(), id), ids.end());
            } else {
                const QSignalBlocker keep(a);  // a term keeps at least one probe
                a->setChecked(true);
                return;
            }
            button->setText(probesText(r));
            emit edited();
        });
    }
    button->setMenu(menu);
    button->setText(probesText(r));
    button->setToolTip(tr("Several probes make a joint objective: it sees all their outputs and targets."));
    return button;
}

QWidget* ObjectivesEditor::typeCell(int r) {
    auto* combo = new QComboBox;
    for (const char* title : objectiveTitles) combo->addItem(tr(title));
    const auto index = terms_[r].objective.index();
    combo->setCurrentIndex(index < std::size(objectiveTitles) ? static_cast<int>(index) : 0);
    connect(combo, &QComboBox::currentIndexChanged, this, [this, r](int i) {
        change(r, defaultOf(i));
        table_->setCellWidget(r, 2, settingsCell(r));
    });
    return combo;
}

QWidget* ObjectivesEditor::settingsCell(int r) {
    const core::Objective& o = terms_[r].objective;
    if (const auto* huber = std::get_if<core::HuberLoss>(&o)) {
        auto* delta = new NumberField(1e-12);
        delta->setValue(huber->delta);
        connect(delta, &QDoubleSpinBox::valueChanged, this, [this, r](double v) { change(r, core::HuberLoss{v}); });
        return row({new QLabel("δ"), delta});
    }
    if (const auto* softmax = std::get_if<core::SoftmaxCrossEntropy>(&o)) {
        auto* last = new QCheckBox(tr("last step only"));
        last->setChecked(softmax->lastStepOnly);
        connect(last, &QCheckBox::toggled, this, [this, r](bool on) { change(r, core::SoftmaxCrossEntropy{on}); });
        return row({last});
    }
    if (const auto* reg = std::get_if<core::OutputRegularization>(&o)) {
        auto* order = new QSpinBox;
        order->setRange(1, 2);
        order->setValue(reg->order);
        auto* weight = new NumberField(0.0);
        weight->setValue(reg->weight);
        auto update = [this, r, order, weight] { change(r, core::OutputRegularization{order->value(), weight->value()}); };
        connect(order, &QSpinBox::valueChanged, this, update);
        connect(weight, &QDoubleSpinBox::valueChanged, this, update);
        return row({new QLabel(tr("order")), order, new QLabel(tr("weight")), weight, hint(tr("needs no targets"))});
    }
    if (const auto* expression = std::get_if<core::ExpressionObjective>(&o)) {
        auto* edit = new QLineEdit(QString::fromStdString(expression->expression));
        edit->setMinimumWidth(140);
        connect(edit, &QLineEdit::editingFinished, this, [this, r, edit] {
            change(r, core::ExpressionObjective{edit->text().toStdString()});
        });
        return row({edit, hint(tr("mean over every element; y output, t target"))});
    }
    if (std::holds_alternative<core::MeanSquaredError>(o)) return row({hint(tr("mean (y − t)²"))});
    if (std::holds_alternative<core::MeanAbsoluteError>(o)) return row({hint(tr("mean |y − t|"))});
    return row({hint(tr("the targets are dLoss/dy"))});
}

void ObjectivesEditor::change(int r, core::Objective objective) {
    if (terms_[r].objective == objective) return;
    terms_[r].objective = std::move(objective);
    emit edited();
}

}  // namespace ui
