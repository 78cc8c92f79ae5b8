// Killing NeuroLoom while it writes a file must leave the old file or the new
// one, never a broken one. A child process (tests/crash_child.cpp, or
// neuroloom-cli itself) writes the same file over and over and is killed with
// SIGKILL at seeded random moments; after each kill the file must load and
// equal one of the versions written, and the next save must work despite
// whatever the killed write left behind.
#include "build/builder.h"
#include "editor/graph_model.h"
#include "editor/project_session.h"
#include "io/examples.h"
#include "io/npy.h"
#include "io/params_file.h"
#include "io/project.h"

#include <QDir>
#include <QElapsedTimer>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <chrono>
#include <cmath>
#include <random>
#include <thread>

using namespace core;
using std::chrono::microseconds;

namespace {

const unsigned killSeed = 20261126;

std::string example(const char* name) { return examplesDirectory("") + "/" + name; }

// The communication channel with a 20000-row data node recording a sine of
// `frequency`: a 1 MB file, so a write lasts long enough to be interrupted
// halfway. Both versions the child alternates between are this large, so
// that either is on disk about half the time.
Project largeProject(double frequency) {
    Project p = loadProject(example("communication_channel.nlproj"));
    std::vector<double> values(20000);
    for (size_t i = 0; i < values.size(); ++i) values[i] = std::sin(frequency * static_cast<double>(i));
    Node data;
    data.id = data.label = "recorded";
    data.sizeOut = 1;
    data.output = DataOutput{Table::column(values), 0.001};
    p.network.nodes.push_back(data);
    p.title += " with recorded data";
    return p;
}

BuiltModel xSquaredModel() {
    const Project p = loadProject(example("x_squared_training.nlproj"));
    return build(p.network, {p.simulation.dt, {}});
}

struct Run {
    QStringList lines;  // what the child printed before it died
    // The number of the last write it reported complete ("saved N"), 0 for none.
    long saves() const {
        for (auto line = lines.rbegin(); line != lines.rend(); ++line)
            if (line->startsWith("saved ")) return line->mid(6).toLong();
        return 0;
    }
};

// Starts `program`, waits until it prints `readyLine` (if given), lets it run
// for `delay` and kills it with SIGKILL.
Run killAfter(const QString& program, const QStringList& args, microseconds delay, const QString& readyLine = {}) {
    QProcess p;
    p.start(program, args);
    if (!p.waitForStarted()) throw std::runtime_error("cannot start " + program.toStdString());
    QByteArray out;
    while (!readyLine.isEmpty() && !out.contains((readyLine + "\n").toUtf8())) {
        if (!p.waitForReadyRead(60000))
            throw std::runtime_error(program.toStdString() + " did not get ready: " + p.readAllStandardError().toStdString());
        out += p.readAllStandardOutput();
    }
    std::this_thread::sleep_for(delay);
    p.kill();
    p.waitForFinished();
    out += p.readAllStandardOutput();
    return {QString::fromUtf8(out).split('\n', Qt::SkipEmptyParts)};
}

// How long one write of the child takes, from the writes it completes in 300 ms.
microseconds writePeriod(const QStringList& args) {
    const microseconds window(300000);
    const long saves = killAfter(NEUROLOOM_CRASH_CHILD, args, window, "ready").saves();
    return window / std::max(saves, 1L);
}

// Kill number `kill` waits for the child's first or second completed write,
// alternately, then a random delay: whatever the machine's speed, the kills
// find either version last written, and some land in the middle of a write.
QString killPoint(int kill) { return QString("saved %1").arg(1 + kill % 2); }

int leftoverTempFiles(const QDir& dir) { return dir.entryList({"*.tmp-*"}, QDir::Files).size(); }

}  // namespace

class TestCrashSafety : public QObject {
    Q_OBJECT
private slots:
    void killedProjectSaveLeavesOldOrNew() {
        const QString a = dir_.filePath("a.nlproj"), b = dir_.filePath("b.nlproj"), path = dir_.filePath("project.nlproj");
        saveProject(largeProject(0.001), a.toStdString());
        saveProject(largeProject(0.002), b.toStdString());
        const Project versions[] = {loadProject(a.toStdString()), loadProject(b.toStdString())};
        saveProject(versions[0], path.toStdString());
        const QStringList args{"project", path, a, b};
        std::uniform_int_distribution<long> delay(0, 2 * writePeriod(args).count());
        bool seen[2] = {false, false};
        for (int kill = 0; kill < 30; ++kill) {
            const Run run = killAfter(NEUROLOOM_CRASH_CHILD, args, microseconds(delay(rng_)), killPoint(kill));
            try {
                const Project onDisk = loadProject(path.toStdString());
                QVERIFY2(onDisk == versions[0] || onDisk == versions[1], qPrintable(killText(kill, run)));
                seen[onDisk == versions[1]] = true;
            } catch (const Error& e) {
                QFAIL(qPrintable(killText(kill, run) + ": " + e.what()));
            }
        }
        QVERIFY2(seen[0] && seen[1], "every kill left the same version: the kills did not land between writes");
        qInfo("%d temporary files left by killed writes", leftoverTempFiles(dir_));
        saveProject(versions[1], path.toStdString());
        QVERIFY(loadProject(path.toStdString()) == versions[1]);
    }

    void killedParamsSaveLeavesOldOrNew() {
        const QString p1 = dir_.filePath("p1.npz"), p2 = dir_.filePath("p2.npz"), path = dir_.filePath("params.npz");
        BuiltModel model = xSquaredModel();
        saveParameters(model, p1.toStdString());
        for (auto& e : model.ensembles) {
            e.scaledEncoders *= 2.0;
            e.bias.array() += 1.0;
        }
        for (auto& c : model.connections) c.weights.array() -= 0.5;
        saveParameters(model, p2.toStdString());
        const NpzArrays versions[] = {readNpz(p1.toStdString()), readNpz(p2.toStdString())};
        QVERIFY(versions[0] != versions[1]);
        QVERIFY(QFile::copy(p1, path));
        const QStringList args{"params", path, QString::fromStdString(example("x_squared_training.nlproj")), p1, p2};
        std::uniform_int_distribution<long> delay(0, 2 * writePeriod(args).count());
        bool seen[2] = {false, false};
        for (int kill = 0; kill < 30; ++kill) {
            const Run run = killAfter(NEUROLOOM_CRASH_CHILD, args, microseconds(delay(rng_)), killPoint(kill));
            try {
                const NpzArrays onDisk = readNpz(path.toStdString());
                QVERIFY2(onDisk == versions[0] || onDisk == versions[1], qPrintable(killText(kill, run)));
                seen[onDisk == versions[1]] = true;
                BuiltModel loaded = xSquaredModel();
                loadParameters(loaded, path.toStdString());
            } catch (const Error& e) {
                QFAIL(qPrintable(killText(kill, run) + ": " + e.what()));
            }
        }
        QVERIFY2(seen[0] && seen[1], "every kill left the same version: the kills did not land between writes");
        qInfo("%d temporary files left by killed writes", leftoverTempFiles(dir_));
    }

    // neuroloom-cli train --params-out, killed anywhere from start-up to the
    // end: the parameters from before the run stay until the trained ones
    // replace them whole.
    void killedTrainingLeavesOldOrTrainedParams() {
        const QString path = dir_.filePath("trained.npz"), before = dir_.filePath("untrained.npz");
        saveParameters(xSquaredModel(), before.toStdString());
        const QStringList args{"train", QString::fromStdString(example("x_squared_training.nlproj")), "--epochs", "2",
                               "--params-out", path};
        QElapsedTimer clock;
        clock.start();
        QProcess full;
        full.start(NEUROLOOM_CLI, args);
        QVERIFY(full.waitForFinished(120000));
        QCOMPARE(full.exitCode(), 0);
        const microseconds runTime(clock.nsecsElapsed() / 1000);
        const NpzArrays versions[] = {readNpz(before.toStdString()), readNpz(path.toStdString())};
        QVERIFY(versions[0] != versions[1]);

        // Half the kills anywhere in the run, half in its last fifth (where the file is written).
        std::uniform_int_distribution<long> anywhere(0, runTime.count()), nearEnd(runTime.count() * 4 / 5, runTime.count());
        int trained = 0;
        for (int kill = 0; kill < 10; ++kill) {
            QFile::remove(path);
            QVERIFY(QFile::copy(before, path));
            const Run run = killAfter(NEUROLOOM_CLI, args, microseconds(kill % 2 ? anywhere(rng_) : nearEnd(rng_)));
            try {
                const NpzArrays onDisk = readNpz(path.toStdString());
                QVERIFY2(onDisk == versions[0] || onDisk == versions[1], qPrintable(killText(kill, run)));
                trained += onDisk == versions[1];
                BuiltModel loaded = xSquaredModel();
                loadParameters(loaded, path.toStdString());
            } catch (const Error& e) {
                QFAIL(qPrintable(killText(kill, run) + ": " + e.what()));
            }
        }
        qInfo("%d of 10 killed runs had written their parameters; %d temporary files left", trained,
              leftoverTempFiles(dir_));
    }

    // An editor session killed while autosaving: the next start offers its
    // autosave, holding the last state it reported saved or the one after.
    void killedSessionOffersItsLatestAutosave() {
        const QString autosaves = dir_.filePath("autosave");
        const QStringList args{"autosave", autosaves, QString::fromStdString(example("oscillator.nlproj"))};
        std::uniform_int_distribution<long> delay(0, 3 * writePeriod(args).count());
        discardAll(autosaves);
        for (int kill = 0; kill < 15; ++kill) {
            const Run run = killAfter(NEUROLOOM_CRASH_CHILD, args, microseconds(delay(rng_)), "ready");
            ui::GraphModel model;
            ui::ProjectSession next(&model, autosaves);
            const std::vector<ui::Recovery> offered = next.pendingRecoveries();
            const long saved = run.saves();
            if (saved == 0 && offered.empty()) continue;  // killed before its first autosave finished
            QVERIFY2(offered.size() == 1, qPrintable(killText(kill, run)));
            QVERIFY2(!next.recover(offered[0]), qPrintable(killText(kill, run)));
            const std::string title = model.project().title;
            QVERIFY2(title == "edit " + std::to_string(saved) || title == "edit " + std::to_string(saved + 1),
                     qPrintable(killText(kill, run) + ": recovered '" + QString::fromStdString(title) + "'"));
            QVERIFY(next.pendingRecoveries().empty());
        }
    }

private:
    static QString killText(int kill, const Run& run) {
        return QString("kill %1 (seed %2), after %3 completed writes").arg(kill).arg(killSeed).arg(run.saves());
    }

    // Autosaves of the runs that measured the write period.
    static void discardAll(const QString& autosaves) {
        ui::GraphModel model;
        ui::ProjectSession session(&model, autosaves);
        for (const ui::Recovery& r : session.pendingRecoveries()) session.discard(r);
    }

    QTemporaryDir tmp_;
    QDir dir_{tmp_.path()};
    std::mt19937 rng_{killSeed};
};

QTEST_GUILESS_MAIN(TestCrashSafety)
#include "test_crash_safety.moc"
