// Project files: every example and randomly generated models round-trip
// exactly; every class of bad file fails with one message naming the file,
// the object and the field; saves are atomic.
#include "common/error.h"
#include "io/atomic_file.h"
#include "io/examples.h"
#include "io/project.h"
#include "io/training_data_file.h"
#include "random_network.h"

#include <QTemporaryDir>
#include <QtTest>

#include <filesystem>
#include <fstream>

using namespace core;

namespace {

const char* validProject = R"json({
  "format": "neuroloom-project", "version": 1, "title": "t",
  "network": {
    "id": "net",
    "nodes": [{"id": "stim", "label": "stimulus", "size_out": 2, "output": {"type": "expression", "expressions": ["sin(t)", "cos(t)"]}}],
    "ensembles": [{"id": "A", "label": "alpha", "n_neurons": 20, "dimensions": 2}],
    "connections": [{"id": "c1", "label": "feed", "pre": "stim", "post": "A"}],
    "probes": [{"id": "p", "target": "A", "attr": "decoded_output"}]
  }
})json";

std::string replaced(std::string text, const std::string& from, const std::string& to) {
    const auto pos = text.find(from);
    if (pos == std::string::npos) throw std::logic_error("test text not found: " + from);
    return text.replace(pos, from.size(), to);
}

}  // namespace

class ProjectTest : public QObject {
    Q_OBJECT
private slots:
    void examplesRoundTrip_data() {
        QTest::addColumn<QString>("file");
        const auto files = exampleFiles(examplesDirectory(""));
        QVERIFY(files.size() >= 6);
        for (const auto& f : files) QTest::newRow(f.c_str()) << QString::fromStdString(f);
    }
    void examplesRoundTrip() {
        QFETCH(QString, file);
        const Project p = loadProject(file.toStdString());
        QVERIFY(!p.title.empty());
        QVERIFY(!p.description.empty());
        QVERIFY(!p.network.probes.empty());
        const std::string text = projectToJson(p);
        const Project again = projectFromJson(text, "again");
        QVERIFY(again == p);
        QCOMPARE(projectToJson(again), text);  // stable: saving twice gives the same bytes
    }

    void randomModelsRoundTrip() {
        for (uint64_t seed = 1; seed <= 60; ++seed) {
            Project p;
            p.title = "random " + std::to_string(seed);
            p.network = randomNetwork(seed);
            p.simulation = {0.001 * (1 + seed % 3), 0.5 + seed % 4};
            p.layout.positions["n0"] = {seed * 1.5, -3.25};
            p.layout.sizes["e0"] = {120.0, 80.0};
            if (seed % 2) p.layout.collapsed.insert("sub");
            Project again;
            try {
                again = projectFromJson(projectToJson(p), "random");
            } catch (const Error& e) {
                QFAIL(qPrintable(QString("seed %1: %2").arg(seed).arg(e.what())));
            }
            QVERIFY2(again == p, qPrintable(QString("seed %1 does not round-trip").arg(seed)));
        }
    }

    void badFilesNameFileObjectAndField_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("object");
        QTest::addColumn<QString>("field");
        QTest::addColumn<QString>("says");
        QTest::newRow("malformed JSON") << QString(validProject).left(120) << "" << ""
                                        << "not valid JSON";
        QTest::newRow("newer version") << QString::fromStdString(replaced(validProject, "\"version\": 1", "\"version\": 7"))
                                       << "" << "version" << "newer";
        QTest::newRow("not a project") << QString::fromStdString(replaced(validProject, "neuroloom-project", "other"))
                                       << "" << "format" << "not a NeuroLoom project";
        QTest::newRow("dangling reference")
            << QString::fromStdString(replaced(validProject, "\"post\": \"A\"", "\"post\": \"B\""))
            << "feed (id c1)" << "post" << "'B', which does not exist";
        QTest::newRow("transform shape")
            << QString::fromStdString(replaced(validProject, "\"post\": \"A\"", "\"post\": \"A\", \"transform\": [[1, 2, 3]]"))
            << "feed (id c1)" << "transform" << "columns";
        QTest::newRow("slice out of range")
            << QString::fromStdString(replaced(validProject, "\"post\": \"A\"", "\"post\": \"A\", \"pre_slice\": [0, 5]"))
            << "feed (id c1)" << "pre_slice" << "out of range";
        QTest::newRow("bad expression")
            << QString::fromStdString(replaced(validProject, "cos(t)", "cos(t"))
            << "stimulus (id stim)" << "output" << "cos(t";
        QTest::newRow("wrong type")
            << QString::fromStdString(replaced(validProject, "\"n_neurons\": 20", "\"n_neurons\": \"many\""))
            << "alpha (id A)" << "n_neurons" << "wrong type";
        QTest::newRow("unknown field")
            << QString::fromStdString(replaced(validProject, "\"n_neurons\": 20", "\"n_neurons\": 20, \"n_neuron\": 3"))
            << "alpha (id A)" << "n_neuron" << "unknown field";
        QTest::newRow("bad neuron parameter")
            << QString::fromStdString(replaced(validProject, "\"n_neurons\": 20",
                                               "\"n_neurons\": 20, \"max_rates\": {\"type\": \"Uniform\", \"low\": 600, \"high\": 700}"))
            << "alpha (id A)" << "max_rates" << "1/tau_ref";
    }
    void badFilesNameFileObjectAndField() {
        QFETCH(QString, text);
        QFETCH(QString, object);
        QFETCH(QString, field);
        QFETCH(QString, says);
        try {
            projectFromJson(text.toStdString(), "bad.nlproj");
            QFAIL("a bad project loaded");
        } catch (const Error& e) {
            const QString message = QString::fromStdString(e.what());
            QCOMPARE(QString::fromStdString(e.file()), QString("bad.nlproj"));
            QCOMPARE(QString::fromStdString(e.object()), object);
            QCOMPARE(QString::fromStdString(e.field()), field);
            QVERIFY2(message.contains(says), qPrintable(message));
            QVERIFY2(message.startsWith("bad.nlproj"), qPrintable(message));
        }
    }

    // Stored as written, relative to the project file like the data files.
    void trainingLogdirRoundTrips() {
        const std::string withoutSetting = replaced(validProject, "\n}", ",\n\"training\": {\"epochs\": 2}\n}");
        Project p = projectFromJson(withoutSetting, "t.nlproj");
        QCOMPARE(p.training->logdir, std::string());
        p.training->logdir = "runs/tensorboard";
        const std::string text = projectToJson(p);
        QVERIFY(text.find("\"logdir\": \"runs/tensorboard\"") != std::string::npos);
        const Project again = projectFromJson(text, "t.nlproj");
        QCOMPARE(again.training->logdir, std::string("runs/tensorboard"));
        QVERIFY(again == p);
        QCOMPARE(logDirectory(*again.training, "/home/me/model"), std::string("/home/me/model/runs/tensorboard"));
        p.training->logdir = "/tmp/absolute";
        QCOMPARE(logDirectory(*p.training, "/home/me/model"), std::string("/tmp/absolute"));
        p.training->logdir.clear();
        QCOMPARE(logDirectory(*p.training, "/home/me/model"), std::string());
    }

    // The training arithmetic: float64 unless the file says float32; anything else is refused by name.
    void trainingDtypeRoundTrips() {
        const std::string withoutSetting = replaced(validProject, "\n}", ",\n\"training\": {\"epochs\": 2}\n}");
        Project p = projectFromJson(withoutSetting, "t.nlproj");
        QVERIFY(p.training->options.precision == Precision::Float64);
        p.training->options.precision = Precision::Float32;
        const std::string text = projectToJson(p);
        QVERIFY(text.find("\"dtype\": \"float32\"") != std::string::npos);
        QVERIFY(projectFromJson(text, "t.nlproj") == p);
        const std::string bad = replaced(withoutSetting, "\"epochs\": 2", "\"epochs\": 2, \"dtype\": \"float16\"");
        try {
            projectFromJson(bad, "bad.nlproj");
            QFAIL("a float16 dtype was accepted");
        } catch (const Error& e) {
            QCOMPARE(QString::fromStdString(e.field()), QString("training.dtype"));
            QVERIFY2(QString(e.what()).contains("float32"), e.what());
        }
    }

    void failedLoadLeavesProjectUntouched() {
        QTemporaryDir dir;
        const std::string good = (dir.path() + "/good.nlproj").toStdString();
        const std::string bad = (dir.path() + "/bad.nlproj").toStdString();
        writeFileAtomically(good, validProject);
        writeFileAtomically(bad, "{ not json");
        Project open = loadProject(good);
        const Project before = open;
        QVERIFY_THROWS_EXCEPTION(Error, open = loadProject(bad));
        QVERIFY(open == before);
        QVERIFY_THROWS_EXCEPTION(Error, open = loadProject((dir.path() + "/missing.nlproj").toStdString()));
        QVERIFY(open == before);
    }

    void saveIsAtomic() {
        QTemporaryDir dir;
        const std::string path = (dir.path() + "/p.nlproj").toStdString();
        Project p = projectFromJson(validProject, "valid");
        saveProject(p, path);
        p.title = "second version";
        saveProject(p, path);
        QCOMPARE(loadProject(path).title, std::string("second version"));
        // Only the project file is left: no temporaries.
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files).size(), 1);
        // A save that cannot happen throws, names the path and leaves nothing behind.
        const std::string impossible = (dir.path() + "/no/such/folder/p.nlproj").toStdString();
        try {
            saveProject(p, impossible);
            QFAIL("saved into a missing folder");
        } catch (const Error& e) {
            QCOMPARE(QString::fromStdString(e.file()), QString::fromStdString(impossible));
        }
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files).size(), 1);
        QCOMPARE(loadProject(path).title, std::string("second version"));
    }
};

QTEST_APPLESS_MAIN(ProjectTest)
#include "test_project.moc"
