// The whole window: menus, opening examples (and refusing bad files without
// losing the open project), the problem list and the run button, live plots
// attached from the canvas, and screenshots of the main views.
#include "editor/edit_commands.h"
#include "editor/graph_items.h"
#include "editor/graph_model.h"
#include "editor/graph_scene.h"
#include "editor/graph_view.h"
#include "editor/project_session.h"
#include "io/examples.h"
#include "main_window.h"
#include "plots/plot_dock.h"
#include "simulation/simulation_controller.h"

#include <QAction>
#include <QApplication>
#include <QDockWidget>
#include <QListWidget>
#include <QMenuBar>
#include <QTemporaryDir>
#include <QUndoStack>
#include <QtTest>

static void initIcons() { Q_INIT_RESOURCE(icons); }

using namespace ui;

namespace {

QString example(const char* name) {
    return QString::fromStdString(core::examplesDirectory("")) + "/" + name + ".nlproj";
}

// Message boxes are modal: answer them as a user pressing Escape would.
void dismissDialogsSoon() {
    QTimer::singleShot(200, [] {
        if (QWidget* w = QApplication::activeModalWidget()) w->close();
    });
}

void screenshot(QWidget& w, const char* name) {
    // For looking at it: NEUROLOOM_SCREENSHOT_DIR=/tmp ./test_main_window
    if (const QString dir = qEnvironmentVariable("NEUROLOOM_SCREENSHOT_DIR"); !dir.isEmpty())
        QVERIFY(w.grab().save(dir + "/" + name));
}

}  // namespace

class MainWindowTest : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;

private slots:
    void initTestCase() {
        initIcons();
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName("NeuroLoomTest");
        QCoreApplication::setApplicationName("test_main_window");
        QSettings().clear();
    }

    void opensWithMenusAndEmptyCanvas() {
        MainWindow w(nullptr, dir_.filePath("autosave"));
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        QStringList menus;
        for (QAction* a : w.menuBar()->actions()) menus << a->text().remove('&');
        for (const char* m : {"File", "Edit", "View", "Simulation", "Help"}) QVERIFY2(menus.contains(m), m);
        QVERIFY(w.canvas()->isVisible());
        // On first start the canvas gets most of the height, the docks under it a strip.
        QTRY_VERIFY(w.canvas()->height() > 2 * w.findChild<QDockWidget*>("problemsDock")->height());
        QVERIFY(w.scene()->objectItems().empty());
        QVERIFY(w.windowTitle().contains("Untitled"));
    }

    void opensAnExampleOntoTheCanvas() {
        MainWindow w(nullptr, dir_.filePath("autosave"));
        w.show();
        QVERIFY(w.openFile(example("product")));
        const core::Network& net = w.model()->project().network;
        QCOMPARE(w.scene()->objectItems().size(), net.nodes.size() + net.ensembles.size() + net.probes.size());
        QVERIFY(w.windowTitle().startsWith("product.nlproj"));
        QTRY_VERIFY(w.problemsList()->count() == 0 || !w.runAction()->toolTip().contains("Cannot"));
        QVERIFY(w.runAction()->isEnabled());
        QTest::qWait(50);  // the first-start dock sizes
        screenshot(w, "main_window.png");
    }

    void badFileKeepsTheOpenProject() {
        MainWindow w(nullptr, dir_.filePath("autosave"));
        QVERIFY(w.openFile(example("squaring")));
        const core::Project before = w.model()->project();
        QFile bad(dir_.filePath("bad.nlproj"));
        QVERIFY(bad.open(QIODevice::WriteOnly));
        bad.write("{\"format\": \"neuroloom-project\", \"version\": 1, \"network\": [");
        bad.close();
        dismissDialogsSoon();
        QVERIFY(!w.openFile(bad.fileName()));
        QVERIFY(w.model()->project() == before);
        QVERIFY(w.windowTitle().startsWith("squaring.nlproj"));
    }

    void problemsDisableTheRunButtonWithTheReason() {
        MainWindow w(nullptr, dir_.filePath("autosave"));
        QVERIFY(w.openFile(example("squaring")));
        QTRY_VERIFY(w.runAction()->isEnabled());
        core::Ensemble e = w.model()->project().network.ensembles.front();
        e.dimensions = 2;
        w.model()->undoStack()->push(new ChangeObjectCommand(w.model(), e, "dimensions"));
        QTRY_VERIFY(!w.runAction()->isEnabled());
        QVERIFY(w.runAction()->toolTip().contains("Cannot run"));
        QVERIFY(w.problemsList()->count() > 0);
        QVERIFY(w.problemsList()->item(0)->text().contains(QString::fromStdString(e.label)));
        w.model()->undoStack()->undo();
        QTRY_VERIFY(w.runAction()->isEnabled());
    }

    void plotsAttachFromTheCanvasAndRunLive() {
        MainWindow w(nullptr, dir_.filePath("autosave"));
        w.resize(1500, 950);
        w.show();
        QVERIFY(w.openFile(example("communication_channel")));
        const auto& net = w.model()->project().network;
        const std::string b = net.ensembles.back().id;
        const size_t probes = net.probes.size();
        // A spike raster needs a neuron probe: it is added (undoably) first.
        QVERIFY(w.showPlot(PlotKind::SpikeRaster, b));
        QCOMPARE(w.model()->project().network.probes.size(), probes + 1);
        QVERIFY(w.showPlot(PlotKind::Value, b));  // reuses the example's probe of B
        QCOMPARE(w.model()->project().network.probes.size(), probes + 1);
        w.simulation()->setSpeed(0.0);
        w.runAction()->trigger();
        QTRY_VERIFY_WITH_TIMEOUT(w.simulation()->time() >= 0.5, 20000);
        w.simulation()->pause();
        QTRY_COMPARE(w.simulation()->state(), SimulationController::State::Paused);
        for (const auto& p : w.simulation()->probes()) QVERIFY(w.simulation()->series(p.id).samples() > 0);
        // The probe boxes on the canvas trace what they record; spike probes do not.
        for (const auto& p : w.simulation()->probes())
            QTRY_COMPARE(w.scene()->objectItem(p.id.toStdString())->hasSparkline(),
                         p.signal != core::ProbedSignal::NeuronOutput);
        // Plots sit side by side under the canvas, not stacked as tabs.
        for (auto* dock : w.findChildren<QDockWidget*>())
            if (dock->property("plot").toBool()) QVERIFY(w.tabifiedDockWidgets(dock).isEmpty());
        QTest::qWait(100);
        screenshot(w, "simulation.png");
    }
};

QTEST_MAIN(MainWindowTest)
#include "test_main_window.moc"
