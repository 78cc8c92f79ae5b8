#pragma once
// Where a training set-up's arrays come from: one row per input node (its
// data) and per probe (its targets), each a file (.npy, a member of an .npz,
// or a .csv) or a seeded generator; the shape each gives, what the model
// expects, and in red what stops it from being used.
#include "io/project.h"
#include "training/data_check.h"
#include "training/training_objects.h"

#include <QWidget>

class QComboBox;
class QFormLayout;
class QLabel;
class QLineEdit;
class QSpinBox;
class QTableWidget;

namespace ui {

class NumberField;

class DataSourcesEditor : public QWidget {
    Q_OBJECT
public:
    explicit DataSourcesEditor(QWidget* parent = nullptr);

    void setObjects(const std::vector<NamedObject>& inputNodes, const std::vector<NamedObject>& probes);
    // Shows them; emits nothing. dt is the project's, the default for new generators.
    void setSources(const std::map<std::string, core::DataSource>& inputs,
                    const std::map<std::string, core::DataSource>& targets);
    void setProjectDirectory(const QString& directory) { directory_ = directory; }
    void setDt(double dt) { dt_ = dt; }
    void markChecking();  // a check of the current sources is on its way
    void setCheck(const DataCheck& check);

    const std::map<std::string, core::DataSource>& inputs() const { return inputs_; }
    const std::map<std::string, core::DataSource>& targets() const { return targets_; }

signals:
    void edited();

private:
    enum Kind { NoData, File, Noise, Sweep, Clusters };
    struct Row {
        std::string id;
        QString title;
        bool input = true;
    };

    void buildDetail();
    void rebuildRows();
    void refreshRow(int row);
    void showDetail();
    void detailEdited();
    void browse();
    std::map<std::string, core::DataSource>& sourcesOf(const Row& row) { return row.input ? inputs_ : targets_; }
    const core::DataSource* source(const Row& row) const;
    core::DataSource sourceFromDetail() const;
    core::GeneratedData newGenerator(Kind kind, const Row& row) const;
    void showMessage();

    std::vector<Row> rows_;
    std::map<std::string, core::DataSource> inputs_, targets_;
    DataCheck check_;
    bool checking_ = true;
    QString directory_;
    double dt_ = 0.001;

    QTableWidget* table_;
    QComboBox* kind_;
    QFormLayout* form_;
    QLineEdit* file_;
    QComboBox* key_;
    QSpinBox *sequences_, *steps_, *size_, *seed_, *classes_, *dimensions_;
    NumberField *dtField_, *cutoff_, *rms_, *f0_, *f1_, *amplitude_, *spread_;
    QComboBox* half_;
    QLabel* message_;
};

}  // namespace ui
