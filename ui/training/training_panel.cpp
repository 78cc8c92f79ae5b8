#include "training/training_panel.h"

#include "training/data_check.h"
#include "training/distribution_plot.h"
#include "training/histogram_plot.h"
#include "training/loss_plot.h"
#include "training/parameter_inspector.h"
#include "training/profile_view.h"
#include "training/summary_page.h"
#include "training/training_controller.h"
#include "training/training_objects.h"
#include "training/training_setup_editor.h"

#include "common/error.h"
#include "io/atomic_file.h"
#include "io/nir_export.h"
#include "io/params_file.h"
#include "io/tensorboard_log.h"
#include "io/training_data_file.h"
#include "train/freeze.h"

#include <QDialog>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QMenu>
#include <QProgressBar>
#include <QPushButton>
#include <QScrollArea>
#include <QTabWidget>
#include <QToolButton>
#include <QVBoxLayout>

#include <cmath>

namespace ui {

namespace {

QString duration(double seconds) {
    const long s = std::lround(seconds);
    if (s < 60) return QObject::tr("%1 s").arg(s);
    return QObject::tr("%1 min %2 s").arg(s / 60).arg(s % 60, 2, 10, QChar('0'));
}

QString progressText(const core::TrainProgress& p) {
    const long total = static_cast<long>(p.epochs) * p.stepsPerEpoch;
    const long done = static_cast<long>(p.epoch - 1) * p.stepsPerEpoch + p.step;
    QString text = QObject::tr("epoch %1/%2 · step %3/%4 · loss %5")
                       .arg(p.epoch)
                       .arg(p.epochs)
                       .arg(p.step)
                       .arg(p.stepsPerEpoch)
                       .arg(p.loss, 0, 'g', 4);
    if (done > 0 && done < total) text += QObject::tr(" · %1 left").arg(duration(p.seconds / done * (total - done)));
    return text;
}

QPushButton* button(const QString& text, const QString& name, const QString& tip = {}) {
    auto* b = new QPushButton(text);
    b->setObjectName(name);
    b->setToolTip(tip);
    return b;
}

}  // namespace

TrainingPanel::TrainingPanel(QWidget* parent) : QWidget(parent) {
    controller_ = new TrainingController(this);
    checker_ = new DataChecker(this);
    setupEditor_ = new TrainingSetupEditor;
    loss_ = new LossPlot;
    loss_->setObjectName("lossPlot");
    distributions_ = new SummaryPage(controller_, [](const QString& key) { return new DistributionPlot(key); });
    distributions_->setObjectName("distributionsPage");
    histograms_ = new SummaryPage(controller_, [](const QString& key) { return new HistogramPlot(key); });
    histograms_->setObjectName("histogramsPage");
    parameters_ = new ParameterInspector;
    profile_ = new ProfileView;

    // The lock note sits on the set-up page, where it matters: showing it there
    // moves nothing on the pages of live charts.
    lockNote_ = new QLabel(tr("Training is running: the set-up is locked until it stops. "
                              "Edits to the network elsewhere apply to the next run."));
    lockNote_->setObjectName("lockNote");
    lockNote_->setStyleSheet("background: rgb(255, 244, 214); color: rgb(110, 80, 0); padding: 4px; border-radius: 3px;");
    lockNote_->hide();
    auto* setupScroll = new QScrollArea;
    setupScroll->setWidget(setupEditor_);
    setupScroll->setWidgetResizable(true);
    setupScroll->setFrameShape(QFrame::NoFrame);
    auto* setupPage = new QWidget;
    auto* setupLayout = new QVBoxLayout(setupPage);
    setupLayout->setContentsMargins(0, 0, 0, 0);
    setupLayout->addWidget(lockNote_);
    setupLayout->addWidget(setupScroll, 1);
    tabs_ = new QTabWidget;
    tabs_->setObjectName("trainingTabs");
    tabs_->addTab(setupPage, tr("Set-up"));
    tabs_->addTab(loss_, tr("Loss"));
    tabs_->addTab(distributions_, tr("Distributions"));
    tabs_->addTab(histograms_, tr("Histograms"));
    tabs_->addTab(parameters_, tr("Parameters"));
    tabs_->addTab(profile_, tr("Profile"));
    connect(tabs_, &QTabWidget::currentChanged, this, [this] {
        if (tabs_->currentWidget() != loss_) return;
        for (int run = 0; run < static_cast<int>(controller_->runs().size()); ++run)
            loss_->showRun(run, controller_->runs()[run].summary);
    });

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(runBar());
    layout->addWidget(actionBar());
    layout->addWidget(tabs_, 1);

    connect(setupEditor_, &TrainingSetupEditor::edited, this, &TrainingPanel::onSetupEdited);
    connect(checker_, &DataChecker::checked, this, &TrainingPanel::showCheck);
    connect(controller_, &TrainingController::runStarted, this, &TrainingPanel::onRunStarted);
    connect(controller_, &TrainingController::runUpdated, this, &TrainingPanel::onRunUpdated);
    connect(controller_, &TrainingController::runEnded, this, &TrainingPanel::onRunEnded);
    connect(controller_, &TrainingController::modelChanged, this, &TrainingPanel::refreshModelViews);
    connect(controller_, &TrainingController::pausedChanged, this, [this](bool paused) {
        pause_->setText(paused ? tr("Resume") : tr("Pause"));
        if (controller_->isRunning()) setStatus(paused ? tr("Paused at a step boundary.") : tr("Training…"));
    });
    updateActions();
    setStatus(tr("Set up the data and objectives, then press Train."));
}

TrainingPanel::~TrainingPanel() = default;

QWidget* TrainingPanel::runBar() {
    train_ = button(tr("Train"), "trainButton", tr("Run the set-up's epochs, continuing from the trained parameters"));
    pause_ = button(tr("Pause"), "pauseButton");
    stop_ = button(tr("Stop"), "stopButton", tr("Stop at the next step; the parameters stay those of the last step"));
    progress_ = new QProgressBar;
    progress_->setObjectName("trainingProgress");
    progress_->setTextVisible(true);
    progress_->setFormat(tr("not started"));
    progress_->setValue(0);
    status_ = new QLabel;
    status_->setObjectName("trainingStatus");
    status_->setWordWrap(true);
    status_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    connect(train_, &QPushButton::clicked, this, &TrainingPanel::train);
    connect(pause_, &QPushButton::clicked, this, [this] { controller_->setPaused(!controller_->isPaused()); });
    connect(stop_, &QPushButton::clicked, this, [this] {
        controller_->stop();
        setStatus(tr("Stopping at the next step…"));
    });

    auto* bar = new QWidget;
    auto* layout = new QGridLayout(bar);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(train_, 0, 0);
    layout->addWidget(pause_, 0, 1);
    layout->addWidget(stop_, 0, 2);
    layout->addWidget(progress_, 0, 3);
    layout->addWidget(status_, 1, 0, 1, 4);
    layout->setColumnStretch(3, 1);
    return bar;
}

QWidget* TrainingPanel::actionBar() {
    saveParams_ = button(tr("Save params…"), "saveParamsButton", tr("The trained parameters as .npz (NengoDL's save_params)"));
    loadParams_ = button(tr("Load params…"), "loadParamsButton", tr("Parameters from .npz into the model"));
    freeze_ = new QToolButton;
    freeze_->setObjectName("freezeButton");
    freeze_->setText(tr("Freeze"));
    freeze_->setToolTip(tr("Write the trained parameters into the network (NengoDL's freeze_params)"));
    freeze_->setPopupMode(QToolButton::MenuButtonPopup);
    auto* freezeMenu = new QMenu(freeze_);
    freezeMenu->addAction(tr("Whole network"), this, [this] { freeze(); });
    freezeMenu->addAction(tr("Selected objects…"), this, &TrainingPanel::freezeChosen);
    freeze_->setMenu(freezeMenu);
    connect(freeze_, &QToolButton::clicked, this, [this] { freeze(); });
    export_ = new QToolButton;
    export_->setObjectName("exportButton");
    export_->setText(tr("Export"));
    export_->setPopupMode(QToolButton::InstantPopup);
    auto* exportMenu = new QMenu(export_);
    auto exportAs = [this](core::ExportFormat format, const QString& title, const QString& filter) {
        const QString path = QFileDialog::getSaveFileName(this, title, directory_, filter);
        if (!path.isEmpty()) exportTrained(format, path);
    };
    exportMenu->addAction(tr("Nengo script…"), this,
                          [=] { exportAs(core::ExportFormat::Nengo, tr("Export as a Nengo script"), tr("Python (*.py)")); });
    exportMenu->addAction(tr("NeuroLoom JSON (explicit parameters)…"), this, [=] {
        exportAs(core::ExportFormat::Json, tr("Export as a project with explicit parameters"), tr("NeuroLoom project (*.nlproj)"));
    });
    auto exportNir = [this](bool dropRefractoryPeriod) {
        const QString path = QFileDialog::getSaveFileName(this, tr("Export as a NIR graph"), directory_, tr("NIR graph (*.nir)"));
        if (!path.isEmpty()) exportTrainedNir(path, dropRefractoryPeriod);
    };
    exportMenu->addAction(tr("NIR graph…"), this, [=] { exportNir(false); });
    exportMenu->addAction(tr("NIR graph, dropping LIF refractory periods…"), this, [=] { exportNir(true); });
    export_->setMenu(exportMenu);
    tensorBoard_ = button(tr("Write TensorBoard log…"), "tensorBoardButton", tr("Every run's summaries as event files"));
    resetModel_ = button(tr("Reset model"), "resetModelButton", tr("Forget the trained parameters: the next run starts from a fresh build"));

    connect(saveParams_, &QPushButton::clicked, this, [this] {
        const QString path = QFileDialog::getSaveFileName(this, tr("Save parameters"), directory_, tr("NumPy archive (*.npz)"));
        if (!path.isEmpty()) saveParameters(path);
    });
    connect(loadParams_, &QPushButton::clicked, this, [this] {
        const QString path = QFileDialog::getOpenFileName(this, tr("Load parameters"), directory_, tr("NumPy archive (*.npz)"));
        if (!path.isEmpty()) loadParameters(path);
    });
    connect(tensorBoard_, &QPushButton::clicked, this, [this] {
        const std::string logdir = core::logDirectory(setup(), directory_.toStdString());
        const QString start = logdir.empty() ? directory_ : QString::fromStdString(logdir);
        const QString dir = QFileDialog::getExistingDirectory(this, tr("TensorBoard log folder"), start);
        if (!dir.isEmpty()) writeTensorBoardLogs(dir);
    });
    connect(resetModel_, &QPushButton::clicked, this, [this] {
        controller_->resetModel();
        setStatus(tr("The next run starts from a fresh build of the network."));
    });

    auto* bar = new QWidget;
    auto* layout = new QHBoxLayout(bar);
    layout->setContentsMargins(0, 0, 0, 0);
    for (QWidget* w : std::initializer_list<QWidget*>{saveParams_, loadParams_, freeze_, export_, tensorBoard_})
        layout->addWidget(w);
    layout->addStretch(1);
    layout->addWidget(resetModel_);
    return bar;
}

void TrainingPanel::setProject(const core::Project& project, const QString& projectDirectory) {
    const bool same = project.network == project_.network && project.simulation == project_.simulation &&
                      project.training == project_.training && projectDirectory == directory_;
    project_ = project;
    directory_ = projectDirectory;
    if (same) return;
    setupEditor_->setProject(project, projectDirectory);
    project_.training = setupEditor_->setup();
    requestCheck();
    updateActions();
}

const core::TrainingSetup& TrainingPanel::setup() const { return setupEditor_->setup(); }

void TrainingPanel::onSetupEdited(const core::TrainingSetup& setup) {
    project_.training = setup;
    requestCheck();
    emit setupEdited(setup);
}

void TrainingPanel::requestCheck() {
    setupEditor_->markChecking();
    checker_->request(project_, directory_);
}

void TrainingPanel::showCheck(const DataCheck& check) { setupEditor_->setCheck(check); }

void TrainingPanel::train() {
    core::Project project = project_;
    project.training = setupEditor_->setup();
    if (!controller_->train(project, directory_)) return;
    setupEditor_->setEnabled(false);
    lockNote_->show();
    updateActions();
}

void TrainingPanel::onRunStarted(int run) {
    const TrainingRun& r = controller_->runs()[run];
    loss_->showRun(run, r.summary);
    distributions_->runStarted(run);
    histograms_->runStarted(run);
    progress_->setRange(0, 0);  // busy until the first step reports how many there are
    progress_->setFormat(tr("preparing %1…").arg(QString::fromStdString(r.summary.label)));
    setStatus(controller_->isPaused() ? tr("Paused.") : tr("Building the model and loading the data…"));
}

void TrainingPanel::onRunUpdated(int run, const TrainingUpdate& update) {
    if (!update.stepLoss.empty()) {
        showProgress(run);
        if (!controller_->isPaused()) setStatus(tr("Training %1…").arg(QString::fromStdString(controller_->runs()[run].summary.label)));
    }
    // Hidden views catch up when they are shown.
    if (loss_->isVisible()) loss_->showRun(run, controller_->runs()[run].summary);
    if (!update.distributions.empty()) {
        distributions_->runChanged(run);
        histograms_->runChanged(run);
    }
}

void TrainingPanel::showProgress(int run) {
    const core::TrainProgress& p = controller_->runs()[run].progress;
    const long total = static_cast<long>(p.epochs) * p.stepsPerEpoch;
    if (total <= 0) return;
    progress_->setRange(0, static_cast<int>(std::min<long>(total, INT_MAX)));
    progress_->setValue(static_cast<int>(std::min<long>(static_cast<long>(p.epoch - 1) * p.stepsPerEpoch + p.step, INT_MAX)));
    progress_->setFormat(progressText(p));
}

void TrainingPanel::onRunEnded(int run) {
    const TrainingRun& r = controller_->runs()[run];
    const QString label = QString::fromStdString(r.summary.label);
    setupEditor_->setEnabled(true);
    lockNote_->hide();
    loss_->showRun(run, r.summary);
    distributions_->runChanged(run);
    histograms_->runChanged(run);
    profile_->setProfile(label, r.summary.profile, r.summary.operatorProfile);
    showProgress(run);
    if (progress_->maximum() == 0) progress_->setRange(0, 1);  // it never reported a step
    const long steps = static_cast<long>(r.summary.stepLoss.size());
    const QString last = r.summary.stepLoss.empty() ? QString() : tr(", last loss %1").arg(r.summary.stepLoss.back(), 0, 'g', 4);
    switch (r.outcome) {
        case RunOutcome::Finished: setStatus(tr("%1 finished: %2 steps%3.").arg(label).arg(steps).arg(last)); break;
        case RunOutcome::Stopped:
            setStatus(tr("%1 stopped after %2 steps%3; the model keeps the parameters of the last step.").arg(label).arg(steps).arg(last));
            break;
        default: setStatus(tr("%1 failed: %2").arg(label, r.message), true); break;
    }
    if (r.outcome != RunOutcome::Failed) writeRunToLogdir(r.summary);
    updateActions();
}

void TrainingPanel::writeRunToLogdir(const core::TrainingSummary& summary) {
    const std::string logdir = core::logDirectory(setup(), directory_.toStdString());
    if (logdir.empty()) return;
    try {
        const QString path = QString::fromStdString(core::writeTensorBoardLog(summary, logdir));
        setStatus(status_->text() + " " + tr("TensorBoard log written to %1.").arg(path));
    } catch (const std::exception& e) {
        setStatus(QString::fromStdString(e.what()), true);
    }
}

void TrainingPanel::refreshModelViews() {
    if (controller_->hasModel()) parameters_->setParameters(controller_->initialParameters(), controller_->parameters());
    else parameters_->setParameters({}, {});
    updateActions();
}

void TrainingPanel::updateActions() {
    const bool running = controller_->isRunning();
    const bool model = controller_->hasModel() && !running;
    // Freezing writes into the network the model was built from: only while that is still the project's.
    const bool current = model && controller_->modelMatches(project_.network, project_.simulation.dt);
    train_->setEnabled(!running);
    pause_->setEnabled(running && !controller_->isLoading());
    stop_->setEnabled(running && !controller_->isLoading());
    saveParams_->setEnabled(model);
    loadParams_->setEnabled(!running);
    freeze_->setEnabled(current);
    freeze_->setToolTip(current || !model ? tr("Write the trained parameters into the network (NengoDL's freeze_params)")
                                          : tr("The network changed since training: train again to freeze"));
    export_->setEnabled(current);
    tensorBoard_->setEnabled(!running && !controller_->runs().empty());
    resetModel_->setEnabled(model);
    if (!running) pause_->setText(tr("Pause"));
}

void TrainingPanel::setStatus(const QString& text, bool error) {
    status_->setStyleSheet(error ? "color: rgb(200, 30, 30);" : QString());
    status_->setText(text);
}

bool TrainingPanel::saveParameters(const QString& path) {
    if (!controller_->hasModel() || controller_->isRunning()) return false;
    try {
        core::saveParameters(controller_->model(), path.toStdString());
        setStatus(tr("Parameters saved to %1.").arg(path));
        return true;
    } catch (const std::exception& e) {
        setStatus(QString::fromStdString(e.what()), true);
        return false;
    }
}

bool TrainingPanel::loadParameters(const QString& path) {
    core::Project project = project_;
    project.training = setupEditor_->setup();
    if (!controller_->loadParameters(project, path.toStdString())) return false;
    setStatus(tr("Loading parameters from %1…").arg(path));
    updateActions();
    // One reply per load: the connection goes with it.
    auto* reply = new QObject(this);
    connect(controller_, &TrainingController::parametersLoaded, reply, [this, path, reply](const QString& error) {
        reply->deleteLater();
        if (error.isEmpty()) setStatus(tr("Parameters loaded from %1; the next run continues from them.").arg(path));
        else setStatus(error, true);
        updateActions();
    });
    return true;
}

core::Project TrainingPanel::trainedProject() const {
    core::Project project = project_;
    project.training = setupEditor_->setup();
    core::freezeParameters(project.network, controller_->model());
    return project;
}

bool TrainingPanel::exportTrained(core::ExportFormat format, const QString& path) {
    if (!export_->isEnabled()) return false;
    try {
        const core::Project project = trainedProject();
        core::writeFileAtomically(path.toStdString(), core::exportProject(project, format, project.simulation.duration));
        setStatus(tr("The trained model exported to %1.").arg(path));
        return true;
    } catch (const std::exception& e) {
        setStatus(QString::fromStdString(e.what()), true);
        return false;
    }
}

bool TrainingPanel::exportTrainedNir(const QString& path, bool dropRefractoryPeriod) {
    if (!export_->isEnabled()) return false;
    try {
        core::NirOptions options;
        options.dropRefractoryPeriod = dropRefractoryPeriod;
        core::writeNir(controller_->modelNetwork(), controller_->model(), path.toStdString(), options);
        setStatus(tr("The trained model exported to %1.").arg(path));
        return true;
    } catch (const std::exception& e) {
        setStatus(QString::fromStdString(e.what()), true);
        return false;
    }
}

bool TrainingPanel::writeTensorBoardLogs(const QString& directory) {
    if (controller_->isRunning()) return false;
    try {
        for (const TrainingRun& r : controller_->runs()) core::writeTensorBoardLog(r.summary, directory.toStdString());
        setStatus(tr("%n run(s) written to %1: tensorboard --logdir %1", nullptr, static_cast<int>(controller_->runs().size()))
                      .arg(directory));
        return true;
    } catch (const std::exception& e) {
        setStatus(QString::fromStdString(e.what()), true);
        return false;
    }
}

bool TrainingPanel::freeze(const std::vector<std::string>& objectIds) {
    if (!freeze_->isEnabled()) return false;
    try {
        core::Network network = controller_->modelNetwork();
        core::freezeParameters(network, controller_->model(), objectIds);
        controller_->adoptNetwork(network);
        project_.network = network;
        setStatus(objectIds.empty() ? tr("The trained parameters are now part of the network.")
                                    : tr("The trained parameters of %n object(s) are now part of the network.", nullptr,
                                         static_cast<int>(objectIds.size())));
        emit networkFrozen(network);
        return true;
    } catch (const std::exception& e) {
        setStatus(QString::fromStdString(e.what()), true);
        return false;
    }
}

void TrainingPanel::freezeChosen() {
    QDialog dialog(this);
    dialog.setWindowTitle(tr("Freeze parameters of"));
    auto* list = new QListWidget;
    const TrainingObjects objects = trainingObjects(controller_->modelNetwork());
    for (const auto* group : {&objects.ensembles, &objects.connections})
        for (const NamedObject& o : *group) {
            auto* item = new QListWidgetItem(o.title, list);
            item->setData(Qt::UserRole, QString::fromStdString(o.id));
            item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsUserCheckable);
            item->setCheckState(Qt::Checked);
        }
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
    connect(buttons, &QDialogButtonBox::accepted, &dialog, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, &dialog, &QDialog::reject);
    auto* layout = new QVBoxLayout(&dialog);
    layout->addWidget(list);
    layout->addWidget(buttons);
    if (dialog.exec() != QDialog::Accepted) return;
    std::vector<std::string> ids;
    for (int i = 0; i < list->count(); ++i)
        if (list->item(i)->checkState() == Qt::Checked) ids.push_back(list->item(i)->data(Qt::UserRole).toString().toStdString());
    if (!ids.empty()) freeze(ids);
}

}  // namespace ui
