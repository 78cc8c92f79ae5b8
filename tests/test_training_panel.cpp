// The training panel, driven through its widgets on the x^2 example: set-up,
// training on the worker thread, live plots, Stop mid-epoch, freeze, the
// parameter file, export and TensorBoard actions, the TensorBoard folder's
// Browse button; the generator data sources it stores in the project; the
// pure helpers behind the plots.
#include "training/distribution_plot.h"
#include "training/histogram_plot.h"
#include "training/loss_plot.h"
#include "training/parameter_inspector.h"
#include "training/profile_view.h"
#include "training/summary_page.h"
#include "training/training_controller.h"
#include "training/training_panel.h"
#include "training/training_setup_editor.h"

#include "build/builder.h"
#include "io/examples.h"
#include "io/project.h"
#include "io/tensorboard_log.h"
#include "io/training_data_file.h"

#include <qcustomplot.h>

#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QFileDialog>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QTabWidget>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTimer>
#include <QToolButton>
#include <QtTest>

#include <cmath>
#include <filesystem>

using namespace core;

namespace {

const std::string examplePath = examplesDirectory("") + "/x_squared_training.nlproj";
const QString exampleDirectory = QString::fromStdString(std::filesystem::path(examplePath).parent_path().string());

template <class T>
T* child(const QWidget& parent, const QString& name) {
    T* w = parent.findChild<T*>(name);
    if (!w) qFatal("no widget named %s", qPrintable(name));
    return w;
}

// Types a value into a spin box the way a user does: select, type, Enter.
void typeInto(QAbstractSpinBox* box, int value) {
    box->setFocus();
    box->selectAll();
    QTest::keyClicks(box, QString::number(value));
    QTest::keyClick(box, Qt::Key_Return);
}

QCPGraph* graphNamed(QCustomPlot* plot, const QString& name) {
    for (int i = 0; i < plot->graphCount(); ++i)
        if (plot->graph(i)->name() == name) return plot->graph(i);
    return nullptr;
}

// What each summary id records under (TrainingSummary::distributions keys).
QStringList summaryKeys(const TrainOptions& options, const Network& network) {
    QStringList keys;
    for (const std::string& id : options.summaries) {
        const QString s = QString::fromStdString(id);
        const bool ensemble = std::any_of(network.ensembles.begin(), network.ensembles.end(),
                                          [&](const Ensemble& e) { return e.id == id; });
        if (s.endsWith(".neurons")) keys << s.chopped(8) + "/bias";
        else keys << s + (ensemble ? "/encoders" : "/weights");
    }
    keys.sort();
    return keys;
}

bool sameValues(const std::vector<ParameterArray>& a, const std::vector<ParameterArray>& b) {
    if (a.size() != b.size()) return false;
    for (size_t i = 0; i < a.size(); ++i)
        if (a[i].value.rows() != b[i].value.rows() || a[i].value.cols() != b[i].value.cols() || a[i].value != b[i].value)
            return false;
    return true;
}

QStringList chartKeys(const ui::SummaryPage& page) {
    QStringList keys;
    for (const ui::SummaryChart* chart : page.charts()) keys << chart->key();
    keys.sort();
    return keys;
}

bool allFinite(const std::vector<ParameterArray>& parameters) {
    for (const auto& p : parameters)
        if (!p.value.allFinite()) return false;
    return true;
}

double objectiveLoss(const BuiltModel& model, const TrainingSetup& setup, const TrainingData& data, int minibatch) {
    BpttTrainer trainer(model, minibatch);
    return trainer.loss(data, objectiveTerms(setup, data), setup.options)[0];
}

void saveScreenshot(QWidget& widget, const QString& name) {
    const QString dir = qEnvironmentVariable("NEUROLOOM_SCREENSHOT_DIR");
    if (dir.isEmpty()) return;
    QTest::qWait(100);  // let queued replots paint
    QVERIFY(widget.grab().save(dir + "/" + name));
}

// Clicks a Browse button and answers the folder dialog it opens with folder
// (cancels it when folder is empty); returns the folder the dialog opened at.
QString browseTo(QPushButton* button, const QString& folder) {
    QString opened;
    QTimer::singleShot(0, [&] {
        QWidget* modal = QApplication::activeModalWidget();
        auto* dialog = qobject_cast<QFileDialog*>(modal);
        if (!dialog) {
            if (modal) modal->close();  // not the dialog expected: fail rather than hang
            return;
        }
        opened = dialog->directory().absolutePath();
        if (folder.isEmpty()) return dialog->reject();
        dialog->setDirectory(folder);
        static_cast<QDialog*>(dialog)->accept();  // what OK calls; QFileDialog hides it
    });
    QTest::mouseClick(button, Qt::LeftButton);
    return opened;
}

struct PanelFixture {
    Project project = loadProject(examplePath);
    ui::TrainingPanel panel;
    std::vector<TrainingSetup> edits;

    PanelFixture() {
        QObject::connect(&panel, &ui::TrainingPanel::setupEdited, [this](const TrainingSetup& s) { edits.push_back(s); });
        panel.resize(1280, 820);
        panel.setProject(project, exampleDirectory);
        panel.show();
    }
    ui::TrainingController& controller() { return *panel.controller(); }
    TrainingData data() const { return loadTrainingData(panel.setup(), exampleDirectory.toStdString()); }
    void clickTrainAndWait() {
        QTest::mouseClick(child<QPushButton>(panel, "trainButton"), Qt::LeftButton);
        QVERIFY(controller().isRunning());
        QTRY_VERIFY_WITH_TIMEOUT(!controller().isRunning(), 120000);
    }
    void showTab(const QString& title) {
        auto* tabs = child<QTabWidget>(panel, "trainingTabs");
        for (int i = 0; i < tabs->count(); ++i)
            if (tabs->tabText(i) == title) tabs->setCurrentIndex(i);
    }
};

}  // namespace

class TrainingPanelTest : public QObject {
    Q_OBJECT
private slots:
    void smoothingIsTensorBoardsDebiasedMovingAverage() {
        const std::vector<double> v = {4.0, 2.0, 3.0};
        QCOMPARE(ui::exponentialMovingAverage(v, 0.0), v);
        const auto s = ui::exponentialMovingAverage(v, 0.5);
        QCOMPARE(s[0], 4.0);  // debiased: starts at the first value
        QCOMPARE(s[1], (0.25 * 4.0 + 0.5 * 2.0) / 0.75);
        QCOMPARE(s[2], (0.125 * 4.0 + 0.25 * 2.0 + 0.5 * 3.0) / 0.875);
        const auto withNan = ui::exponentialMovingAverage({1.0, NAN, 1.0}, 0.9);
        QVERIFY(std::isnan(withNan[1]));
        QCOMPARE(withNan[2], 1.0);
    }

    void smoothingOnALogAxisFollowsAGeometricFall() {
        // A loss halving every step: on a log axis a straight line. Its
        // smoothing stays within a constant factor of it (2^(w/(1-w)) = 2^1.5
        // at w = 0.6), where the linear average drifts away without bound.
        std::vector<double> loss;
        for (int i = 0; i < 40; ++i) loss.push_back(std::pow(0.5, i));
        const auto geometric = ui::geometricMovingAverage(loss, 0.6);
        const auto linear = ui::exponentialMovingAverage(loss, 0.6);
        QCOMPARE(geometric[0], 1.0);
        QVERIFY(std::abs(geometric[39] / loss[39] - std::pow(2.0, 1.5)) < 1e-3);
        QVERIFY(linear[39] / loss[39] > 1e3);  // (0.6 / 0.5)^39 and growing
        const auto withZero = ui::geometricMovingAverage({1.0, 0.0, 1.0}, 0.5);
        QCOMPARE(withZero[1], 0.0);
        QCOMPARE(withZero[2], 1.0);
    }

    void runLabelsFollowNengoDl() {
        std::vector<ui::TrainingRun> runs;
        for (const char* expected : {"train", "train_1", "train_2"}) {
            const std::string label = ui::uniqueRunLabel("train", runs);
            QCOMPARE(label, std::string(expected));
            runs.push_back({});
            runs.back().summary.label = label;
        }
        QCOMPARE(ui::uniqueRunLabel("other", runs), std::string("other"));
    }

    void histogramsShowAnEvenSpreadOfSamples() {
        QCOMPARE(ui::evenlySpread(3, 30), (std::vector<int>{0, 1, 2}));
        const auto shown = ui::evenlySpread(100, 5);
        QCOMPARE(shown, (std::vector<int>{0, 25, 50, 74, 99}));
        QVERIFY(ui::evenlySpread(0, 5).empty());
    }

    void generatorSourcesRoundTripThroughTheProjectFile() {
        Project p = loadProject(examplePath);
        TrainingSetup& s = *p.training;
        s.inputs["x"] = DataSource{{}, {}, GeneratedData{16, 40, 0.002, BandLimitedNoiseData{1, 8.0, 0.4, 5}}};
        s.targets["p_x"] = DataSource{{}, {}, GeneratedData{16, 40, 0.002, SineSweepData{1, 2.0, 9.0, 0.7}}};
        s.targets["p_y"] = DataSource{{}, {}, GeneratedData{16, 40, 0.002, GaussianClustersData{3, 2, 0.1, 9, true}}};
        s.options.profile = true;
        const Project back = projectFromJson(projectToJson(p), "round.nlproj");
        QVERIFY(back.training == p.training);

        // The arrays are the generators' own, with the shapes described.
        const TrainingData data = loadTrainingData(s, ".");
        QCOMPARE(data.inputs.at("x").n, 16);
        QCOMPARE(data.inputs.at("x").steps, 40);
        QCOMPARE(data.targets.at("p_y").size, 3);
        QVERIFY(missingDataFiles(s, "/nonexistent").empty());

        std::string text = projectToJson(p);
        text.replace(text.find("\"cutoff_hz\""), 11, "\"cutoff_hx\"");
        try {
            projectFromJson(text, "bad.nlproj");
            QFAIL("an unknown generator key was accepted");
        } catch (const Error& e) {
            QVERIFY2(e.field().find("training.inputs.x.generator") == 0, e.what());
        }
    }

    void setupShowsShapesAndRefusesWhatDoesNotFit() {
        PanelFixture f;
        auto* message = child<QLabel>(f.panel, "dataMessage");
        QTRY_VERIFY_WITH_TIMEOUT(message->text().contains("ready to train"), 20000);
        auto* table = child<QTableWidget>(f.panel, "dataSourcesTable");
        QCOMPARE(table->item(0, 0)->text(), QString("x"));
        QCOMPARE(table->item(0, 3)->text(), QString("(256, 50, 1)"));
        QCOMPARE(table->item(0, 4)->text(), QString("(n, steps, 1)"));

        // A generator of the wrong size, chosen through the widgets, is refused in red, naming the size.
        table->setCurrentCell(0, 0);
        auto* kind = child<QComboBox>(f.panel, "sourceKind");
        QCOMPARE(kind->currentIndex(), 1);  // a file
        kind->setFocus();
        QTest::keyClick(kind, Qt::Key_Down);  // the next kind: band-limited noise
        QCOMPARE(kind->currentIndex(), 2);
        QVERIFY(!f.edits.empty());
        QVERIFY(f.edits.back().inputs.at("x").generated.has_value());
        typeInto(child<QSpinBox>(f.panel, "generatorSize"), 2);
        const auto& generated = *f.edits.back().inputs.at("x").generated;
        QCOMPARE(std::get<BandLimitedNoiseData>(generated.generator).size, 2);
        QTRY_VERIFY_WITH_TIMEOUT(message->text().contains("expected size 1"), 20000);
        QVERIFY(message->styleSheet().contains("200, 30, 30"));
        QCOMPARE(table->item(0, 3)->text(), QString("(32, 100, 2)"));
    }

    void showsTheSetUpTheMainWindowGivesBack() {
        PanelFixture f;
        auto* epochs = child<QSpinBox>(f.panel, "epochs");
        typeInto(epochs, 3);
        QCOMPARE(f.edits.size(), size_t(1));
        // The main window applies the edit and hands the project back: nothing changes, nothing is re-emitted.
        Project edited = f.project;
        edited.training = f.edits.back();
        f.panel.setProject(edited, exampleDirectory);
        QCOMPARE(epochs->value(), 3);
        // Undo: the project comes back with the old set-up, and the panel shows it without reporting an edit.
        f.panel.setProject(f.project, exampleDirectory);
        QCOMPARE(epochs->value(), f.project.training->options.epochs);
        QCOMPARE(f.panel.setup(), *f.project.training);
        QCOMPARE(f.edits.size(), size_t(1));
    }

    void trainsTwoEpochsWithLivePlots() {
        PanelFixture f;
        typeInto(child<QSpinBox>(f.panel, "epochs"), 2);
        QCOMPARE(f.edits.back().options.epochs, 2);
        QCOMPARE(f.panel.setup().options.epochs, 2);
        child<QCheckBox>(f.panel, "profile")->click();
        QVERIFY(f.edits.back().options.profile);
        f.clickTrainAndWait();

        const TrainingSetup& setup = f.panel.setup();
        const long steps = 2L * f.data().sequences() / setup.minibatchSize;
        const ui::TrainingRun run = f.controller().runs().at(0);
        QCOMPARE(run.outcome, ui::RunOutcome::Finished);
        QCOMPARE(run.summary.label, std::string("train"));
        QCOMPARE(static_cast<long>(run.summary.stepLoss.size()), steps);
        QCOMPARE(run.summary.epochLoss.size(), size_t(2));
        QVERIFY2(run.summary.epochLoss[1] < run.summary.epochLoss[0], "the loss did not fall");

        // The loss plot draws every step and every epoch of the run.
        auto* loss = child<ui::LossPlot>(f.panel, "lossPlot");
        QCOMPARE(graphNamed(loss->stepPlot(), "train")->dataCount(), static_cast<int>(steps));
        QCOMPARE(graphNamed(loss->epochPlot(), "train")->dataCount(), 2);

        // One distribution and one histogram chart per summarised object, a sample every summary_every steps and at 0.
        const int samples = 1 + static_cast<int>(steps / setup.options.summaryEvery);
        // (A page draws when it is shown.)
        for (const auto& [tab, page] : {std::pair{"Distributions", "distributionsPage"}, {"Histograms", "histogramsPage"}}) {
            f.showTab(tab);
            auto* p = child<ui::SummaryPage>(f.panel, page);
            QCOMPARE(chartKeys(*p), summaryKeys(setup.options, f.project.network));
            for (const ui::SummaryChart* chart : p->charts()) QTRY_COMPARE(chart->sampleCount(), samples);
        }
        for (const ui::HistogramPlot* chart : f.panel.findChildren<ui::HistogramPlot*>())
            QCOMPARE(chart->shownCount(), std::min(samples, ui::HistogramPlot::maxShown));

        // The profile page lists where the time went, phase by phase, adding up to the run's total.
        const QTableWidget* profile = f.panel.findChild<ui::ProfileView*>()->table();
        QStringList phases;
        double seconds = 0.0;
        for (int r = 0; r < profile->rowCount(); ++r) {
            phases << profile->item(r, 0)->text();
            seconds += profile->item(r, 1)->text().toDouble();
        }
        QCOMPARE(phases, (QStringList{"Forward", "Objective", "Backward", "Optimiser", "Other"}));
        QVERIFY(std::abs(seconds - run.summary.profile.at("total")) < 1e-3);
        // Below them, one row per operator kind of the network.
        QCOMPARE(f.panel.findChild<ui::ProfileView*>()->operatorTable()->rowCount(),
                 static_cast<int>(run.summary.operatorProfile.at("forward").size()));

        // Training moved the decoders away from zero: the inspector's difference view shows it.
        auto* inspector = f.panel.findChild<ui::ParameterInspector*>();
        const auto parameters = f.controller().parameters();
        const auto weights = std::find_if(parameters.begin(), parameters.end(),
                                          [](const ParameterArray& p) { return p.objectId == "A_to_y"; });
        inspector->choose(static_cast<int>(weights - parameters.begin()), ui::ParameterInspector::View::Difference);
        QVERIFY(inspector->shown().cwiseAbs().maxCoeff() > 0.0);

        // A second call is a run of its own that continues from the trained parameters (from a fresh
        // build it would repeat the first run exactly: same data, order and seed).
        f.clickTrainAndWait();
        QCOMPARE(f.controller().runs().at(1).summary.label, std::string("train_1"));
        QCOMPARE(f.controller().runs().at(1).summary.epochLoss.size(), size_t(2));
        QVERIFY(f.controller().runs().at(1).summary.epochLoss.front() != run.summary.epochLoss.front());
        QVERIFY(graphNamed(loss->stepPlot(), "train_1") != nullptr);
    }

    void stopMidEpochKeepsTheModelConsistent() {
        PanelFixture f;
        // Minibatches of one sequence, one optimisation step per time step: an epoch of 12800 steps.
        typeInto(child<QSpinBox>(f.panel, "minibatchSize"), 1);
        typeInto(child<QSpinBox>(f.panel, "truncation"), 1);
        typeInto(child<QSpinBox>(f.panel, "epochs"), 1);
        const int stepsPerEpoch = f.data().sequences() * f.data().steps();
        // Pause as soon as the first steps arrive, then Stop: the run ends well inside its first epoch.
        auto* pause = child<QPushButton>(f.panel, "pauseButton");
        const auto pauseOnce = connect(&f.controller(), &ui::TrainingController::runUpdated, this, [&] {
            if (!f.controller().isPaused()) QTest::mouseClick(pause, Qt::LeftButton);
        });
        QTest::mouseClick(child<QPushButton>(f.panel, "trainButton"), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(f.controller().isPaused(), 60000);
        disconnect(pauseOnce);
        QCOMPARE(pause->text(), QString("Resume"));
        QTest::mouseClick(child<QPushButton>(f.panel, "stopButton"), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(!f.controller().isRunning(), 60000);

        const ui::TrainingRun& run = f.controller().runs().at(0);
        QCOMPARE(run.outcome, ui::RunOutcome::Stopped);
        QVERIFY(!run.summary.stepLoss.empty());
        QVERIFY(static_cast<int>(run.summary.stepLoss.size()) < stepsPerEpoch);
        QVERIFY(run.summary.epochLoss.empty());
        QVERIFY(child<QLabel>(f.panel, "trainingStatus")->text().contains("stopped"));

        // The model is exactly its parameters: a fresh build given them computes the same loss.
        const auto parameters = f.controller().parameters();
        QVERIFY(allFinite(parameters));
        BpttTrainer fresh(build(f.project.network, {f.project.simulation.dt, {}}), 1);
        QVERIFY(!sameValues(parameters, fresh.parameters()));
        fresh.setParameters(parameters);
        const TrainingData data = f.data();
        const double kept = objectiveLoss(f.controller().model(), f.panel.setup(), data, 1);
        QCOMPARE(objectiveLoss(fresh.model(), f.panel.setup(), data, 1), kept);
        QVERIFY(std::isfinite(kept));
    }

    void nonFiniteLossStopsWithTheLastGoodParameters() {
        PanelFixture f;
        typeInto(child<QSpinBox>(f.panel, "epochs"), 1);
        // An expression objective that is NaN everywhere, chosen in the objectives table.
        auto* objectives = child<QTableWidget>(f.panel, "objectivesTable");
        auto* type = qobject_cast<QComboBox*>(objectives->cellWidget(0, 1));
        type->setCurrentIndex(type->findText("Expression of y and t"));
        auto* expression = objectives->cellWidget(0, 2)->findChild<QLineEdit*>();
        expression->setFocus();
        expression->selectAll();
        QTest::keyClicks(expression, "sqrt(-1 - (y - t)^2)");
        QTest::keyClick(expression, Qt::Key_Return);
        QCOMPARE(std::get<ExpressionObjective>(f.edits.back().objectives.at(0).objective).expression,
                 std::string("sqrt(-1 - (y - t)^2)"));
        f.clickTrainAndWait();

        const ui::TrainingRun& run = f.controller().runs().at(0);
        QCOMPARE(run.outcome, ui::RunOutcome::Failed);
        QVERIFY2(run.message.contains("not finite") || run.message.contains("non-finite"), qPrintable(run.message));
        QVERIFY(child<QLabel>(f.panel, "trainingStatus")->text().contains("failed"));
        QVERIFY(f.controller().hasModel());
        // The very first step failed: the model keeps the parameters it was built with.
        QVERIFY(allFinite(f.controller().parameters()));
        QVERIFY(sameValues(f.controller().parameters(), f.controller().initialParameters()));
    }

    void trainsInTheChosenArithmetic() {
        // float32 chosen in the panel reaches the set-up and the run: it
        // trains (the loss falls) with the float engine, whose losses are
        // not float64's bit for bit.
        std::vector<double> losses[2];
        for (int choice : {0, 1}) {
            PanelFixture f;
            auto* dtype = child<QComboBox>(f.panel, "dtype");
            QCOMPARE(dtype->currentIndex(), 0);
            dtype->setCurrentIndex(choice);
            const auto expected = choice == 1 ? core::Precision::Float32 : core::Precision::Float64;
            QVERIFY(f.panel.setup().options.precision == expected);
            if (choice == 1) QVERIFY(f.edits.back().options.precision == expected);
            typeInto(child<QSpinBox>(f.panel, "epochs"), 2);
            f.clickTrainAndWait();
            const ui::TrainingRun run = f.controller().runs().at(0);
            QCOMPARE(run.outcome, ui::RunOutcome::Finished);
            QVERIFY2(run.summary.epochLoss[1] < run.summary.epochLoss[0], "the loss did not fall");
            losses[choice] = run.summary.stepLoss;
        }
        QVERIFY(losses[0] != losses[1]);
        for (size_t k = 0; k < losses[0].size(); ++k) QVERIFY(std::abs(losses[1][k] - losses[0][k]) <= 1e-3 * losses[0][k]);
    }

    void chosenLogdirsAreStoredRelativeToTheSavedProject() {
        QCOMPARE(ui::projectRelativePath("/home/me/model/runs/tb", "/home/me/model"), QString("runs/tb"));
        QCOMPARE(ui::projectRelativePath("/home/me/runs", "/home/me/model"), QString("../runs"));
        QCOMPARE(ui::projectRelativePath("/home/me/model", "/home/me/model"), QString("."));  // not "", which is no folder
        QCOMPARE(ui::projectRelativePath("/home/me/runs/", ""), QString("/home/me/runs"));  // unsaved: nothing to be relative to
    }

    void browsingForTheLogdirCommitsItLikeTypingIt() {
        PanelFixture f;
        QTemporaryDir projectDir;  // stands in for the project's folder, to stay out of the examples
        QVERIFY(QDir(projectDir.path()).mkpath("runs/tb"));
        const QString runs = projectDir.filePath("runs");
        f.panel.setProject(f.project, projectDir.path());
        auto* field = child<QLineEdit>(f.panel, "logdir");
        auto* browse = child<QPushButton>(f.panel, "logdirBrowse");
        QVERIFY(browse->isEnabled());
        QVERIFY(field->text().isEmpty());
        QVERIFY(f.edits.empty());

        // No folder yet: the dialog opens at the project's; the choice is stored relative to it, as an edit.
        QCOMPARE(browseTo(browse, projectDir.filePath("runs/tb")), projectDir.path());
        QCOMPARE(field->text(), QString("runs/tb"));
        QCOMPARE(f.edits.size(), size_t(1));
        QCOMPARE(f.edits.back().logdir, std::string("runs/tb"));
        QCOMPARE(f.panel.setup().logdir, std::string("runs/tb"));

        // A typed folder the first run has not created yet: the dialog opens at the nearest one that exists.
        field->setText("runs/new/deeper");
        QCOMPARE(browseTo(browse, {}), runs);
        QCOMPARE(f.panel.setup().logdir, std::string("runs/tb"));  // cancelled: nothing committed
        QCOMPARE(f.edits.size(), size_t(1));
        QCOMPARE(browseTo(browse, runs), runs);
        QCOMPARE(f.edits.back().logdir, std::string("runs"));

        // An unsaved project has no folder to be relative to: the folder is stored whole.
        f.panel.setProject(f.project, QString());
        browseTo(browse, projectDir.filePath("runs/tb"));
        QCOMPARE(field->text(), projectDir.filePath("runs/tb"));
        QCOMPARE(QString::fromStdString(f.panel.setup().logdir), projectDir.filePath("runs/tb"));
    }

    void frozenNetworkExportAndFilesReproduceTheTrainedModel() {
        PanelFixture f;
        typeInto(child<QSpinBox>(f.panel, "epochs"), 1);
        // The set-up's TensorBoard folder (absolute here, to stay out of the examples) gets the run when it ends.
        QTemporaryDir logdir;
        auto* logdirField = child<QLineEdit>(f.panel, "logdir");
        logdirField->setFocus();
        QTest::keyClicks(logdirField, logdir.path());
        QTest::keyClick(logdirField, Qt::Key_Return);
        QCOMPARE(QString::fromStdString(f.edits.back().logdir), logdir.path());
        f.clickTrainAndWait();
        QCOMPARE(QDir(logdir.filePath("train")).entryList({"events.out.tfevents.*"}).size(), 1);
        QVERIFY(child<QLabel>(f.panel, "trainingStatus")->text().contains("TensorBoard log written to " + logdir.path()));
        const TrainingSetup setup = f.panel.setup();
        const TrainingData data = f.data();
        const double trained = objectiveLoss(f.controller().model(), setup, data, setup.minibatchSize);
        auto close = [&](double loss) { return std::abs(loss - trained) <= 1e-9 * std::abs(trained); };

        std::optional<Network> frozen;
        connect(&f.panel, &ui::TrainingPanel::networkFrozen, this, [&](const Network& n) { frozen = n; });
        auto* freeze = child<QToolButton>(f.panel, "freezeButton");
        QVERIFY(freeze->isEnabled());
        QTest::mouseClick(freeze, Qt::LeftButton, {}, QPoint(8, freeze->height() / 2));
        QVERIFY(frozen.has_value());
        const double frozenLoss = objectiveLoss(build(*frozen, {f.project.simulation.dt, {}}), setup, data, setup.minibatchSize);
        QVERIFY2(close(frozenLoss), qPrintable(QString("frozen %1, trained %2").arg(frozenLoss).arg(trained)));

        QTemporaryDir dir;
        const QString json = dir.filePath("trained.nlproj");
        QVERIFY(f.panel.exportTrained(ExportFormat::Json, json));
        const Project exported = loadProject(json.toStdString());
        QVERIFY(close(objectiveLoss(build(exported.network, {exported.simulation.dt, {}}), setup, data, setup.minibatchSize)));
        QVERIFY(f.panel.exportTrained(ExportFormat::Nengo, dir.filePath("trained.py")));
        QVERIFY(QFileInfo(dir.filePath("trained.py")).size() > 0);
        // NIR has no rate neurons and takes its inputs from outside: refused, naming the objects.
        QVERIFY(!f.panel.exportTrainedNir(dir.filePath("trained.nir"), false));
        QVERIFY(child<QLabel>(f.panel, "trainingStatus")->text().contains("LIFRate"));
        QVERIFY(!QFileInfo::exists(dir.filePath("trained.nir")));

        // Save params, forget the model, load them back: the same parameters.
        const auto before = f.controller().parameters();
        QVERIFY(f.panel.saveParameters(dir.filePath("params.npz")));
        QTest::mouseClick(child<QPushButton>(f.panel, "resetModelButton"), Qt::LeftButton);
        QVERIFY(!f.controller().hasModel());
        // Loading builds the model off the UI thread; the panel says when it is done.
        QSignalSpy loaded(&f.controller(), &ui::TrainingController::parametersLoaded);
        QVERIFY(f.panel.loadParameters(dir.filePath("params.npz")));
        QVERIFY(!child<QPushButton>(f.panel, "trainButton")->isEnabled());
        QVERIFY(!child<QPushButton>(f.panel, "stopButton")->isEnabled());
        QVERIFY(!f.panel.loadParameters(dir.filePath("params.npz")));  // one load at a time
        QVERIFY(loaded.wait(20000));
        QCOMPARE(loaded.takeFirst().at(0).toString(), QString());
        QVERIFY(sameValues(f.controller().parameters(), before));
        QVERIFY(child<QPushButton>(f.panel, "trainButton")->isEnabled());
        QVERIFY(f.panel.loadParameters(dir.filePath("missing.npz")));
        QVERIFY(loaded.wait(20000));
        QVERIFY(loaded.takeFirst().at(0).toString().contains("missing.npz"));
        QVERIFY(child<QLabel>(f.panel, "trainingStatus")->text().contains("missing.npz"));
        QVERIFY(sameValues(f.controller().parameters(), before));  // a failed load changes nothing

        // Every run's summaries as a TensorBoard log, a loss event per step.
        QVERIFY(f.panel.writeTensorBoardLogs(dir.path()));
        const QStringList logs = QDir(dir.filePath("train")).entryList({"events.out.tfevents.*"});
        QCOMPARE(logs.size(), 1);
        const auto events = readTensorBoardLog(dir.filePath("train/" + logs[0]).toStdString());
        const auto losses = std::count_if(events.begin(), events.end(), [](const TensorBoardEvent& e) { return e.tag == "loss"; });
        QCOMPARE(static_cast<size_t>(losses), f.controller().runs()[0].summary.stepLoss.size());
    }

    // Not a check of figures: the pictures in docs/screenshots, taken while
    // and after training, when NEUROLOOM_SCREENSHOT_DIR is set.
    void screenshots() {
        if (qEnvironmentVariableIsEmpty("NEUROLOOM_SCREENSHOT_DIR")) QSKIP("NEUROLOOM_SCREENSHOT_DIR is not set");
        PanelFixture f;
        auto* message = child<QLabel>(f.panel, "dataMessage");
        QTRY_VERIFY_WITH_TIMEOUT(message->text().contains("ready to train"), 20000);
        child<QCheckBox>(f.panel, "profile")->setChecked(true);
        saveScreenshot(f.panel, "training-panel.png");
        f.clickTrainAndWait();
        typeInto(child<QSpinBox>(f.panel, "epochs"), 60);
        f.showTab("Loss");
        child<QCheckBox>(f.panel, "logScale")->click();
        QTest::mouseClick(child<QPushButton>(f.panel, "trainButton"), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(f.controller().runs().at(1).summary.epochLoss.size() >= 25, 60000);
        saveScreenshot(f.panel, "training-live.png");
        QTRY_VERIFY_WITH_TIMEOUT(!f.controller().isRunning(), 120000);
        saveScreenshot(f.panel, "training-loss.png");
        f.showTab("Distributions");
        saveScreenshot(f.panel, "training-distributions.png");
        f.showTab("Histograms");
        saveScreenshot(f.panel, "training-histograms.png");
        f.showTab("Parameters");
        f.panel.findChild<ui::ParameterInspector*>()->choose(0, ui::ParameterInspector::View::Difference);
        saveScreenshot(f.panel, "training-parameters.png");
        f.showTab("Profile");
        saveScreenshot(f.panel, "training-profile.png");
    }
};

QTEST_MAIN(TrainingPanelTest)
#include "test_training_panel.moc"
