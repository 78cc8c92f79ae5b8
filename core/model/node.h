#pragma once
// Nodes: sources of values (constant, waveforms, expressions of t, recorded
// data) and passthrough nodes that sum their inputs.
#include "model/table.h"

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

namespace core {

struct ConstantOutput {
    std::vector<double> value;
    bool operator==(const ConstantOutput&) const = default;
};

// offset + amplitude * sin(2 pi frequency t + phase), in every dimension.
struct SineWave {
    double amplitude = 1.0, frequency = 1.0, phase = 0.0, offset = 0.0;
    bool operator==(const SineWave&) const = default;
};

// offset + amplitude * sign(sin(2 pi frequency t + phase)): +amplitude in the
// first half of each period.
struct SquareWave {
    double amplitude = 1.0, frequency = 1.0, phase = 0.0, offset = 0.0;
    bool operator==(const SquareWave&) const = default;
};

// `before` until `time`, `after` from then on.
struct StepFunction {
    double time = 0.5, before = 0.0, after = 1.0;
    bool operator==(const StepFunction&) const = default;
};

// Nengo's Piecewise: row i of `values` holds from times[i] on; zero before the first time.
struct Piecewise {
    std::vector<double> times;
    Table values;  // times.size() x size_out
    bool operator==(const Piecewise&) const = default;
};

// Nengo's WhiteSignal: a periodic band-limited white noise signal, with
// frequencies up to `high` Hz and the given RMS, seeded.
struct WhiteNoise {
    double period = 10.0, high = 5.0, rms = 0.5;
    uint64_t seed = 0;
    bool operator==(const WhiteNoise&) const = default;
};

// One muParser expression of `t` per output dimension.
struct ExpressionOutput {
    std::vector<std::string> expressions;
    bool operator==(const ExpressionOutput&) const = default;
};

// Recorded rows, as Nengo's PresentInput: each row is shown for
// presentationTime seconds and the sequence repeats. presentationTime 0 means
// one row per step: row k-1 during step k.
struct DataOutput {
    Table rows;
    double presentationTime = 0.0;
    bool operator==(const DataOutput&) const = default;
};

// No output function: the output is the sum of the node's inputs.
struct PassthroughOutput {
    bool operator==(const PassthroughOutput&) const = default;
};

using NodeOutput = std::variant<ConstantOutput, SineWave, SquareWave, StepFunction, Piecewise, WhiteNoise,
                                ExpressionOutput, DataOutput, PassthroughOutput>;

struct Node {
    std::string id;
    std::string label;
    int sizeIn = 0;
    int sizeOut = 1;
    NodeOutput output = ConstantOutput{{0.0}};

    bool isPassthrough() const { return std::holds_alternative<PassthroughOutput>(output); }
    bool operator==(const Node&) const = default;
};

}  // namespace core
