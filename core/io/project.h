#pragma once
// A NeuroLoom project: the network, how to simulate it, and how the editor
// lays it out. Saved as JSON (see docs/file-formats.md).
#include "model/network.h"
#include "train/bptt_trainer.h"

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <variant>

namespace core {

struct Point {
    double x = 0.0, y = 0.0;
    bool operator==(const Point&) const = default;
};

// Editor state worth keeping with the model: where each object sits, the
// size of resized items, and which subnetworks are collapsed.
struct Layout {
    std::map<std::string, Point> positions;
    std::map<std::string, Point> sizes;  // x = width, y = height
    std::set<std::string> collapsed;
    bool operator==(const Layout&) const = default;
};

struct SimulationSettings {
    double dt = 0.001;
    double duration = 1.0;  // seconds, the default for a run
    bool operator==(const SimulationSettings&) const = default;
};

// Seeded generators of core/io/data_generators.h, usable in place of a file.
struct BandLimitedNoiseData {
    int size = 1;
    double cutoffHz = 5.0, rms = 0.5;
    uint64_t seed = 0;
    bool operator==(const BandLimitedNoiseData&) const = default;
};

struct SineSweepData {
    int size = 1;
    double f0 = 1.0, f1 = 10.0, amplitude = 1.0;
    bool operator==(const SineSweepData&) const = default;
};

// One half of a classification set: the points (inputs, `dimensions` wide) or,
// with `labels`, their one-hot classes (targets, `classes` wide). An input and a
// target with the same other fields are the two halves of the same set.
struct GaussianClustersData {
    int classes = 2, dimensions = 2;
    double spread = 0.2;
    uint64_t seed = 0;
    bool labels = false;
    bool operator==(const GaussianClustersData&) const = default;
};

// A generated array of shape (sequences, steps, size). Its dt is its own, as a
// file's time base is: the data does not change when the model's dt does.
struct GeneratedData {
    int sequences = 32, steps = 100;
    double dt = 0.001;
    std::variant<BandLimitedNoiseData, SineSweepData, GaussianClustersData> generator;
    bool operator==(const GeneratedData&) const = default;
};

// Where one training array comes from: an array in a .npy/.npz/.csv file (path
// relative to the project file), or a generator; shape (n_sequences, n_steps, size).
struct DataSource {
    std::string file;
    std::string key;  // npz member; empty for .npy and .csv
    std::optional<GeneratedData> generated;  // when set, file and key are unused
    bool operator==(const DataSource&) const = default;
};

// An objective in a project: the probes it covers and a built-in objective
// (C++ custom objectives cannot be saved).
struct ObjectiveSetup {
    std::vector<std::string> probes;
    Objective objective = MeanSquaredError{};
    bool operator==(const ObjectiveSetup& o) const { return probes == o.probes && objective == o.objective; }
};

// Everything a train run needs besides the model (NengoDL's train arguments).
struct TrainingSetup {
    std::map<std::string, DataSource> inputs;   // input node id -> data
    std::map<std::string, DataSource> targets;  // probe id -> data
    std::vector<ObjectiveSetup> objectives;     // empty: MSE on every probe with targets
    OptimizerSettings optimizer = Adam{};
    int minibatchSize = 1;
    TrainOptions options;  // epochs, shuffle, truncation, summaries, ... (order is not saved)
    // Where each run's summaries go as TensorBoard event files, relative to
    // the project file like the data files; empty: nowhere unless asked.
    std::string logdir;
    bool operator==(const TrainingSetup&) const = default;
};

struct Project {
    std::string title;
    std::string description;  // what the model shows, for the examples gallery
    Network network;
    SimulationSettings simulation;
    Layout layout;
    std::optional<TrainingSetup> training;
    bool operator==(const Project&) const = default;
};

inline constexpr int projectFormatVersion = 1;

// JSON text of a project, keys in a fixed order, two-space indent.
std::string projectToJson(const Project& project);
// Parses and validates (structure, references, sizes, expressions). Throws
// core::Error naming `fileName`, the object (label and id) and the field.
Project projectFromJson(const std::string& text, const std::string& fileName);

// Atomic: the file is either the old or the new version, never a mix.
void saveProject(const Project& project, const std::string& path);
// On failure throws and leaves the caller's state alone (nothing is shared).
Project loadProject(const std::string& path);

}  // namespace core
