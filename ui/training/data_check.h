#pragma once
// Checks a training set-up's data against the model off the UI thread: the
// shape of every source, what the model expects there, and the trainer's own
// validation (core::validateTrainingData) of the whole set.
#include "io/project.h"

#include <QObject>
#include <QPointer>
#include <QString>
#include <QStringList>

#include <map>
#include <memory>
#include <optional>
#include <string>

class QThread;

namespace ui {

struct SourceCheck {
    QString shape;     // "(256, 50, 1)", empty when it could not be read
    QString error;     // why it cannot be read or used; empty when fine
    QStringList npzKeys;  // the members of its .npz file, for picking one
};

struct DataCheck {
    std::map<std::string, SourceCheck> sources;  // by node or probe id
    std::map<std::string, int> expectedSize;     // size the model gives each input node and probe
    QString problem;  // the first thing that stops training (names object and field); empty when ready
};

// The array shape as the trainer prints it.
QString shapeText(int sequences, int steps, int size);

struct BuiltModelCache;

// Runs the check for the newest request only: requests that arrive while one
// runs replace each other, and the last one runs when it ends.
class DataChecker : public QObject {
    Q_OBJECT
public:
    explicit DataChecker(QObject* parent = nullptr);
    ~DataChecker() override;

    void request(const core::Project& project, const QString& projectDirectory);
    bool busy() const { return !job_.isNull(); }

signals:
    void checked(const ui::DataCheck& check);

private:
    struct Request {
        core::Project project;
        std::string directory;
    };
    void start(Request request);

    std::optional<Request> waiting_;
    std::shared_ptr<BuiltModelCache> cache_;  // the built model of the last network, used by one job at a time
    QPointer<QThread> job_;
};

}  // namespace ui
