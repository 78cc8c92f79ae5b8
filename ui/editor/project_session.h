#pragma once
// The open project's life on disk: its path, whether it has unsaved
// changes, New/Open/Save/Save As, the recent-files list, and autosave with
// recovery after a crash. The network itself lives in the GraphModel.
#include "graph_model.h"

#include <QObject>
#include <QString>
#include <QStringList>

class QTimer;

namespace ui {

// An autosaved project left behind by a session that did not end cleanly.
struct Recovery {
    QString autosaveFile;  // the saved state
    QString originalPath;  // the project it came from; empty for an untitled one
    QString savedAt;       // when, as text
};

class ProjectSession : public QObject {
    Q_OBJECT
public:
    // `autosaveDirectory` empty: the application's data folder.
    explicit ProjectSession(GraphModel* model, QString autosaveDirectory = {}, QObject* parent = nullptr);
    ~ProjectSession() override;

    QString path() const { return path_; }
    QString displayName() const;  // file name, or "Untitled"
    bool isModified() const;

    void newProject();
    // Loads `path`; on failure returns the error (file, object, field) and
    // leaves the open project exactly as it was.
    std::optional<QString> open(const QString& path);
    std::optional<QString> save();  // to path(); requires one
    std::optional<QString> saveAs(const QString& path);
    // Keeps the project but forgets its file (an example opened as a copy):
    // Save then asks where.
    void detachFromFile();

    // What the last successful open found worth telling (missing data files).
    QStringList openWarnings() const { return openWarnings_; }
    QStringList recentFiles() const;

    // Autosave every `seconds` while there are unsaved changes (0 = off).
    void setAutosaveInterval(int seconds);
    void autosaveNow();
    QString autosaveFile() const;
    // Autosaves of other sessions that are no longer running.
    std::vector<Recovery> pendingRecoveries() const;
    // Opens a recovery as modified (its original path kept) and removes it.
    std::optional<QString> recover(const Recovery& recovery);
    void discard(const Recovery& recovery);

signals:
    void pathChanged(const QString& path);
    void modifiedChanged(bool modified);
    void recentFilesChanged();

private:
    void setPath(const QString& path);
    void addRecent(const QString& path);
    void removeAutosave();

    GraphModel* model_;
    QString path_;
    QString autosaveDirectory_;
    QStringList openWarnings_;
    bool recovered_ = false;  // opened from an autosave: unsaved until saved
    QTimer* autosaveTimer_;
};

}  // namespace ui
