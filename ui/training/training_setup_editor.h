#pragma once
// The Set-up page of the training panel: data sources, objectives, optimiser,
// run options and summaries. Every change the user makes is reported as the
// whole new set-up (the project stores it; the main window makes it undoable).
#include "io/project.h"
#include "training/data_check.h"
#include "training/training_objects.h"

#include <QWidget>

class QCheckBox;
class QComboBox;
class QLineEdit;
class QListWidget;
class QSpinBox;

namespace ui {

class DataSourcesEditor;
class NumberField;
class ObjectivesEditor;
class OptimizerEditor;

// A folder chosen in a dialog as the set-up stores it: relative to the project
// file's folder once the project has been saved, so the project and its runs
// can move together; absolute before, when there is no such folder yet.
QString projectRelativePath(const QString& chosen, const QString& projectDirectory);

class TrainingSetupEditor : public QWidget {
    Q_OBJECT
public:
    explicit TrainingSetupEditor(QWidget* parent = nullptr);

    // Shows the project's objects and set-up (its defaults when it has none); emits nothing.
    void setProject(const core::Project& project, const QString& projectDirectory);
    const core::TrainingSetup& setup() const { return setup_; }
    void markChecking();
    void setCheck(const DataCheck& check);

signals:
    void edited(const core::TrainingSetup& setup);

private:
    QWidget* runOptions();
    QWidget* summaryOptions();
    void setSummaryObjects(const TrainingObjects& objects);
    void browseLogdir();
    QString logdirStart() const;
    void showSetup(const core::TrainingSetup& setup);
    void collect();

    core::TrainingSetup setup_;
    TrainingObjects objects_;
    bool updating_ = false;  // showing a set-up, not the user editing it
    QString directory_;      // the project file's folder; empty until it is saved

    DataSourcesEditor* data_;
    ObjectivesEditor* objectives_;
    OptimizerEditor* optimizer_;
    QSpinBox *minibatch_, *epochs_, *seed_, *truncation_, *summaryEvery_, *histogramBins_;
    QCheckBox *shuffle_, *checkpointing_, *rateMode_, *profile_;
    QComboBox* dtype_;
    NumberField* lifSmoothing_;
    QLineEdit *label_, *logdir_;
    QListWidget* summaries_;
};

}  // namespace ui
