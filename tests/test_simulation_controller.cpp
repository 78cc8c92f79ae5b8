// The live simulation: it runs on a worker thread, records exactly what a
// direct core::Simulator run records, steps one dt, resets, follows slider
// overrides, keeps to the set speed and reports a bad project instead of
// crashing, while the UI thread stays free.
#include "build/builder.h"
#include "io/examples.h"
#include "io/project.h"
#include "sim/simulator.h"
#include "simulation/simulation_controller.h"
#include "simulation/simulation_toolbar.h"

#include <QAction>
#include <QComboBox>
#include <QElapsedTimer>
#include <QLabel>
#include <QSignalSpy>
#include <QTimer>
#include <QtTest>

#include <cmath>

using ui::ProbeSeries;
using ui::SimulationController;
using State = SimulationController::State;

namespace {

core::Project example(const std::string& name) {
    return core::loadProject(core::examplesDirectory("") + "/" + name + ".nlproj");
}

bool settlesIn(const SimulationController& c, State state) {
    return QTest::qWaitFor([&] { return c.state() == state; }, 10000);
}

// Runs until the simulation time reaches t, then pauses.
[[nodiscard]] bool runUntil(SimulationController& c, double t) {
    c.run();
    const bool reached = QTest::qWaitFor([&] { return c.time() >= t; }, 10000);
    c.pause();
    return reached && settlesIn(c, State::Paused);
}

long stepsDone(const SimulationController& c) { return std::lround(c.time() / c.dt()); }

std::unique_ptr<core::Simulator> directRun(const core::Project& project, long steps) {
    auto sim = std::make_unique<core::Simulator>(core::build(project.network, {project.simulation.dt, {}}));
    sim->run(steps);
    return sim;
}

// Every probe's series holds, bit for bit, what the simulator recorded.
void compareSeries(const SimulationController& c, const core::Simulator& sim) {
    QCOMPARE(c.probes().size(), sim.probes().size());
    for (const core::ProbeRecord& r : sim.probes()) {
        const ProbeSeries& s = c.series(QString::fromStdString(r.id));
        QCOMPARE(s.size, r.size);
        QCOMPARE(s.samples(), r.samples());
        for (long k = 0; k < r.samples(); ++k) QCOMPARE(s.times[k], static_cast<double>(r.steps[k]) * sim.model().dt);
        QVERIFY2(s.values == r.values, r.id.c_str());
    }
}

core::Ensemble ensemble(const std::string& id, int neurons, int dimensions) {
    core::Ensemble e;
    e.id = id;
    e.nNeurons = neurons;
    e.dimensions = dimensions;
    return e;
}

core::Connection connection(const core::Endpoint& pre, const std::string& post) {
    core::Connection c;
    c.id = pre.id + "_to_" + post;
    c.pre = pre;
    c.post = {post, core::EndpointKind::Ensemble};
    return c;
}

core::Probe probe(const std::string& id, const core::Endpoint& target,
                  core::ProbeAttribute attribute = core::ProbeAttribute::Output) {
    core::Probe p;
    p.id = id;
    p.target = target;
    p.attribute = attribute;
    return p;
}

// A project whose input node the tests can drive, with a probe on the node.
core::Project constantInput() {
    core::Project p;
    p.network.id = "net";
    p.network.seed = 5;
    p.network.nodes.push_back({"c", "constant", 0, 2, core::ConstantOutput{{0.25, -0.5}}});
    p.network.ensembles.push_back(ensemble("A", 50, 2));
    p.network.connections.push_back(connection({"c"}, "A"));
    p.network.probes.push_back(probe("p_c", {"c"}));
    return p;
}

}  // namespace

static void initIcons() { Q_INIT_RESOURCE(icons); }

class SimulationControllerTest : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { initIcons(); }  // the tool bar's icons

    void recordsWhatTheSimulatorRecords() {
        const core::Project project = example("communication_channel");
        SimulationController c;
        QSignalSpy states(&c, &SimulationController::stateChanged);
        QSignalSpy probesChanged(&c, &SimulationController::probesChanged);
        c.setProject(project);
        QVERIFY(runUntil(c, 0.5));
        // None for the new project, then the built model's: one signal when
        // the build finishes before the UI thread takes the first update.
        QVERIFY(probesChanged.count() == 1 || probesChanged.count() == 2);
        QList<State> sequence;
        for (const auto& args : states) sequence << args.at(0).value<State>();
        QCOMPARE(sequence, (QList<State>{State::Building, State::Running, State::Paused}));
        QCOMPARE(c.probes().size(), size_t{4});
        QCOMPARE(c.probe("p_A_spikes")->signal, core::ProbedSignal::NeuronOutput);
        QCOMPARE(c.probe("p_A_spikes")->size, 100);
        QCOMPARE(c.probe("p_A_spikes")->key, QString("A spikes"));
        compareSeries(c, *directRun(project, stepsDone(c)));
    }

    void stepAdvancesExactlyOneDt() {
        const core::Project project = example("communication_channel");
        SimulationController c;
        c.setProject(project);
        QVERIFY(runUntil(c, 0.05));
        const long before = stepsDone(c);
        QSignalSpy times(&c, &SimulationController::timeChanged);
        c.step();
        QVERIFY(times.wait(5000));
        QCOMPARE(c.time(), static_cast<double>(before + 1) * project.simulation.dt);
        QCOMPARE(c.state(), State::Paused);
        compareSeries(c, *directRun(project, before + 1));
    }

    void stepFromIdleBuildsAndStepsOnce() {
        SimulationController c;
        c.setProject(example("communication_channel"));
        c.step();
        QTRY_COMPARE_WITH_TIMEOUT(c.series("p_input").samples(), 1L, 10000);
        QCOMPARE(c.time(), 0.001);
    }

    void resetGoesBackToTheStart() {
        const core::Project project = example("communication_channel");
        SimulationController c;
        c.setProject(project);
        QVERIFY(runUntil(c, 0.2));
        QSignalSpy cleared(&c, &SimulationController::seriesReset);
        c.reset();
        QVERIFY(settlesIn(c, State::Idle));
        QCOMPARE(cleared.count(), 1);
        QCOMPARE(c.time(), 0.0);
        for (const ui::ProbeInfo& p : c.probes()) QCOMPARE(c.series(p.id).samples(), 0L);
        // The rerun starts from the initial state: the same as a fresh simulator.
        QVERIFY(runUntil(c, 0.1));
        compareSeries(c, *directRun(project, stepsDone(c)));
    }

    void overrideChangesTheInputWhileRunning() {
        const core::Project project = example("communication_channel");
        SimulationController c;
        c.setProject(project);
        c.run();
        QTRY_VERIFY_WITH_TIMEOUT(c.time() >= 0.1, 10000);
        const double setAt = c.time();  // the worker is at this time or later
        c.setNodeOverride("input", {0.5});
        QTRY_VERIFY_WITH_TIMEOUT(c.series("p_input").values.back() == 0.5, 10000);
        c.pause();
        QVERIFY(settlesIn(c, State::Paused));
        // The sine up to some step after it was set, 0.5 from then on.
        const ProbeSeries& input = c.series("p_input");
        const auto sine = directRun(project, input.samples());
        long first = 0;
        while (first < input.samples() && input.values[first] == sine->probe("p_input").values[first]) ++first;
        QVERIFY(first < input.samples());
        QVERIFY(input.times[first] > setAt);
        for (long k = first; k < input.samples(); ++k) QCOMPARE(input.values[k], 0.5);

        c.clearNodeOverride("input");
        c.step();
        const long samples = input.samples();
        QTRY_COMPARE_WITH_TIMEOUT(c.series("p_input").samples(), samples + 1, 5000);
        QCOMPARE(c.series("p_input").values.back(), directRun(project, samples + 1)->probe("p_input").values.back());
    }

    void overrideSetBeforeBuildingAppliesFromTheFirstStep() {
        SimulationController c;
        c.setProject(constantInput());
        c.setNodeOverride("c", {1.0, 2.0});
        c.step();
        c.step();
        QTRY_COMPARE_WITH_TIMEOUT(c.series("p_c").samples(), 2L, 10000);
        QCOMPARE(c.series("p_c").values, (std::vector<double>{1.0, 2.0, 1.0, 2.0}));
        // Overrides survive a reset.
        c.reset();
        c.step();
        QTRY_COMPARE_WITH_TIMEOUT(c.series("p_c").samples(), 1L, 5000);
        QCOMPARE(c.series("p_c").values, (std::vector<double>{1.0, 2.0}));
    }

    void badOverrideIsReported() {
        SimulationController c;
        c.setProject(constantInput());
        QSignalSpy errors(&c, &SimulationController::errorOccurred);
        c.setNodeOverride("c", {1.0});
        c.setNodeOverride("nothing", {1.0});
        QCOMPARE(errors.count(), 2);
        QVERIFY(errors.at(0).at(0).toString().contains("'c'"));
        QVERIFY(errors.at(0).at(0).toString().contains("size_out is 2"));
        QVERIFY(errors.at(1).at(0).toString().contains("'nothing'"));
        c.step();
        QTRY_COMPARE_WITH_TIMEOUT(c.series("p_c").samples(), 1L, 10000);
        QCOMPARE(c.series("p_c").values, (std::vector<double>{0.25, -0.5}));
    }

    void badProjectReportsAnError() {
        core::Project project = example("communication_channel");
        project.network.connections[0].transform = core::Table{2, 2, {1, 0, 0, 1}};
        SimulationController c;
        QSignalSpy errors(&c, &SimulationController::errorOccurred);
        c.setProject(project);
        c.run();
        QVERIFY(settlesIn(c, State::Error));
        QCOMPARE(errors.count(), 1);
        const QString message = errors.at(0).at(0).toString();
        QVERIFY2(message.contains("input_to_A") && message.contains("transform"), qPrintable(message));
        QVERIFY(c.probes().empty());
        // Fixed, it runs.
        c.setProject(example("communication_channel"));
        QVERIFY(runUntil(c, 0.05));
        QCOMPARE(errors.count(), 1);
    }

    void speedLimitsSimulatedTimePerSecond() {
        SimulationController c;
        c.setProject(example("communication_channel"));
        c.setSpeed(0.5);
        c.step();  // build first, so that only running is timed
        QVERIFY(settlesIn(c, State::Paused));
        QElapsedTimer wall;
        wall.start();
        c.run();
        QTest::qWait(800);
        c.pause();
        QVERIFY(settlesIn(c, State::Paused));
        const double simulated = c.time() - 0.001, elapsed = wall.elapsed() / 1000.0;
        QVERIFY2(simulated <= 0.5 * elapsed + 0.002, qPrintable(QString::number(simulated)));
        QVERIFY2(simulated >= 0.5 * 0.8 * 0.8, qPrintable(QString::number(simulated)));
        // As fast as possible goes far beyond.
        c.setSpeed(0.0);
        c.run();
        QTest::qWait(300);
        c.pause();
        QVERIFY(settlesIn(c, State::Paused));
        QVERIFY(c.time() - simulated > 1.0);
    }

    void historyIsCapped() {
        SimulationController c;
        c.setProject(example("communication_channel"));
        // 4 probes, the spike probe has 100 neurons: at most 1000 samples of it.
        c.setHistoryLimit(4 * 1000 * 101 * sizeof(double));
        QVERIFY(runUntil(c, 1.5));
        const ProbeSeries& spikes = c.series("p_A_spikes");
        QVERIFY(spikes.samples() <= 1000);
        QVERIFY(spikes.samples() >= 750);  // a trim keeps 3/4 of the cap
        QCOMPARE(spikes.lastTime(), c.time());
        QCOMPARE(c.series("p_input").samples(), stepsDone(c));  // a 1-D probe's cap is far away
    }

    void uiThreadStaysResponsive() {
        // Three ensembles of 600 neurons: a build on the worker, then heavy steps.
        core::Project project;
        project.network.id = "big";
        project.network.seed = 2;
        project.network.nodes.push_back({"in", "in", 0, 1, core::SineWave{}});
        project.network.probes.push_back(probe("p_spikes", {"A", core::EndpointKind::Neurons}));
        core::Endpoint previous{"in"};
        for (const std::string id : {"A", "B", "C"}) {
            project.network.ensembles.push_back(ensemble(id, 600, 1));
            project.network.connections.push_back(connection(previous, id));
            previous = {id, core::EndpointKind::Ensemble};
            project.network.probes.push_back(probe("p_" + id, previous, core::ProbeAttribute::DecodedOutput));
            project.network.probes.back().synapse = core::LowpassSynapse{0.01};
        }
        SimulationController c;
        c.setProject(project);
        // A plain event loop, as the application runs (QTest's waits sleep between rounds).
        QEventLoop loop;
        connect(&c, &SimulationController::timeChanged, &loop, [&](double t) {
            if (t >= 0.3) loop.quit();
        });
        QTimer::singleShot(9000, &loop, &QEventLoop::quit);
        QElapsedTimer clock;
        clock.start();
        qint64 last = 0, longestGap = 0;
        QTimer tick;
        connect(&tick, &QTimer::timeout, [&] {
            longestGap = std::max(longestGap, clock.elapsed() - last);
            last = clock.elapsed();
        });
        tick.start(5);
        c.run();
        loop.exec();
        tick.stop();
        QVERIFY(c.time() >= 0.3);
        qInfo() << "longest gap between UI timer ticks:" << longestGap << "ms; build and 0.3 s simulated in"
                << clock.elapsed() << "ms";
        QVERIFY2(longestGap < 50, qPrintable(QString::number(longestGap)));
    }

    void toolBarDrivesTheController() {
        SimulationController c;
        c.setProject(example("communication_channel"));
        ui::SimulationToolBar bar(&c);
        QCOMPARE(c.speed(), 1.0);  // real time, as Nengo GUI runs
        bar.speedChoice()->setCurrentIndex(bar.speedChoice()->findData(0.0));
        QCOMPARE(c.speed(), 0.0);
        bar.stepAction()->trigger();
        QVERIFY(settlesIn(c, State::Paused));
        QCOMPARE(bar.timeLabel()->text(), QString("t = 0.001 s"));
        bar.runAction()->trigger();
        QVERIFY(settlesIn(c, State::Running));
        QCOMPARE(bar.runAction()->text(), QString("Pause"));
        bar.runAction()->trigger();
        QVERIFY(settlesIn(c, State::Paused));
        QCOMPARE(bar.runAction()->text(), QString("Run"));
        QCOMPARE(bar.timeLabel()->text(), QString("t = %1 s").arg(c.time(), 0, 'f', 3));
        bar.resetAction()->trigger();
        QVERIFY(settlesIn(c, State::Idle));
        QCOMPARE(bar.timeLabel()->text(), QString("t = 0.000 s"));
    }

    void destroyingWhileRunningIsSafe() {
        auto c = std::make_unique<SimulationController>();
        c->setProject(example("communication_channel"));
        c->run();
        QTRY_VERIFY_WITH_TIMEOUT(c->time() > 0.05, 10000);
        c.reset();
    }
};

QTEST_MAIN(SimulationControllerTest)
#include "test_simulation_controller.moc"
