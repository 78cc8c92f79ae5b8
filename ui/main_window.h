#pragma once
// The application window: the canvas in the middle, the palette, inspector,
// problems, training and plot docks around it, the simulation toolbar, and
// the menus. It wires the parts together; each part does its own job.
#include "editor/network_problems.h"

#include <QMainWindow>

class QAction;
class QComboBox;
class QLabel;
class QListWidget;
class QMenu;

namespace ui {

class EnsembleView;
class GraphModel;
class GraphScene;
class GraphView;
class Inspector;
class ProjectSession;
class SimulationController;
class SimulationToolBar;
class TrainingPanel;
enum class PlotKind;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    // `autosaveDirectory` empty: the application's data folder (tests pass their own).
    explicit MainWindow(QWidget* parent = nullptr, const QString& autosaveDirectory = {});
    ~MainWindow() override;

    GraphModel* model() const { return model_; }
    ProjectSession* session() const { return session_; }
    GraphView* canvas() const { return view_; }
    GraphScene* scene() const { return scene_; }
    SimulationController* simulation() const { return simulation_; }
    TrainingPanel* trainingPanel() const { return training_; }
    Inspector* inspector() const { return inspector_; }
    QListWidget* problemsList() const { return problemsList_; }
    QAction* runAction() const;

    // Opens `path`; a failure is shown and the open project stays.
    bool openFile(const QString& path);
    // Opens a dock with a live view of an object; adds a probe first when the
    // view needs one the model does not have yet (one undoable step).
    QDockWidget* showPlot(PlotKind kind, const std::string& objectId);
    void showEnsembleAnalysis(const std::string& ensembleId);
    // Offers to recover autosaves of sessions that crashed.
    void offerRecovery();

protected:
    void closeEvent(QCloseEvent* event) override;
    void showEvent(QShowEvent* event) override;

private:
    void createDocks();
    void createActions();
    void createMenus();
    void createSimulationToolBar();
    void updateTitle();
    void updateRecentMenu();
    void modelChanged();
    void checkProblems();
    void showProblems(const std::vector<EditorProblem>& problems);
    void simulationStateChanged();
    void selectionChanged();
    void showContextMenu(const std::string& id, QPoint screenPos);
    void applyFrozenNetwork(const core::Network& frozen);
    void updateSparklines();
    void placePlotDock(QDockWidget* dock);
    bool maybeSave();
    bool saveProject();
    bool saveProjectAs();
    void openProjectDialog();
    void openExampleDialog();
    void newProject();
    void groupSelection();
    void showAbout();
    std::string probeFor(PlotKind kind, const std::string& objectId);

    GraphModel* model_;
    ProjectSession* session_;
    GraphScene* scene_;
    GraphView* view_;
    Inspector* inspector_;
    QListWidget* problemsList_;
    EnsembleView* ensembleView_;
    QDockWidget* ensembleDock_;
    std::string ensembleShown_;
    TrainingPanel* training_;
    SimulationController* simulation_;
    QTimer* problemTimer_;
    QTimer* sparklineTimer_;
    bool layoutRestored_ = false;  // a saved dock layout, or the first-start one, is in place
    std::vector<EditorProblem> problems_;
    bool simulationStale_ = false;  // the model changed since the running simulation was built

    QAction *newAction_, *openAction_, *saveAction_, *saveAsAction_, *examplesAction_, *quitAction_;
    QAction *undoAction_, *redoAction_, *cutAction_, *copyAction_, *pasteAction_, *deleteAction_, *selectAllAction_,
        *groupAction_, *arrangeAction_, *snapAction_;
    SimulationToolBar* toolBar_;
    QMenu* recentMenu_;
    QMenu* viewMenu_;
};

}  // namespace ui
