// Open/save through the UI layer, the unsaved-changes state, recent files,
// autosave and recovery after a crash, and the editor's problem list.
#include "editor/edit_commands.h"
#include "editor/network_problems.h"
#include "editor/project_session.h"
#include "io/atomic_file.h"
#include "io/examples.h"

#include <QProcess>
#include <QTemporaryDir>
#include <QUndoStack>
#include <QtTest>

using namespace ui;

namespace {

QString example(const char* name) {
    return QString::fromStdString(core::examplesDirectory("")) + "/" + name + ".nlproj";
}

void renameFirstEnsemble(GraphModel& model, const std::string& label) {
    ModelObject e = model.project().network.ensembles.front();
    setLabel(e, label);
    model.undoStack()->push(new ChangeObjectCommand(&model, e, "label"));
}

qint64 deadPid() {
    QProcess p;
    p.start("true");
    p.waitForFinished();
    return p.processId() ? p.processId() : 999999;
}

}  // namespace

class ProjectSessionTest : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;

private slots:
    void initTestCase() {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName("NeuroLoomTest");
        QCoreApplication::setApplicationName("test_project_session");
        QSettings().clear();
    }

    void openEditSaveRoundTrip() {
        GraphModel model;
        ProjectSession session(&model, dir_.filePath("autosave"));
        QVERIFY(!session.open(example("squaring")));
        QCOMPARE(session.displayName(), QString("squaring.nlproj"));
        QVERIFY(!session.isModified());
        QSignalSpy modified(&session, &ProjectSession::modifiedChanged);
        renameFirstEnsemble(model, "renamed");
        QVERIFY(session.isModified());
        QVERIFY(!modified.isEmpty());
        const QString out = dir_.filePath("saved.nlproj");
        QVERIFY(!session.saveAs(out));
        QVERIFY(!session.isModified());
        QCOMPARE(session.path(), out);
        QCOMPARE(core::readFile(out.toStdString()), core::projectToJson(model.project()));
        QCOMPARE(session.recentFiles().front(), out);
        QCOMPARE(session.recentFiles().at(1), QFileInfo(example("squaring")).absoluteFilePath());
        // Undo past the save point is a change again.
        model.undoStack()->undo();
        QVERIFY(session.isModified());
    }

    void failedOpenKeepsTheProject() {
        GraphModel model;
        ProjectSession session(&model, dir_.filePath("autosave"));
        QVERIFY(!session.open(example("squaring")));
        renameFirstEnsemble(model, "edited");
        const core::Project before = model.project();
        const QString bad = dir_.filePath("bad.nlproj");
        std::string text = core::projectToJson(before);
        text.replace(text.find("\"n_neurons\""), 11, "\"n_neurones\"");
        core::writeFileAtomically(bad.toStdString(), text);
        const auto error = session.open(bad);
        QVERIFY(error.has_value());
        QVERIFY2(error->contains("bad.nlproj") && error->contains("n_neurons"), qPrintable(*error));
        QVERIFY(model.project() == before);
        QVERIFY(session.isModified());
        QCOMPARE(session.displayName(), QString("squaring.nlproj"));
        QVERIFY(session.open(dir_.filePath("does-not-exist.nlproj")).has_value());
        QVERIFY(model.project() == before);
    }

    void recoversACrashedSession() {
        const QString autosave = dir_.filePath("crash");
        GraphModel model;
        ProjectSession session(&model, autosave);
        QVERIFY(!session.open(example("oscillator")));
        renameFirstEnsemble(model, "unsaved work");
        session.autosaveNow();
        QVERIFY(QFileInfo::exists(session.autosaveFile()));
        // A running session's autosave is not offered.
        QVERIFY(session.pendingRecoveries().empty());
        // Pretend the process that wrote it died: its pid no longer runs.
        const QString crashed = autosave + "/session-1.nlproj";
        QVERIFY(QFile::copy(session.autosaveFile(), crashed));
        QFile side(crashed + ".json");
        QVERIFY(side.open(QIODevice::WriteOnly));
        side.write(QString(R"({"original": "%1", "pid": %2, "saved": "now"})")
                       .arg(QFileInfo(example("oscillator")).absoluteFilePath())
                       .arg(deadPid())
                       .toUtf8());
        side.close();
        const core::Project unsaved = model.project();

        GraphModel next;
        ProjectSession restarted(&next, autosave);
        const auto offered = restarted.pendingRecoveries();
        QCOMPARE(offered.size(), size_t(1));
        QCOMPARE(offered[0].originalPath, QFileInfo(example("oscillator")).absoluteFilePath());
        QVERIFY(!restarted.recover(offered[0]));
        QVERIFY(next.project() == unsaved);
        QVERIFY(restarted.isModified());
        QCOMPARE(restarted.displayName(), QString("oscillator.nlproj"));
        QVERIFY(restarted.pendingRecoveries().empty());
        QVERIFY(!QFileInfo::exists(crashed));
    }

    void cleanCloseLeavesNoAutosave() {
        const QString autosave = dir_.filePath("clean");
        QString file;
        {
            GraphModel model;
            ProjectSession session(&model, autosave);
            QVERIFY(!session.open(example("squaring")));
            renameFirstEnsemble(model, "x");
            session.autosaveNow();
            file = session.autosaveFile();
            QVERIFY(QFileInfo::exists(file));
        }
        QVERIFY(!QFileInfo::exists(file));
    }

    void problemsNameObjectsAndReasons() {
        GraphModel model;
        ProjectSession session(&model, dir_.filePath("autosave"));
        QVERIFY(!session.open(example("squaring")));
        auto problems = findProblems(model.project());
        QVERIFY(runBlocker(problems).isEmpty());
        core::Ensemble e = model.project().network.ensembles.front();
        e.dimensions = 3;  // its connections no longer fit
        model.undoStack()->push(new ChangeObjectCommand(&model, e, "dimensions"));
        problems = findProblems(model.project());
        QVERIFY(!runBlocker(problems).isEmpty());
        bool mismatch = false;
        for (const auto& p : problems) mismatch |= p.blocksRun && p.text.contains("values into");
        QVERIFY(mismatch);
        // A node that feeds nothing is a warning, not a blocker.
        core::Node lonely;
        lonely.id = model.uniqueId("node");
        model.undoStack()->undo();
        model.undoStack()->push(new AddObjectsCommand(&model, {{lonely, {"", -1}, {}}}, "Add"));
        problems = findProblems(model.project());
        QVERIFY(runBlocker(problems).isEmpty());
        QVERIFY(std::any_of(problems.begin(), problems.end(),
                            [&](const EditorProblem& p) { return p.objectId == lonely.id && !p.blocksRun; }));
    }
};

QTEST_MAIN(ProjectSessionTest)
#include "test_project_session.moc"
