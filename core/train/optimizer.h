#pragma once
// Optimisers: a closed set of settings (one file each for the update rule)
// and an Optimizer that keeps their per-parameter state. Formulas follow
// PyTorch's (the anchor benchmark's), e.g. Adam's eps added to sqrt(v-hat).
#include "model/table.h"

#include <memory>
#include <string>
#include <variant>
#include <vector>

namespace core {

struct Sgd {
    double learningRate = 0.01;
    bool operator==(const Sgd&) const = default;
};

struct Momentum {
    double learningRate = 0.01;
    double momentum = 0.9;
    bool nesterov = false;
    bool operator==(const Momentum&) const = default;
};

struct Adam {
    double learningRate = 0.001;
    double beta1 = 0.9;
    double beta2 = 0.999;
    double epsilon = 1e-8;
    bool operator==(const Adam&) const = default;
};

struct RmsProp {
    double learningRate = 0.001;
    double decay = 0.9;  // rho: weight of the old mean square
    double momentum = 0.0;
    double epsilon = 1e-7;
    bool centered = false;
    bool operator==(const RmsProp&) const = default;
};

struct Adagrad {
    double learningRate = 0.001;
    double initialAccumulator = 0.1;
    double epsilon = 1e-7;
    bool operator==(const Adagrad&) const = default;
};

using OptimizerSettings = std::variant<Sgd, Momentum, Adam, RmsProp, Adagrad>;

std::string optimizerName(const OptimizerSettings& settings);

// The state one update rule keeps for one parameter array.
struct OptimizerSlot {
    Matrix first, second, third;  // moments / accumulators, shaped like the parameter
};

// Applies one update to `parameter` given its gradient; `step` counts updates from 1.
void applyUpdate(const Sgd& s, Matrix& parameter, const Matrix& gradient, OptimizerSlot& slot, long step);
void applyUpdate(const Momentum& s, Matrix& parameter, const Matrix& gradient, OptimizerSlot& slot, long step);
void applyUpdate(const Adam& s, Matrix& parameter, const Matrix& gradient, OptimizerSlot& slot, long step);
void applyUpdate(const RmsProp& s, Matrix& parameter, const Matrix& gradient, OptimizerSlot& slot, long step);
void applyUpdate(const Adagrad& s, Matrix& parameter, const Matrix& gradient, OptimizerSlot& slot, long step);

class Optimizer {
public:
    explicit Optimizer(OptimizerSettings settings) : settings_(std::move(settings)) {}

    // One optimisation step over every parameter: parameters[i] moves along gradients[i].
    void step(const std::vector<Matrix*>& parameters, const std::vector<const Matrix*>& gradients);
    long steps() const { return step_; }
    const OptimizerSettings& settings() const { return settings_; }

private:
    OptimizerSettings settings_;
    std::vector<OptimizerSlot> slots_;
    long step_ = 0;
};

}  // namespace core
