#pragma once
// A NeuroLoom project: the network, how to simulate it, and how the editor
// lays it out. Saved as JSON (see docs/file-formats.md).
#include "model/network.h"
#include "train/bptt_trainer.h"

#include <map>
#include <set>
#include <string>

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

// Where one training array comes from: an array in a .npy/.npz file (path
// relative to the project file), shape (n_sequences, n_steps, size).
struct DataSource {
    std::string file;
    std::string key;  // npz member; empty for .npy
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
