#pragma once
// Exports of a project with every parameter NeuroLoom builds written out, so
// that Nengo (a Python script) or another NeuroLoom (a project file) runs the
// same numbers without sampling or solving anything.
#include "build/built_model.h"
#include "io/project.h"

#include <optional>
#include <string>

namespace core {

enum class ExportFormat { Nengo, Json };

// "nengo" or "json"; anything else throws core::Error naming the field "format".
ExportFormat exportFormat(const std::string& name);

// A standalone Python script (numpy and nengo 4 only), run as
// `python3 model.py [--duration S] [--out probes.npz]`. It builds the network
// with Nengo's API from the built model: gains, biases, unit encoders, eval
// points, initial neuron state, decoders (NoSolver, transform folded in) or
// full weight matrices (weights mode), dense transforms, synapses, PES rules
// and probes, then saves every probe under the same key and in the same layout
// as `neuroloom-cli simulate --out` (core::probeArrays). Input nodes are
// Python functions of t (pythonNodeOutput), except white noise, data and
// expressions without an exact translation: those are tables of their output
// at t = k dt for k = 1..steps, computed with NeuroLoom's own node functions,
// and a script with tables refuses longer runs.
std::string nengoScript(const Project& project, const BuiltModel& built, long steps);

// A waveform, piecewise or expression node's output as a Python callable of t
// giving its size_out values exactly as NeuroLoom's node function does (the
// same operations in the same order, Python's math calling the same C
// library); nullopt for the kinds only a table can give (white noise, drawn
// with NeuroLoom's own generator; data) and expressions without an exact
// translation (core/io/python_expression.h). Constants and passthroughs are
// not functions.
std::optional<std::string> pythonNodeOutput(const NodeOutput& output, int sizeOut);

// The Python those callables use (vector, matrix, piecewise, class mu); needs
// `import bisect`, `import functools`, `import math` and `import numpy as np`.
std::string nodeOutputHelpers();

// The project with its network's built parameters written explicitly, so that
// it reloads and simulates identically with nothing sampled or solved:
//   ensembles: `gain`, `bias`; `max_rates`, `intercepts` as the sampled values
//     (Explicit; for information, gain and bias replace them); `encoders` as the
//     unit rows (Explicit, `normalize_encoders` false so they are used as they
//     are); `eval_points` (Explicit, radius included, `n_eval_points` cleared);
//     `initial_state` (`voltage`, `refractory_time`) for the types that keep them;
//   decoded connections: `eval_points` and `decoders` (no solve);
//   decoded_output probes: `decoders`.
// Nodes, transforms, functions, synapses, learning rules, seeds, layout and
// training set-up stay as they are (they are explicit already).
Project explicitProject(const Project& project, const BuiltModel& built);

// Builds the project's network at its dt and exports it. `duration` (seconds)
// sizes the script's node tables, or becomes the JSON project's default run.
std::string exportProject(const Project& project, ExportFormat format, double duration);

}  // namespace core
