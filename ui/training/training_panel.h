#pragma once
// The training panel (it fits a dock): the project's training set-up, the
// Train / Pause / Stop controls with a progress bar, live plots of each run
// (loss, distributions, histograms), the trained parameters and the profile,
// and what to do with a trained model (save, load, freeze, export, log).
// Training runs on a worker thread (TrainingController); while it runs the
// set-up is locked and edits wait for the next run.
#include "io/nengo_export.h"
#include "io/project.h"

#include <QWidget>

class QLabel;
class QProgressBar;
class QPushButton;
class QTabWidget;
class QToolButton;

namespace ui {

class DataChecker;
class LossPlot;
class ParameterInspector;
class ProfileView;
class SummaryPage;
class TrainingController;
class TrainingSetupEditor;
struct DataCheck;
struct TrainingUpdate;

class TrainingPanel : public QWidget {
    Q_OBJECT
public:
    explicit TrainingPanel(QWidget* parent = nullptr);
    ~TrainingPanel() override;

    // The project to train (its network, dt and training set-up); data paths
    // are relative to projectDirectory. Keeps what the user is editing when
    // the set-up is the one it reported.
    void setProject(const core::Project& project, const QString& projectDirectory);
    // The set-up as edited here (also what Train runs).
    const core::TrainingSetup& setup() const;
    TrainingController* controller() const { return controller_; }

    // What the buttons do once their file dialogs have a path. Errors are shown
    // in the status line; each returns whether it worked.
    bool saveParameters(const QString& path);
    // Starts loading (the controller builds the model off the UI thread);
    // the status line reports the outcome. False when a run or load is going.
    bool loadParameters(const QString& path);
    bool exportTrained(core::ExportFormat format, const QString& path);
    bool exportTrainedNir(const QString& path, bool dropRefractoryPeriod);
    bool writeTensorBoardLogs(const QString& directory);
    // Freezes the trained parameters of these objects (all when empty) into
    // the network and emits networkFrozen.
    bool freeze(const std::vector<std::string>& objectIds = {});

signals:
    void setupEdited(const core::TrainingSetup& setup);
    // The network with the trained parameters written into it, for the main window to apply (undoably).
    void networkFrozen(const core::Network& network);

private:
    QWidget* runBar();
    QWidget* actionBar();
    void train();
    void onRunStarted(int run);
    void onRunUpdated(int run, const TrainingUpdate& update);
    void onRunEnded(int run);
    void onSetupEdited(const core::TrainingSetup& setup);
    void showCheck(const DataCheck& check);
    void requestCheck();
    void showProgress(int run);
    void refreshModelViews();
    void updateActions();
    void setStatus(const QString& text, bool error = false);
    // Into the set-up's TensorBoard folder, when it has one.
    void writeRunToLogdir(const core::TrainingSummary& summary);
    void freezeChosen();
    core::Project trainedProject() const;

    core::Project project_;
    QString directory_;
    TrainingController* controller_;
    DataChecker* checker_;

    QPushButton *train_, *pause_, *stop_;
    QProgressBar* progress_;
    QLabel *status_, *lockNote_;
    QPushButton *saveParams_, *loadParams_, *tensorBoard_, *resetModel_;
    QToolButton *freeze_, *export_;
    QTabWidget* tabs_;
    TrainingSetupEditor* setupEditor_;
    LossPlot* loss_;
    SummaryPage *distributions_, *histograms_;
    ParameterInspector* parameters_;
    ProfileView* profile_;
};

}  // namespace ui
