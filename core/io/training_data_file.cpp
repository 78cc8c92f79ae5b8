#include "io/training_data_file.h"

#include "common/error.h"

#include <filesystem>
#include <map>

namespace core {

Tensor3 toSequences(const NpyArray& a, const std::string& where) {
    Tensor3 t;
    switch (a.shape.size()) {
        case 1: t = Tensor3(1, static_cast<int>(a.shape[0]), 1); break;
        case 2: t = Tensor3(static_cast<int>(a.shape[0]), static_cast<int>(a.shape[1]), 1); break;
        case 3: t = Tensor3(static_cast<int>(a.shape[0]), static_cast<int>(a.shape[1]), static_cast<int>(a.shape[2])); break;
        default:
            throw Error("has " + std::to_string(a.shape.size()) +
                        " dimensions; expected (n_sequences, n_steps, size), (n_sequences, n_steps) or (n_steps)", where);
    }
    t.values = a.values;
    return t;
}

namespace {

class FileCache {
public:
    explicit FileCache(std::string directory) : directory_(std::move(directory)) {}

    Tensor3 read(const DataSource& source) {
        const std::string path = (std::filesystem::path(directory_) / source.file).string();
        if (source.key.empty()) return toSequences(readNpy(path), path);
        auto it = archives_.find(path);
        if (it == archives_.end()) it = archives_.emplace(path, readNpz(path)).first;
        for (const auto& [key, array] : it->second)
            if (key == source.key) return toSequences(array, path + " [" + key + "]");
        throw Error("has no array '" + source.key + "'", path);
    }

private:
    std::string directory_;
    std::map<std::string, NpzArrays> archives_;
};

}  // namespace

TrainingData loadTrainingData(const TrainingSetup& setup, const std::string& projectDirectory) {
    FileCache files(projectDirectory);
    TrainingData data;
    for (const auto& [id, source] : setup.inputs) data.inputs[id] = files.read(source);
    for (const auto& [id, source] : setup.targets) data.targets[id] = files.read(source);
    return data;
}

std::vector<std::string> missingDataFiles(const TrainingSetup& setup, const std::string& projectDirectory) {
    std::vector<std::string> messages;
    auto check = [&](const std::map<std::string, DataSource>& sources, const std::string& role) {
        for (const auto& [id, source] : sources) {
            const auto path = std::filesystem::path(projectDirectory) / source.file;
            if (!std::filesystem::exists(path))
                messages.push_back(path.string() + ": missing (" + role + " for '" + id + "')");
        }
    };
    check(setup.inputs, "training inputs");
    check(setup.targets, "training targets");
    return messages;
}

TrainingData trainingDataFromNpz(const std::string& path, const BuiltModel& model) {
    TrainingData data;
    for (const auto& [key, array] : readNpz(path)) {
        const std::string where = path + " [" + key + "]";
        if (model.nodeIndex(key) >= 0)
            data.inputs[key] = toSequences(array, where);
        else if (model.probeIndex(key) >= 0)
            data.targets[key] = toSequences(array, where);
        else
            throw Error("array '" + key + "' names no node or probe of the model", path);
    }
    return data;
}

}  // namespace core
