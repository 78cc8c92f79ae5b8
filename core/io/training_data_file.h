#pragma once
// Loads a project's training arrays from .npy/.npz files.
#include "io/npy.h"
#include "io/project.h"
#include "train/training_data.h"

#include <string>

namespace core {

// An array as (n_sequences, n_steps, size): 3-D as it is, 2-D (n, steps) as
// size 1, 1-D (steps) as one sequence of size 1. `where` names it in errors.
Tensor3 toSequences(const NpyArray& array, const std::string& where);

// A CSV file as one sequence: one row per step, one column per dimension,
// comma-separated, an optional header line of names. Errors name the file,
// line and column.
Tensor3 readCsvSequence(const std::string& path);

// The array a generator description stands for (same description, same array).
Tensor3 generate(const GeneratedData& generated);

// Every source of the set-up (.npy, .npz with a key, .csv, or a generator), paths relative to projectDirectory.
TrainingData loadTrainingData(const TrainingSetup& setup, const std::string& projectDirectory);

// The set-up's objectives as the trainer takes them; none listed means
// NengoDL's default (mean squared error on every probe with targets).
std::vector<ObjectiveTerm> objectiveTerms(const TrainingSetup& setup, const TrainingData& data);

// The set-up's TensorBoard folder resolved against projectDirectory; empty when it has none.
std::string logDirectory(const TrainingSetup& setup, const std::string& projectDirectory);

// One message per data source whose file does not exist (paths relative to
// projectDirectory), naming the file and the node or probe it feeds: what a
// user is told when opening the project, before any training starts.
std::vector<std::string> missingDataFiles(const TrainingSetup& setup, const std::string& projectDirectory);

// Arrays keyed by node id (inputs) or probe id (targets); other keys are an error.
TrainingData trainingDataFromNpz(const std::string& path, const BuiltModel& model);

}  // namespace core
