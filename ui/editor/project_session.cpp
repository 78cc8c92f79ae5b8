#include "project_session.h"

#include "common/error.h"
#include "io/atomic_file.h"
#include "io/training_data_file.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSettings>
#include <QStandardPaths>
#include <QTimer>
#include <QUndoStack>

#include <csignal>

namespace ui {

namespace {

constexpr int maxRecentFiles = 10;

QString errorText(const std::exception& e) { return QString::fromStdString(e.what()); }

bool processRunning(qint64 pid) { return pid > 0 && (::kill(static_cast<pid_t>(pid), 0) == 0 || errno == EPERM); }

core::Project emptyProject() {
    core::Project p;
    p.title = "Untitled";
    p.network.id = "model";
    return p;
}

}  // namespace

ProjectSession::ProjectSession(GraphModel* model, QString autosaveDirectory, QObject* parent)
    : QObject(parent), model_(model), autosaveDirectory_(std::move(autosaveDirectory)), autosaveTimer_(new QTimer(this)) {
    if (autosaveDirectory_.isEmpty())
        autosaveDirectory_ = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + "/autosave";
    connect(model_->undoStack(), &QUndoStack::cleanChanged, this, [this] { emit modifiedChanged(isModified()); });
    connect(autosaveTimer_, &QTimer::timeout, this, [this] {
        if (isModified()) autosaveNow();
    });
    setAutosaveInterval(30);
}

// A clean exit leaves no autosave behind; a crash does, for the next start.
ProjectSession::~ProjectSession() { removeAutosave(); }

QString ProjectSession::displayName() const {
    return path_.isEmpty() ? tr("Untitled") : QFileInfo(path_).fileName();
}

bool ProjectSession::isModified() const { return recovered_ || !model_->undoStack()->isClean(); }

void ProjectSession::newProject() {
    model_->setProject(emptyProject());
    recovered_ = false;
    openWarnings_.clear();
    removeAutosave();
    setPath({});
    emit modifiedChanged(false);
}

std::optional<QString> ProjectSession::open(const QString& path) {
    core::Project loaded;
    try {
        loaded = core::loadProject(path.toStdString());
    } catch (const std::exception& e) {
        return errorText(e);
    }
    openWarnings_.clear();
    if (loaded.training)
        for (const std::string& missing :
             core::missingDataFiles(*loaded.training, QFileInfo(path).absolutePath().toStdString()))
            openWarnings_ << QString::fromStdString(missing);
    model_->setProject(std::move(loaded));
    recovered_ = false;
    removeAutosave();
    setPath(QFileInfo(path).absoluteFilePath());
    addRecent(path_);
    emit modifiedChanged(false);
    return std::nullopt;
}

std::optional<QString> ProjectSession::save() {
    if (path_.isEmpty()) return tr("The project has no file yet: use Save As.");
    return saveAs(path_);
}

std::optional<QString> ProjectSession::saveAs(const QString& path) {
    try {
        core::saveProject(model_->project(), path.toStdString());
    } catch (const std::exception& e) {
        return errorText(e);
    }
    recovered_ = false;
    model_->undoStack()->setClean();
    removeAutosave();
    setPath(QFileInfo(path).absoluteFilePath());
    addRecent(path_);
    emit modifiedChanged(false);
    return std::nullopt;
}

void ProjectSession::detachFromFile() { setPath({}); }

void ProjectSession::setPath(const QString& path) {
    if (path == path_) return;
    path_ = path;
    emit pathChanged(path_);
}

QStringList ProjectSession::recentFiles() const { return QSettings().value("recentFiles").toStringList(); }

void ProjectSession::addRecent(const QString& path) {
    QStringList files = recentFiles();
    files.removeAll(path);
    files.prepend(path);
    while (files.size() > maxRecentFiles) files.removeLast();
    QSettings().setValue("recentFiles", files);
    emit recentFilesChanged();
}

void ProjectSession::setAutosaveInterval(int seconds) {
    if (seconds > 0)
        autosaveTimer_->start(seconds * 1000);
    else
        autosaveTimer_->stop();
}

QString ProjectSession::autosaveFile() const {
    return autosaveDirectory_ + QString("/session-%1.nlproj").arg(QCoreApplication::applicationPid());
}

// The project goes to the autosave file; a small side file says whose it is
// (which process, which original project), so the next start can tell a
// crashed session's autosave from a running one's.
void ProjectSession::autosaveNow() {
    QDir().mkpath(autosaveDirectory_);
    const QString file = autosaveFile();
    try {
        core::saveProject(model_->project(), file.toStdString());
        const QJsonObject info{{"original", path_},
                               {"pid", QCoreApplication::applicationPid()},
                               {"saved", QDateTime::currentDateTime().toString(Qt::ISODate)}};
        core::writeFileAtomically((file + ".json").toStdString(), QJsonDocument(info).toJson().toStdString());
    } catch (const std::exception&) {
        // Autosave is a safety net: a full disk must not interrupt editing.
    }
}

void ProjectSession::removeAutosave() {
    QFile::remove(autosaveFile());
    QFile::remove(autosaveFile() + ".json");
}

std::vector<Recovery> ProjectSession::pendingRecoveries() const {
    std::vector<Recovery> found;
    const QDir dir(autosaveDirectory_);
    for (const QFileInfo& info : dir.entryInfoList({"session-*.nlproj.json"}, QDir::Files, QDir::Time)) {
        QFile f(info.filePath());
        if (!f.open(QIODevice::ReadOnly)) continue;
        const QJsonObject o = QJsonDocument::fromJson(f.readAll()).object();
        const QString project = info.filePath().chopped(5);
        if (processRunning(o.value("pid").toInteger()) || !QFileInfo::exists(project)) continue;
        found.push_back({project, o.value("original").toString(), o.value("saved").toString()});
    }
    return found;
}

std::optional<QString> ProjectSession::recover(const Recovery& recovery) {
    core::Project loaded;
    try {
        loaded = core::loadProject(recovery.autosaveFile.toStdString());
    } catch (const std::exception& e) {
        return errorText(e);
    }
    model_->setProject(std::move(loaded));
    discard(recovery);
    setPath(recovery.originalPath);
    recovered_ = true;
    emit modifiedChanged(true);
    return std::nullopt;
}

void ProjectSession::discard(const Recovery& recovery) {
    QFile::remove(recovery.autosaveFile);
    QFile::remove(recovery.autosaveFile + ".json");
}

}  // namespace ui
