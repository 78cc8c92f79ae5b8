#include "training/data_check.h"

#include "training/background_job.h"

#include "build/builder.h"
#include "common/error.h"
#include "io/npy.h"
#include "io/training_data_file.h"

#include <filesystem>

namespace ui {

// The built model of the last network checked: building solves decoders, so
// it is redone only when the network changes.
struct BuiltModelCache {
    std::optional<core::Network> network;
    double dt = 0.0;
    std::optional<core::BuiltModel> model;
};

namespace {

QString text(const std::exception& e) { return QString::fromStdString(e.what()); }

QStringList npzMembers(const core::DataSource& source, const std::string& directory) {
    if (source.generated || std::filesystem::path(source.file).extension() != ".npz") return {};
    QStringList keys;
    try {
        for (const auto& [key, array] : core::readNpz((std::filesystem::path(directory) / source.file).string()))
            keys << QString::fromStdString(key);
    } catch (const core::Error&) {
        // The source's own check reports the unreadable file.
    }
    return keys;
}

// Reads each source on its own, so that every row gets its shape or its error.
void checkSources(const std::map<std::string, core::DataSource>& sources, bool inputs, const std::string& directory,
                  DataCheck& check, core::TrainingData& data) {
    for (const auto& [id, source] : sources) {
        core::TrainingSetup one;
        (inputs ? one.inputs : one.targets)[id] = source;
        SourceCheck& c = check.sources[id];
        c.npzKeys = npzMembers(source, directory);
        try {
            const core::TrainingData loaded = core::loadTrainingData(one, directory);
            const core::Tensor3& t = inputs ? loaded.inputs.at(id) : loaded.targets.at(id);
            c.shape = shapeText(t.n, t.steps, t.size);
            (inputs ? data.inputs : data.targets)[id] = t;
            data.origins.insert(loaded.origins.begin(), loaded.origins.end());
        } catch (const std::exception& e) {
            c.error = text(e);
        }
    }
}

// The trainer's own checks of one array on its own (a minibatch of 1, so that
// only the whole set is blamed for n not splitting into minibatches).
QString usability(const core::BuiltModel& model, const core::TrainingData& data, const std::string& id) {
    core::TrainingData one;
    try {
        if (const auto input = data.inputs.find(id); input != data.inputs.end()) {
            one.inputs.insert(*input);
            core::validateInputs(model, one, 1);
        } else {
            one.targets.insert(*data.targets.find(id));
            core::validateTrainingData(model, one, {{{id}, core::MeanSquaredError{}}}, 1);
        }
    } catch (const core::Error& e) {
        return QString::fromStdString(e.message());
    }
    return {};
}

const core::BuiltModel& builtModel(BuiltModelCache& cache, const core::Project& project) {
    if (!cache.model || cache.network != project.network || cache.dt != project.simulation.dt) {
        cache.model.reset();
        cache.model = core::build(project.network, {project.simulation.dt, {}});
        cache.network = project.network;
        cache.dt = project.simulation.dt;
    }
    return *cache.model;
}

DataCheck runCheck(BuiltModelCache& cache, const core::Project& project, const std::string& directory) {
    DataCheck check;
    const core::TrainingSetup setup = project.training.value_or(core::TrainingSetup{});
    core::TrainingData data;
    checkSources(setup.inputs, true, directory, check, data);
    checkSources(setup.targets, false, directory, check, data);
    try {
        const core::BuiltModel& model = builtModel(cache, project);
        for (const auto& node : model.nodes) check.expectedSize[node.id] = node.sizeOut;
        for (const auto& probe : model.probes) check.expectedSize[probe.id] = probe.size;
        for (auto& [id, source] : check.sources)
            if (source.error.isEmpty()) source.error = usability(model, data, id);
        for (const auto& [id, source] : check.sources)
            if (!source.error.isEmpty()) {
                check.problem = QString::fromStdString(id) + ": " + source.error;
                return check;
            }
        core::validateTrainingData(model, data, core::objectiveTerms(setup, data), setup.minibatchSize);
    } catch (const std::exception& e) {
        check.problem = text(e);
    }
    return check;
}

}  // namespace

QString shapeText(int sequences, int steps, int size) { return QString("(%1, %2, %3)").arg(sequences).arg(steps).arg(size); }

DataChecker::DataChecker(QObject* parent) : QObject(parent), cache_(std::make_shared<BuiltModelCache>()) {}

DataChecker::~DataChecker() {
    if (job_) {
        job_->wait();
        delete job_.data();
    }
}

void DataChecker::request(const core::Project& project, const QString& projectDirectory) {
    Request r{project, projectDirectory.isEmpty() ? std::string(".") : projectDirectory.toStdString()};
    if (busy())
        waiting_ = std::move(r);
    else
        start(std::move(r));
}

void DataChecker::start(Request request) {
    std::function<DataCheck()> work = [cache = cache_, request] { return runCheck(*cache, request.project, request.directory); };
    job_ = startBackgroundJob<DataCheck>(this, std::move(work), [this](DataCheck check) {
        job_.clear();
        if (waiting_) {
            Request next = std::move(*waiting_);
            waiting_.reset();
            start(std::move(next));
            return;  // this result is already out of date
        }
        emit checked(check);
    });
}

}  // namespace ui
