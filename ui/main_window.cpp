#include "main_window.h"

#include "editor/edit_commands.h"
#include "editor/graph_items.h"
#include "editor/graph_model.h"
#include "editor/graph_scene.h"
#include "editor/graph_view.h"
#include "editor/inspector.h"
#include "editor/palette.h"
#include "editor/project_session.h"
#include "ensemble_view.h"
#include "examples_dialog.h"
#include "io/examples.h"
#include "plots/plot_dock.h"
#include "plots/sparkline.h"
#include "simulation/simulation_controller.h"
#include "simulation/simulation_toolbar.h"
#include "training/training_panel.h"

#include <QApplication>
#include <QCloseEvent>
#include <QComboBox>
#include <QDockWidget>
#include <QFileDialog>
#include <QFileInfo>
#include <QKeySequence>
#include <QLabel>
#include <QListWidget>
#include <QMenuBar>
#include <QMessageBox>
#include <QScrollArea>
#include <QSettings>
#include <QStatusBar>
#include <QStyle>
#include <QTimer>
#include <QToolBar>
#include <QUndoStack>

#include <cmath>

namespace ui {

namespace {

constexpr int problemsDelayMs = 250;
constexpr int idRole = Qt::UserRole;

QString projectFilter() { return QObject::tr("NeuroLoom projects (*.nlproj);;All files (*)"); }

QIcon icon(const char* name) { return QIcon(QString(":/icons/%1.svg").arg(name)); }

QDockWidget* makeDock(const QString& title, const QString& name, QWidget* content, QWidget* parent) {
    auto* dock = new QDockWidget(title, parent);
    dock->setObjectName(name);  // for saveState
    dock->setWidget(content);
    return dock;
}

// What a plot of `kind` records from an object, as a probe would.
std::optional<std::pair<core::Endpoint, core::ProbeAttribute>> probeNeed(PlotKind kind, const ModelObject& o) {
    const std::string& id = idOf(o);
    switch (kindOf(o)) {
        case ObjectKind::Node:
            if (kind == PlotKind::Value || kind == PlotKind::Xy)
                return std::pair{core::Endpoint{id, core::EndpointKind::Node}, core::ProbeAttribute::Output};
            return std::nullopt;
        case ObjectKind::Ensemble:
            if (kind == PlotKind::Value || kind == PlotKind::Xy)
                return std::pair{core::Endpoint{id, core::EndpointKind::Ensemble}, core::ProbeAttribute::DecodedOutput};
            if (kind == PlotKind::SpikeRaster)
                return std::pair{core::Endpoint{id, core::EndpointKind::Neurons}, core::ProbeAttribute::Output};
            if (kind == PlotKind::Voltage)
                return std::pair{core::Endpoint{id, core::EndpointKind::Neurons}, core::ProbeAttribute::Voltage};
            return std::nullopt;
        default: return std::nullopt;
    }
}

const core::Probe* findProbe(const core::Network& net, const core::Endpoint& target, core::ProbeAttribute attribute) {
    for (const core::Probe& p : net.probes)
        if (p.target == target && p.attribute == attribute && !p.slice) return &p;
    for (const core::Network& sub : net.subnetworks)
        if (const core::Probe* p = findProbe(sub, target, attribute)) return p;
    return nullptr;
}

// The height the docks under the canvas (problems, training, plots) start with.
constexpr int bottomAreaHeight = 240;

}  // namespace

MainWindow::MainWindow(QWidget* parent, const QString& autosaveDirectory)
    : QMainWindow(parent),
      model_(new GraphModel(this)),
      session_(new ProjectSession(model_, autosaveDirectory, this)),
      simulation_(new SimulationController(this)),
      problemTimer_(new QTimer(this)),
      sparklineTimer_(new QTimer(this)) {
    setWindowIcon(icon("neuroloom"));
    scene_ = new GraphScene(model_, this);
    view_ = new GraphView(scene_, this);
    view_->setObjectName("canvas");
    setCentralWidget(view_);
    setDockNestingEnabled(true);

    createActions();
    createDocks();
    createSimulationToolBar();
    createMenus();

    problemTimer_->setSingleShot(true);
    problemTimer_->setInterval(problemsDelayMs);
    connect(problemTimer_, &QTimer::timeout, this, &MainWindow::checkProblems);
    // Probe boxes redraw their traces at most ten times a second: enough to
    // follow a signal, cheap beside the plots.
    sparklineTimer_->setSingleShot(true);
    sparklineTimer_->setInterval(100);
    connect(sparklineTimer_, &QTimer::timeout, this, &MainWindow::updateSparklines);
    connect(simulation_, &SimulationController::probeDataAppended, sparklineTimer_, [this] {
        if (!sparklineTimer_->isActive()) sparklineTimer_->start();
    });
    connect(simulation_, &SimulationController::seriesReset, this, &MainWindow::updateSparklines);
    connect(model_, &GraphModel::changed, this, &MainWindow::modelChanged);
    connect(model_, &GraphModel::modelReset, this, [this] {
        inspector_->showObject({});
        view_->fitToContents();
    });
    connect(session_, &ProjectSession::pathChanged, this, &MainWindow::updateTitle);
    connect(session_, &ProjectSession::modifiedChanged, this, &MainWindow::updateTitle);
    connect(session_, &ProjectSession::recentFilesChanged, this, &MainWindow::updateRecentMenu);
    connect(scene_, &QGraphicsScene::selectionChanged, this, &MainWindow::selectionChanged);
    connect(scene_, &GraphScene::contextMenuRequested, this, &MainWindow::showContextMenu);
    connect(scene_, &GraphScene::statusMessage, this, [this](const QString& m) { statusBar()->showMessage(m, 5000); });

    session_->newProject();
    updateRecentMenu();
    resize(1400, 900);
    QSettings settings;
    restoreGeometry(settings.value("window/geometry").toByteArray());
    layoutRestored_ = restoreState(settings.value("window/state").toByteArray());
    statusBar()->showMessage(tr("Drag objects from the palette, or open an example (File > Examples)"));
}

MainWindow::~MainWindow() = default;

QAction* MainWindow::runAction() const { return toolBar_->runAction(); }

void MainWindow::createDocks() {
    auto* palette = new Palette(this);
    connect(palette, &Palette::entryActivated, view_, &GraphView::addObjectAtCursor);
    addDockWidget(Qt::LeftDockWidgetArea, makeDock(tr("Palette"), "paletteDock", palette, this));

    inspector_ = new Inspector(model_, this);
    addDockWidget(Qt::RightDockWidgetArea, makeDock(tr("Inspector"), "inspectorDock", inspector_, this));

    problemsList_ = new QListWidget(this);
    problemsList_->setObjectName("problems");
    connect(problemsList_, &QListWidget::itemActivated, this, [this](QListWidgetItem* item) {
        const std::string id = item->data(idRole).toString().toStdString();
        if (id.empty()) return;
        scene_->selectOnly({id});
        if (auto* it = scene_->objectItem(id)) view_->centerOn(it);
    });
    auto* problemsDock = makeDock(tr("Problems"), "problemsDock", problemsList_, this);
    addDockWidget(Qt::BottomDockWidgetArea, problemsDock);

    training_ = new TrainingPanel(this);
    // In a scroll area: the panel's set-up needs more height than the bottom
    // area should start with, and a dock cannot be smaller than its contents.
    auto* trainingScroll = new QScrollArea(this);
    trainingScroll->setWidget(training_);
    trainingScroll->setWidgetResizable(true);
    trainingScroll->setFrameShape(QFrame::NoFrame);
    auto* trainingDock = makeDock(tr("Training"), "trainingDock", trainingScroll, this);
    addDockWidget(Qt::BottomDockWidgetArea, trainingDock);
    tabifyDockWidget(problemsDock, trainingDock);
    problemsDock->raise();
    connect(training_, &TrainingPanel::setupEdited, this, [this](const core::TrainingSetup& setup) {
        const core::Project& p = model_->project();
        if (p.training == setup) return;
        model_->undoStack()->push(new ChangeProjectSettingsCommand(
            model_, {p.title, p.description, p.simulation, setup}, tr("Change training set-up")));
    });
    connect(training_, &TrainingPanel::networkFrozen, this, &MainWindow::applyFrozenNetwork);

    ensembleView_ = new EnsembleView(this);
    ensembleDock_ = makeDock(tr("Ensemble: tuning and decoding"), "ensembleDock", ensembleView_, this);
    addDockWidget(Qt::RightDockWidgetArea, ensembleDock_);
    ensembleDock_->hide();
    connect(ensembleView_, &EnsembleView::ensembleEdited, this, [this](const core::Ensemble& e) {
        if (model_->object(e.id) != ModelObject(e))
            model_->undoStack()->push(new ChangeObjectCommand(model_, e, "ensemble view"));
    });
}

void MainWindow::createActions() {
    auto action = [this](const QString& text, QKeySequence key, auto slot) {
        auto* a = new QAction(text, this);
        a->setShortcut(key);
        connect(a, &QAction::triggered, this, slot);
        return a;
    };
    newAction_ = action(tr("&New"), QKeySequence::New, [this] { newProject(); });
    openAction_ = action(tr("&Open..."), QKeySequence::Open, [this] { openProjectDialog(); });
    saveAction_ = action(tr("&Save"), QKeySequence::Save, [this] { saveProject(); });
    saveAsAction_ = action(tr("Save &As..."), QKeySequence::SaveAs, [this] { saveProjectAs(); });
    examplesAction_ = action(tr("&Examples..."), QKeySequence(), [this] { openExampleDialog(); });
    quitAction_ = action(tr("&Quit"), QKeySequence::Quit, [this] { close(); });

    undoAction_ = model_->undoStack()->createUndoAction(this, tr("&Undo"));
    undoAction_->setShortcut(QKeySequence::Undo);
    redoAction_ = model_->undoStack()->createRedoAction(this, tr("&Redo"));
    redoAction_->setShortcut(QKeySequence::Redo);
    cutAction_ = action(tr("Cu&t"), QKeySequence::Cut, [this] { scene_->cutSelection(); });
    copyAction_ = action(tr("&Copy"), QKeySequence::Copy, [this] { scene_->copySelection(); });
    pasteAction_ = action(tr("&Paste"), QKeySequence::Paste, [this] { scene_->paste(); });
    deleteAction_ = action(tr("&Delete"), QKeySequence::Delete, [this] { scene_->deleteSelection(); });
    selectAllAction_ = action(tr("Select &All"), QKeySequence::SelectAll, [this] { scene_->selectAllObjects(); });
    groupAction_ = action(tr("&Group into Subnetwork"), QKeySequence(tr("Ctrl+G")), [this] { groupSelection(); });
    arrangeAction_ = action(tr("A&rrange Automatically"), QKeySequence(tr("Ctrl+L")), [this] { scene_->arrangeAll(); });
    snapAction_ = action(tr("Snap to &Grid"), QKeySequence(), [this](bool on) { scene_->setSnapToGrid(on); });
    snapAction_->setCheckable(true);
    snapAction_->setChecked(scene_->snapToGrid());

}

void MainWindow::createMenus() {
    QMenu* file = menuBar()->addMenu(tr("&File"));
    file->setObjectName("menuFile");
    file->addActions({newAction_, openAction_});
    recentMenu_ = file->addMenu(tr("Open &Recent"));
    file->addAction(examplesAction_);
    file->addSeparator();
    file->addActions({saveAction_, saveAsAction_});
    file->addSeparator();
    file->addAction(quitAction_);

    QMenu* edit = menuBar()->addMenu(tr("&Edit"));
    edit->setObjectName("menuEdit");
    edit->addActions({undoAction_, redoAction_});
    edit->addSeparator();
    edit->addActions({cutAction_, copyAction_, pasteAction_, deleteAction_, selectAllAction_});
    edit->addSeparator();
    edit->addActions({groupAction_, arrangeAction_, snapAction_});

    viewMenu_ = menuBar()->addMenu(tr("&View"));
    viewMenu_->setObjectName("menuView");
    viewMenu_->addAction(tr("Zoom &In"), QKeySequence::ZoomIn, view_, &GraphView::zoomIn);
    viewMenu_->addAction(tr("Zoom &Out"), QKeySequence::ZoomOut, view_, &GraphView::zoomOut);
    viewMenu_->addAction(tr("&Reset Zoom"), QKeySequence(tr("Ctrl+0")), view_, &GraphView::resetZoom);
    viewMenu_->addAction(tr("&Fit to Window"), QKeySequence(tr("Ctrl+1")), view_, &GraphView::fitToContents);
    QAction* minimap = viewMenu_->addAction(tr("&Minimap"));
    minimap->setCheckable(true);
    minimap->setChecked(true);
    connect(minimap, &QAction::toggled, this, [this](bool on) {
        view_->setMinimapMode(on ? GraphView::MinimapMode::Automatic : GraphView::MinimapMode::Hidden);
    });
    viewMenu_->addSeparator();
    for (QDockWidget* dock : findChildren<QDockWidget*>()) viewMenu_->addAction(dock->toggleViewAction());

    QMenu* sim = menuBar()->addMenu(tr("&Simulation"));
    sim->setObjectName("menuSimulation");
    sim->addActions({toolBar_->runAction(), toolBar_->stepAction(), toolBar_->resetAction()});

    QMenu* help = menuBar()->addMenu(tr("&Help"));
    help->setObjectName("menuHelp");
    help->addAction(tr("&About NeuroLoom"), this, &MainWindow::showAbout);
}

void MainWindow::createSimulationToolBar() {
    toolBar_ = new SimulationToolBar(simulation_, this);
    addToolBar(toolBar_);
    toolBar_->runAction()->setObjectName("runAction");
    toolBar_->runAction()->setShortcut(QKeySequence(tr("F5")));
    toolBar_->stepAction()->setShortcut(QKeySequence(tr("F10")));
    toolBar_->resetAction()->setShortcut(QKeySequence(tr("Ctrl+F5")));
    // After the toolbar's own reset: the next run builds the model as edited.
    connect(toolBar_->resetAction(), &QAction::triggered, this, [this] {
        simulation_->setProject(model_->project());
        simulationStale_ = false;
        simulationStateChanged();
    });
    // Connected after the toolbar's handler, so the problem check has the last word.
    connect(simulation_, &SimulationController::stateChanged, this, &MainWindow::simulationStateChanged);
    connect(simulation_, &SimulationController::errorOccurred, this, [this](const QString& message) {
        statusBar()->showMessage(tr("Simulation stopped: %1").arg(message));
    });
    simulationStateChanged();
}

void MainWindow::updateTitle() {
    setWindowModified(session_->isModified());
    setWindowTitle(tr("%1[*] — NeuroLoom").arg(session_->displayName()));
}

void MainWindow::updateRecentMenu() {
    recentMenu_->clear();
    for (const QString& file : session_->recentFiles())
        recentMenu_->addAction(QFileInfo(file).fileName(), this, [this, file] {
            if (maybeSave()) openFile(file);
        })->setToolTip(file);
    recentMenu_->setEnabled(!recentMenu_->isEmpty());
}

// Edits go to the simulation at once when it is idle; a running one keeps
// its model until Reset, and says so.
void MainWindow::modelChanged() {
    problemTimer_->start();
    const auto state = simulation_->state();
    if (state == SimulationController::State::Idle || state == SimulationController::State::Error) {
        simulation_->setProject(model_->project());
        simulationStale_ = false;
    } else {
        simulationStale_ = true;
    }
    const QFileInfo info(session_->path());
    training_->setProject(model_->project(), session_->path().isEmpty() ? QString() : info.absolutePath());
    if (ensembleDock_->isVisible() && model_->contains(ensembleShown_))
        ensembleView_->setEnsemble(model_->project().network, ensembleShown_);
    simulationStateChanged();
}

void MainWindow::checkProblems() { showProblems(findProblems(model_->project())); }

void MainWindow::showProblems(const std::vector<EditorProblem>& problems) {
    problems_ = problems;
    problemsList_->clear();
    std::map<std::string, std::string> marks;
    for (const EditorProblem& p : problems) {
        const auto o = p.objectId.empty() ? std::nullopt : model_->object(p.objectId);
        QString where = o ? QString::fromStdString(displayName(*o)) : tr("network");
        if (!p.field.isEmpty()) where += " · " + p.field;
        auto* item = new QListWidgetItem(
            style()->standardIcon(p.blocksRun ? QStyle::SP_MessageBoxCritical : QStyle::SP_MessageBoxWarning),
            QString("%1 — %2").arg(where, p.text), problemsList_);
        item->setForeground(p.blocksRun ? QColor(170, 30, 30) : QColor(140, 100, 0));
        item->setData(idRole, QString::fromStdString(p.objectId));
        if (!p.objectId.empty()) {
            std::string& mark = marks[p.objectId];
            mark += (mark.empty() ? "" : "\n") + p.text.toStdString();
        }
    }
    scene_->setProblems(marks);
    auto* dock = qobject_cast<QDockWidget*>(problemsList_->parentWidget());
    if (dock) dock->setWindowTitle(problems.empty() ? tr("Problems") : tr("Problems (%1)").arg(problems.size()));
    simulationStateChanged();
}

void MainWindow::simulationStateChanged() {
    using State = SimulationController::State;
    const State state = simulation_->state();
    const QString blocker = runBlocker(problems_);
    // Pause stays available while running; starting needs a model without problems.
    const bool canStart = state != State::Building && (state == State::Running || blocker.isEmpty());
    toolBar_->runAction()->setEnabled(canStart);
    toolBar_->runAction()->setToolTip(blocker.isEmpty() || state == State::Running
                                          ? tr("Run the simulation, or pause it while it runs (F5)")
                                          : tr("Cannot run: %1 (see Problems)").arg(blocker));
    toolBar_->stepAction()->setEnabled(state != State::Building && blocker.isEmpty());
    if (simulationStale_) statusBar()->showMessage(tr("The model changed: Reset to simulate the new version"));
}

void MainWindow::selectionChanged() {
    const auto ids = scene_->selectedIds();
    inspector_->showObject(ids.size() == 1 ? ids.front() : std::string());
}

void MainWindow::showContextMenu(const std::string& id, QPoint screenPos) {
    const auto o = model_->object(id);
    if (!o) return;
    QMenu menu(this);
    auto addPlot = [&](const QString& text, PlotKind kind) {
        menu.addAction(text, this, [this, kind, id] { showPlot(kind, id); });
    };
    if (auto node = std::get_if<core::Node>(&*o)) {
        addPlot(tr("Value over Time"), PlotKind::Value);
        if (node->sizeOut >= 2) addPlot(tr("XY Value"), PlotKind::Xy);
        if (std::holds_alternative<core::ConstantOutput>(node->output)) addPlot(tr("Slider"), PlotKind::Slider);
    } else if (auto ens = std::get_if<core::Ensemble>(&*o)) {
        addPlot(tr("Value over Time"), PlotKind::Value);
        if (ens->dimensions >= 2) addPlot(tr("XY Value"), PlotKind::Xy);
        addPlot(tr("Spike Raster"), PlotKind::SpikeRaster);
        if (core::hasVoltage(ens->neuronType)) addPlot(tr("Membrane Voltage"), PlotKind::Voltage);
        menu.addSeparator();
        menu.addAction(tr("Tuning Curves and Decoding..."), this, [this, id] { showEnsembleAnalysis(id); });
    } else if (kindOf(*o) == ObjectKind::Probe) {
        addPlot(tr("Plot"), PlotKind::Value);
    }
    if (!menu.isEmpty()) menu.addSeparator();
    menu.addAction(deleteAction_);
    menu.exec(screenPos);
}

std::string MainWindow::probeFor(PlotKind kind, const std::string& objectId) {
    const auto o = model_->object(objectId);
    if (!o) return {};
    if (kindOf(*o) == ObjectKind::Probe) return objectId;
    const auto need = probeNeed(kind, *o);
    if (!need) return {};
    if (const core::Probe* p = findProbe(model_->project().network, need->first, need->second)) return p->id;
    core::Probe probe;
    probe.id = model_->uniqueId("probe");
    probe.label = labelOf(*o) + (need->second == core::ProbeAttribute::Voltage ? " voltage"
                                 : need->first.kind == core::EndpointKind::Neurons ? " spikes"
                                                                                   : " value");
    probe.target = need->first;
    probe.attribute = need->second;
    if (need->first.kind == core::EndpointKind::Ensemble) probe.synapse = core::LowpassSynapse{0.01};
    const auto at = model_->position(objectId).value_or(core::Point{});
    model_->undoStack()->push(new AddObjectsCommand(
        model_, {{probe, {model_->parentOf(objectId).value_or(""), -1}, {{{probe.id, {at.x + 160, at.y + 80}}}, {}, {}}}},
        tr("Add probe for %1").arg(QString::fromStdString(probe.label))));
    return probe.id;
}

QDockWidget* MainWindow::showPlot(PlotKind kind, const std::string& objectId) {
    const std::string id = kind == PlotKind::Slider ? objectId : probeFor(kind, objectId);
    if (id.empty()) return nullptr;
    // A new probe only exists in the simulation once it is rebuilt.
    if (kind != PlotKind::Slider && !simulation_->probe(QString::fromStdString(id)) &&
        simulation_->state() != SimulationController::State::Idle)
        statusBar()->showMessage(tr("The new probe records from the next Reset"));
    QDockWidget* dock = makePlotDock(kind, simulation_, QString::fromStdString(id), this);
    if (!dock) return nullptr;
    placePlotDock(dock);
    return dock;
}

// Plots go under the canvas, side by side to the right of the problems and
// training tabs: time runs left to right, so they want width more than height.
// The problems list keeps a quarter of the width; the plots share the rest.
void MainWindow::placePlotDock(QDockWidget* dock) {
    QList<QDockWidget*> plots;
    for (QDockWidget* other : findChildren<QDockWidget*>())
        if (other->property("plot").toBool() && other->isVisible() && dockWidgetArea(other) == Qt::BottomDockWidgetArea)
            plots << other;
    dock->setProperty("plot", true);
    // Beside the tabs of the bottom area (splitting a tabbed dock would add a tab).
    addDockWidget(Qt::BottomDockWidgetArea, dock, Qt::Horizontal);
    if (!plots.isEmpty()) splitDockWidget(plots.back(), dock, Qt::Horizontal);
    plots << dock;
    auto* problems = findChild<QDockWidget*>("problemsDock");
    QList<int> widths{width() / 4};
    for (int i = 0; i < plots.size(); ++i) widths << width() * 3 / 4 / static_cast<int>(plots.size());
    resizeDocks(QList<QDockWidget*>{problems} + plots, widths, Qt::Horizontal);
    resizeDocks({dock}, {bottomAreaHeight}, Qt::Vertical);
}

void MainWindow::showEnsembleAnalysis(const std::string& ensembleId) {
    ensembleShown_ = ensembleId;
    ensembleView_->setEnsemble(model_->project().network, ensembleId);
    ensembleDock_->show();
    ensembleDock_->raise();
}

// The trained network's objects replace the current ones, one undo step.
void MainWindow::applyFrozenNetwork(const core::Network& frozen) {
    model_->undoStack()->beginMacro(tr("Freeze trained parameters"));
    std::function<void(const core::Network&)> apply = [&](const core::Network& net) {
        auto replaceChanged = [&](const auto& objects) {
            for (const auto& o : objects)
                if (model_->object(o.id) && *model_->object(o.id) != ModelObject(o))
                    model_->undoStack()->push(new ChangeObjectCommand(model_, o, {}));
        };
        replaceChanged(net.ensembles);
        replaceChanged(net.connections);
        replaceChanged(net.probes);
        for (const core::Network& sub : net.subnetworks) apply(sub);
    };
    apply(frozen);
    model_->undoStack()->endMacro();
    statusBar()->showMessage(tr("Trained parameters frozen into the model (Undo restores the previous ones)"));
}

bool MainWindow::openFile(const QString& path) {
    if (const auto error = session_->open(path)) {
        QMessageBox::warning(this, tr("Cannot open project"),
                             tr("<p>The project could not be opened; the current one stays open.</p><p>%1</p>")
                                 .arg(error->toHtmlEscaped()));
        return false;
    }
    const QStringList warnings = session_->openWarnings();
    if (!warnings.isEmpty())
        QMessageBox::warning(this, tr("Missing training data"),
                             tr("<p>The project opened, but training will need these files:</p><ul><li>%1</li></ul>")
                                 .arg(warnings.join("</li><li>").toHtmlEscaped()));
    statusBar()->showMessage(tr("Opened %1").arg(path), 5000);
    return true;
}

void MainWindow::openProjectDialog() {
    if (!maybeSave()) return;
    const QString path = QFileDialog::getOpenFileName(this, tr("Open Project"), {}, projectFilter());
    if (!path.isEmpty()) openFile(path);
}

void MainWindow::openExampleDialog() {
    const QString dir = QString::fromStdString(core::examplesDirectory(QCoreApplication::applicationFilePath().toStdString()));
    ExamplesDialog dialog(dir, this);
    if (dialog.exec() != QDialog::Accepted || dialog.selectedFile().isEmpty() || !maybeSave()) return;
    // Examples open as untitled copies: saving asks where, the bundled file stays as shipped.
    if (openFile(dialog.selectedFile())) session_->detachFromFile();
}

void MainWindow::newProject() {
    if (maybeSave()) session_->newProject();
}

bool MainWindow::saveProject() {
    if (session_->path().isEmpty()) return saveProjectAs();
    if (const auto error = session_->save()) {
        QMessageBox::warning(this, tr("Cannot save project"), *error);
        return false;
    }
    statusBar()->showMessage(tr("Saved %1").arg(session_->path()), 5000);
    return true;
}

bool MainWindow::saveProjectAs() {
    QString path = QFileDialog::getSaveFileName(this, tr("Save Project As"), session_->path(), projectFilter());
    if (path.isEmpty()) return false;
    if (QFileInfo(path).suffix().isEmpty()) path += ".nlproj";
    if (const auto error = session_->saveAs(path)) {
        QMessageBox::warning(this, tr("Cannot save project"), *error);
        return false;
    }
    return true;
}

bool MainWindow::maybeSave() {
    if (!session_->isModified()) return true;
    const auto answer = QMessageBox::warning(
        this, tr("Unsaved changes"), tr("%1 has unsaved changes. Save them?").arg(session_->displayName()),
        QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel, QMessageBox::Save);
    if (answer == QMessageBox::Save) return saveProject();
    return answer == QMessageBox::Discard;
}

void MainWindow::offerRecovery() {
    for (const Recovery& r : session_->pendingRecoveries()) {
        const QString what = r.originalPath.isEmpty() ? tr("an untitled project") : QFileInfo(r.originalPath).fileName();
        const auto answer = QMessageBox::question(
            this, tr("Recover unsaved work"),
            tr("NeuroLoom did not close normally. Autosaved work on %1 from %2 can be recovered. Recover it?")
                .arg(what, r.savedAt),
            QMessageBox::Yes | QMessageBox::No, QMessageBox::Yes);
        if (answer == QMessageBox::Yes) {
            if (const auto error = session_->recover(r)) QMessageBox::warning(this, tr("Cannot recover"), *error);
            return;
        }
        session_->discard(r);
    }
}

void MainWindow::groupSelection() {
    std::vector<std::string> ids = scene_->selectedIds();
    if (!canGroup(*model_, ids)) {
        statusBar()->showMessage(tr("Select objects of one network to group them"), 5000);
        return;
    }
    core::Network group;
    group.id = model_->uniqueId("subnetwork");
    group.label = group.id;
    core::Point at{0, 0};
    for (const std::string& id : ids) {
        const auto p = model_->position(id).value_or(core::Point{});
        at.x += p.x / ids.size();
        at.y += p.y / ids.size();
    }
    model_->undoStack()->push(new GroupCommand(model_, ids, group, at));
}

void MainWindow::showEvent(QShowEvent* event) {
    QMainWindow::showEvent(event);
    if (layoutRestored_) return;
    layoutRestored_ = true;
    // First start: the canvas gets most of the room. Dock sizes only take
    // once the window is laid out at its size, hence after this event.
    QTimer::singleShot(0, this, [this] {
        resizeDocks({findChild<QDockWidget*>("problemsDock")}, {bottomAreaHeight}, Qt::Vertical);
        resizeDocks({findChild<QDockWidget*>("paletteDock"), findChild<QDockWidget*>("inspectorDock")}, {190, 380},
                    Qt::Horizontal);
    });
}

// Each probe box on the canvas shows the last second its probe recorded
// (its first dimension); spike probes are left out, a raster is no line.
void MainWindow::updateSparklines() {
    for (const ProbeInfo& probe : simulation_->probes()) {
        ObjectItem* item = scene_->objectItem(probe.id.toStdString());
        if (!item || probe.signal == core::ProbedSignal::NeuronOutput) continue;
        item->setSparkline(sparklinePath(simulation_->series(probe.id), {{}, item->sparklineSize()}));
    }
}

void MainWindow::closeEvent(QCloseEvent* event) {
    if (!maybeSave()) {
        event->ignore();
        return;
    }
    QSettings settings;
    settings.setValue("window/geometry", saveGeometry());
    settings.setValue("window/state", saveState());
    event->accept();
}

void MainWindow::showAbout() {
    QMessageBox::about(this, tr("About NeuroLoom"),
                       tr("<b>NeuroLoom %1</b><p>Build, simulate and train Nengo-style spiking neural networks.</p>")
                           .arg(QStringLiteral(NEUROLOOM_VERSION)));
}

}  // namespace ui
