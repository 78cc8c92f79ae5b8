// neuroloom-cli as a user runs it: simulate writes .npz files that read back
// to exactly what the engine computes; train saves parameters and a frozen
// project; bad input gives a message and a non-zero exit.
#include "build/builder.h"
#include "io/examples.h"
#include "io/npy.h"
#include "io/params_file.h"
#include "io/probe_npz.h"
#include "io/project.h"
#include "sim/simulator.h"

#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

using namespace core;

namespace {

struct Result {
    int exitCode;
    QString out, err;
};

Result cli(const QStringList& args) {
    QProcess p;
    p.start(NEUROLOOM_CLI, args);
    p.waitForFinished(120000);
    return {p.exitCode(), QString::fromUtf8(p.readAllStandardOutput()), QString::fromUtf8(p.readAllStandardError())};
}

QString example(const char* name) { return QString::fromStdString(examplesDirectory("") + "/" + name); }

}  // namespace

class CliTest : public QObject {
    Q_OBJECT
private slots:
    void simulateWritesWhatTheEngineComputes() {
        QTemporaryDir dir;
        const QString out = dir.path() + "/probes.npz";
        const Result r = cli({"simulate", example("product.nlproj"), "--duration", "0.3", "--minibatch", "2", "--out", out});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY(r.out.contains("simulated 0.3 s (300 steps"));
        const NpzArrays file = readNpz(out.toStdString());
        const Project p = loadProject(example("product.nlproj").toStdString());
        Simulator sim(build(p.network, {p.simulation.dt, {}}), 2);
        sim.run(300);
        const NpzArrays expected = probeArrays(sim);
        QCOMPARE(file.size(), expected.size());
        for (size_t i = 0; i < file.size(); ++i) {
            QCOMPARE(file[i].first, expected[i].first);
            QCOMPARE(file[i].second.shape, (std::vector<size_t>{2, 300, 1}));
            QVERIFY(file[i].second == expected[i].second);
        }
    }

    void simulateInFloat32WritesTheFloatEngine() {
        // --dtype float32 runs the float simulator: the file holds its records exactly.
        QTemporaryDir dir;
        const QString out = dir.path() + "/probes.npz";
        const Result r = cli({"simulate", example("product.nlproj"), "--duration", "0.2", "--dtype", "float32", "--out", out});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY(r.out.contains("(float32)"));
        const Project p = loadProject(example("product.nlproj").toStdString());
        FloatSimulator sim(build(p.network, {p.simulation.dt, {}}));
        sim.run(200);
        const NpzArrays file = readNpz(out.toStdString()), expected = probeArrays(sim);
        QCOMPARE(file.size(), expected.size());
        for (size_t i = 0; i < file.size(); ++i) QVERIFY2(file[i].second == expected[i].second, file[i].first.c_str());
        const Result bad = cli({"simulate", example("product.nlproj"), "--dtype", "float16", "--out", out + "2"});
        QVERIFY(bad.exitCode != 0);
        QVERIFY(bad.err.contains("--dtype"));
    }

    void trainInFloat32() {
        // --dtype float32 overrides the set-up; the run reports it and learns.
        const Result r = cli({"train", example("x_squared_training.nlproj"), "--epochs", "3", "--dtype", "float32"});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY2(r.out.contains("epochs, float32"), qPrintable(r.out));
        checkLossSummary(r.out);
        const Result bad = cli({"train", example("x_squared_training.nlproj"), "--dtype", "double"});
        QVERIFY(bad.exitCode != 0);
        QVERIFY(bad.err.contains("--dtype"));
    }

    // "final loss: A (Rx lower|higher than before)" agrees with the loss printed before training.
    static void checkLossSummary(const QString& out) {
        const auto before = QRegularExpression(R"(loss before training: (\S+)\n)").match(out);
        const auto after =
            QRegularExpression(R"(final loss: (\S+) \(([0-9.]+)x (lower|higher) than before\)\n)").match(out);
        QVERIFY2(before.hasMatch() && after.hasMatch(), qPrintable(out));
        const double b = before.captured(1).toDouble(), a = after.captured(1).toDouble();
        QCOMPARE(after.captured(3), QString(a <= b ? "lower" : "higher"));
        const double ratio = a <= b ? b / a : a / b;
        QVERIFY2(std::abs(after.captured(2).toDouble() / ratio - 1.0) < 0.01, qPrintable(out));
    }

    void simulateRefusesBadInput() {
        QTemporaryDir dir;
        const Result missing = cli({"simulate", dir.path() + "/none.nlproj", "--out", dir.path() + "/x.npz"});
        QVERIFY(missing.exitCode != 0);
        QVERIFY(missing.err.contains("none.nlproj"));
        const Result badOption = cli({"simulate", example("squaring.nlproj"), "--out", dir.path() + "/x.npz", "--minibatch", "0"});
        QVERIFY(badOption.exitCode != 0);
        QVERIFY(badOption.err.contains("--minibatch"));
        const Result noOut = cli({"simulate", example("squaring.nlproj")});
        QVERIFY(noOut.exitCode != 0);
        QVERIFY(!QFile::exists(dir.path() + "/x.npz"));
    }

    void infoListsObjectsAndParameters() {
        const Result r = cli({"info", example("pes_learning.nlproj")});
        QCOMPARE(r.exitCode, 0);
        QVERIFY(r.out.contains("Ensembles (3)"));
        QVERIFY(r.out.contains("PES"));
        QVERIFY(r.out.contains("300 neurons"));
    }

    void missingDataFileIsReportedOnOpen() {
        QTemporaryDir dir;
        QFile::copy(example("x_squared_training.nlproj"), dir.path() + "/moved.nlproj");
        const Result info = cli({"info", dir.path() + "/moved.nlproj"});
        QCOMPARE(info.exitCode, 0);  // the project opens; the missing data is reported
        QVERIFY2(info.err.contains("x_squared_data.npz: missing (training inputs for 'x')"), qPrintable(info.err));
        const Result train = cli({"train", dir.path() + "/moved.nlproj"});
        QVERIFY(train.exitCode != 0);
        QVERIFY(train.err.contains("x_squared_data.npz"));
    }

    // The trainer's size checks name the file (and npz member) the array came from.
    void wrongSizedDataNamesItsFile() {
        QTemporaryDir dir;
        const QString npz = dir.path() + "/in.npz";
        writeNpz(npz.toStdString(), {{"x", {{32, 50, 2}, std::vector<double>(3200, 0.1)}},
                                     {"p_y", {{32, 50, 1}, std::vector<double>(1600, 0.0)}}});
        const Result fromNpz = cli({"train", example("x_squared_training.nlproj"), "--data", npz, "--epochs", "1"});
        QVERIFY(fromNpz.exitCode != 0);
        QVERIFY2(fromNpz.err.contains(npz + " [x]: object 'x', field 'inputs': inputs have shape (32, 50, 2), expected size 1"),
                 qPrintable(fromNpz.err));

        Project p = loadProject(example("x_squared_training.nlproj").toStdString());
        p.training->targets["p_y"] = DataSource{"y.csv", {}, {}};
        QFile csv(dir.path() + "/y.csv");
        QVERIFY(csv.open(QIODevice::WriteOnly));
        csv.write("1,2\n3,4\n");
        csv.close();
        QVERIFY(QFile::copy(example("x_squared_data.npz"), dir.path() + "/x_squared_data.npz"));
        const QString project = dir.path() + "/csv.nlproj";
        saveProject(p, project.toStdString());
        const Result fromCsv = cli({"train", project, "--epochs", "1"});
        QVERIFY(fromCsv.exitCode != 0);
        QVERIFY2(fromCsv.err.contains(dir.path() + "/y.csv: object 'p_y', field 'targets': targets have shape (1, 2, 2)"),
                 qPrintable(fromCsv.err));
    }

    void trainWritesTheLogToTheProjectsLogdir() {
        QTemporaryDir dir;
        Project p = loadProject(example("x_squared_training.nlproj").toStdString());
        p.training->logdir = "runs";
        QVERIFY(QFile::copy(example("x_squared_data.npz"), dir.path() + "/x_squared_data.npz"));
        const QString project = dir.path() + "/logged.nlproj";
        saveProject(p, project.toStdString());
        const Result r = cli({"train", project, "--epochs", "1"});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        checkLossSummary(r.out);
        QVERIFY2(r.out.contains("TensorBoard log written to " + dir.path() + "/runs/train/events.out.tfevents."),
                 qPrintable(r.out));
        QCOMPARE(QDir(dir.path() + "/runs/train").entryList({"events.out.tfevents.*"}).size(), 1);
        // A second run gets its own folder, so TensorBoard does not merge the two.
        const Result again = cli({"train", project, "--epochs", "1"});
        QVERIFY2(again.out.contains("TensorBoard log written to " + dir.path() + "/runs/train_1/"), qPrintable(again.out));
    }

    void trainSavesParametersAndFrozenProject() {
        QTemporaryDir dir;
        const QString params = dir.path() + "/params.npz", frozen = dir.path() + "/frozen.nlproj";
        const Result r = cli({"train", example("x_squared_training.nlproj"), "--epochs", "2", "--params-out", params,
                              "--frozen-out", frozen, "--logdir", dir.path() + "/logs"});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY(r.out.contains("epoch 2: mean training loss"));
        QVERIFY(r.out.contains("TensorBoard log written to " + dir.path() + "/logs/train/events.out.tfevents."));
        const Project p = loadProject(frozen.toStdString());
        BuiltModel fromFrozen = build(p.network, {p.simulation.dt, {}});
        BuiltModel fromParams = build(loadProject(example("x_squared_training.nlproj").toStdString()).network);
        loadParameters(fromParams, params.toStdString());
        QVERIFY((fromFrozen.connections[1].weights - fromParams.connections[1].weights).cwiseAbs().maxCoeff() < 1e-12);
        QVERIFY(fromParams.connections[1].weights.cwiseAbs().maxCoeff() > 0.0);  // trained away from zero
    }
};

QTEST_APPLESS_MAIN(CliTest)
#include "test_cli.moc"
