#pragma once
// The objectives of a training set-up: one row per term, each over one probe
// or jointly over several, with a built-in objective, an expression of y and
// t, or None (the targets are the gradient). No rows: NengoDL's default.
#include "io/project.h"
#include "training/training_objects.h"

#include <QWidget>

class QLabel;
class QTableWidget;

namespace ui {

class ObjectivesEditor : public QWidget {
    Q_OBJECT
public:
    explicit ObjectivesEditor(QWidget* parent = nullptr);

    void setProbes(const std::vector<NamedObject>& probes);
    void setObjectives(const std::vector<core::ObjectiveSetup>& objectives);  // shows them; emits nothing
    const std::vector<core::ObjectiveSetup>& objectives() const { return terms_; }

signals:
    void edited();

private:
    void rebuild();
    QString probesText(int row) const;
    QWidget* probesCell(int row);
    QWidget* typeCell(int row);
    QWidget* settingsCell(int row);
    void change(int row, core::Objective objective);

    std::vector<NamedObject> probes_;
    std::vector<core::ObjectiveSetup> terms_;
    QTableWidget* table_;
    QLabel* defaultNote_;
};

}  // namespace ui
