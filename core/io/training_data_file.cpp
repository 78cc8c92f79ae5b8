#include "io/training_data_file.h"

#include "common/error.h"
#include "io/data_generators.h"

#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <limits>
#include <map>
#include <optional>
#include <sstream>

namespace core {

namespace {

// How errors name an array: the file, and the member of an .npz in brackets.
std::string arrayOrigin(const std::string& path, const std::string& npzKey) {
    return npzKey.empty() ? path : path + " [" + npzKey + "]";
}

// Tensor3 counts in int. An array with no elements passes the reader's size
// limit whatever its dimensions, so each one is checked on its own here.
int dimension(const NpyArray& a, std::size_t axis, const std::string& where) {
    constexpr auto limit = static_cast<std::size_t>(std::numeric_limits<int>::max());
    if (a.shape[axis] > limit)
        throw Error("dimension " + std::to_string(axis) + " is " + std::to_string(a.shape[axis]) + "; at most " +
                        std::to_string(limit) + " is supported",
                    where);
    return static_cast<int>(a.shape[axis]);
}

// A CSV cell read with strtod rather than std::stod, which also throws on
// underflow and so would refuse values such as 1e-320 that numpy reads.
struct CsvCell {
    std::optional<double> number;  // none: not a number (a header name, say)
    bool overflows = false;        // beyond double's range, such as 1e999
};

CsvCell readCell(const std::string& cell) {
    const char* begin = cell.c_str();
    char* end = nullptr;
    errno = 0;
    const double value = std::strtod(begin, &end);
    if (end == begin || cell.find_first_not_of(" \t", static_cast<std::size_t>(end - begin)) != std::string::npos)
        return {};
    if (errno == ERANGE && std::isinf(value)) return {std::nullopt, true};
    return {value};
}

// A cell as an error message shows it: short, and binary bytes as '?'.
std::string shown(const std::string& cell) {
    constexpr std::size_t longest = 24;
    std::string text = cell.substr(0, longest);
    for (char& c : text)
        if (!std::isprint(static_cast<unsigned char>(c))) c = '?';
    return "'" + text + (cell.size() > longest ? "...'" : "'");
}

}  // namespace

Tensor3 toSequences(const NpyArray& a, const std::string& where) {
    const auto dim = [&](std::size_t axis) { return dimension(a, axis, where); };
    Tensor3 t;
    switch (a.shape.size()) {
        case 1: t = Tensor3(1, dim(0), 1); break;
        case 2: t = Tensor3(dim(0), dim(1), 1); break;
        case 3: t = Tensor3(dim(0), dim(1), dim(2)); break;
        default:
            throw Error("has " + std::to_string(a.shape.size()) +
                        " dimensions; expected (n_sequences, n_steps, size), (n_sequences, n_steps) or (n_steps)", where);
    }
    t.values = a.values;
    return t;
}

Tensor3 readCsvSequence(const std::string& path) {
    std::ifstream in(path);
    if (!in) throw Error("cannot open", path);
    std::vector<std::vector<double>> rows;
    std::string line;
    for (int number = 1; std::getline(in, line); ++number) {
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (line.find_first_not_of(" \t") == std::string::npos) continue;
        std::vector<double> row;
        std::stringstream cells(line);
        std::string cell;
        bool header = false;
        for (int column = 1; std::getline(cells, cell, ','); ++column) {
            const CsvCell read = readCell(cell);
            if (read.number) {
                row.push_back(*read.number);
                continue;
            }
            const std::string at = "line " + std::to_string(number) + ", column " + std::to_string(column) + ": ";
            if (read.overflows) throw Error(at + shown(cell) + " is out of the range of a double", path);
            if (rows.empty() && number == 1) {
                header = true;  // names on the first line
                break;
            }
            throw Error(at + shown(cell) + " is not a number", path);
        }
        if (header) continue;
        if (!rows.empty() && row.size() != rows.front().size())
            throw Error("line " + std::to_string(number) + " has " + std::to_string(row.size()) + " values, the first row " +
                            std::to_string(rows.front().size()),
                        path);
        rows.push_back(std::move(row));
    }
    if (rows.empty()) throw Error("holds no rows of numbers", path);
    Tensor3 t(1, static_cast<int>(rows.size()), static_cast<int>(rows.front().size()));
    for (size_t k = 0; k < rows.size(); ++k)
        for (size_t j = 0; j < rows[k].size(); ++j) t.at(0, static_cast<int>(k), static_cast<int>(j)) = rows[k][j];
    return t;
}

Tensor3 generate(const GeneratedData& g) {
    return std::visit(
        [&](const auto& v) {
            using G = std::decay_t<decltype(v)>;
            if constexpr (std::is_same_v<G, BandLimitedNoiseData>)
                return bandLimitedNoise(g.sequences, g.steps, v.size, g.dt, v.cutoffHz, v.rms, v.seed);
            else if constexpr (std::is_same_v<G, SineSweepData>)
                return sineSweep(g.sequences, g.steps, v.size, g.dt, v.f0, v.f1, v.amplitude);
            else {
                ClassificationSet set = gaussianClusters(g.sequences, g.steps, v.classes, v.dimensions, v.spread, v.seed);
                return v.labels ? std::move(set.targets) : std::move(set.inputs);
            }
        },
        g.generator);
}

namespace {

class FileCache {
public:
    explicit FileCache(std::string directory) : directory_(std::move(directory)) {}

    std::string path(const DataSource& source) const { return (std::filesystem::path(directory_) / source.file).string(); }

    Tensor3 read(const DataSource& source) {
        if (source.generated) return generate(*source.generated);
        const std::string path = this->path(source);
        if (std::filesystem::path(path).extension() == ".csv") return readCsvSequence(path);
        if (source.key.empty()) return toSequences(readNpy(path), path);
        auto it = archives_.find(path);
        if (it == archives_.end()) it = archives_.emplace(path, readNpz(path)).first;
        for (const auto& [key, array] : it->second)
            if (key == source.key) return toSequences(array, arrayOrigin(path, key));
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
    // A generator's own errors name no object: say which node or probe it feeds.
    auto read = [&](const DataSource& source, const std::string& id) {
        if (!source.generated) data.origins[id] = arrayOrigin(files.path(source), source.key);
        try {
            return files.read(source);
        } catch (const Error& e) {
            throw source.generated ? e.inObject(id) : e;
        }
    };
    for (const auto& [id, source] : setup.inputs) data.inputs[id] = read(source, id);
    for (const auto& [id, source] : setup.targets) data.targets[id] = read(source, id);
    return data;
}

std::vector<ObjectiveTerm> objectiveTerms(const TrainingSetup& setup, const TrainingData& data) {
    if (setup.objectives.empty()) return defaultObjectives(data);
    std::vector<ObjectiveTerm> terms;
    for (const auto& o : setup.objectives) terms.push_back({o.probes, o.objective});
    return terms;
}

std::string logDirectory(const TrainingSetup& setup, const std::string& projectDirectory) {
    if (setup.logdir.empty()) return {};
    return (std::filesystem::path(projectDirectory) / setup.logdir).string();
}

std::vector<std::string> missingDataFiles(const TrainingSetup& setup, const std::string& projectDirectory) {
    std::vector<std::string> messages;
    auto check = [&](const std::map<std::string, DataSource>& sources, const std::string& role) {
        for (const auto& [id, source] : sources) {
            if (source.generated) continue;
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
        const std::string where = arrayOrigin(path, key);
        if (model.nodeIndex(key) >= 0)
            data.inputs[key] = toSequences(array, where);
        else if (model.probeIndex(key) >= 0)
            data.targets[key] = toSequences(array, where);
        else
            throw Error("array '" + key + "' names no node or probe of the model", path);
        data.origins[key] = where;
    }
    return data;
}

}  // namespace core
