#pragma once
// Objectives (NengoDL's "loss" per probe). Each sees the outputs of the
// probes it covers and their targets, all (n, steps, size), and returns its
// value and the gradient with respect to every output. One file per objective.
#include "common/tensor3.h"

#include <memory>
#include <string>
#include <variant>
#include <vector>

namespace core {

using Tensors = std::vector<const Tensor3*>;
using MutableTensors = std::vector<Tensor3*>;

// mean((y - t)^2) over every element: NengoDL's default.
struct MeanSquaredError {
    bool operator==(const MeanSquaredError&) const = default;
};

// mean(|y - t|).
struct MeanAbsoluteError {
    bool operator==(const MeanAbsoluteError&) const = default;
};

// mean of 0.5 e^2 where |e| <= delta, delta (|e| - 0.5 delta) elsewhere (e = y - t).
struct HuberLoss {
    double delta = 1.0;
    bool operator==(const HuberLoss&) const = default;
};

// Cross-entropy of softmax(y) against target class probabilities over the
// probe's elements, averaged over sequences (and steps unless lastStepOnly).
struct SoftmaxCrossEntropy {
    bool lastStepOnly = true;
    bool operator==(const SoftmaxCrossEntropy&) const = default;
};

// weight * mean(|y|^order), order 1 or 2; needs no targets (NengoDL's Regularize).
struct OutputRegularization {
    int order = 2;
    double weight = 1.0;
    bool operator==(const OutputRegularization&) const = default;
};

// mean of a muParser expression of y and t over every element, e.g.
// "(y - t)^2"; the gradient is taken numerically (central difference).
struct ExpressionObjective {
    std::string expression = "(y - t)^2";
    bool operator==(const ExpressionObjective&) const = default;
};

// NengoDL's objective None: the targets are the gradient of the error with
// respect to the outputs; the reported value is sum(y * t).
struct GivenGradient {
    bool operator==(const GivenGradient&) const = default;
};

// A C++ objective: implement value and gradient.
class CustomObjective {
public:
    virtual ~CustomObjective() = default;
    virtual std::string name() const = 0;
    virtual bool needsTargets() const { return true; }
    virtual double evaluate(const Tensors& outputs, const Tensors& targets, const MutableTensors& gradients) const = 0;
};

using Objective = std::variant<MeanSquaredError, MeanAbsoluteError, HuberLoss, SoftmaxCrossEntropy,
                               OutputRegularization, ExpressionObjective, GivenGradient,
                               std::shared_ptr<const CustomObjective>>;

std::string objectiveName(const Objective& objective);
bool needsTargets(const Objective& objective);

// The value, with gradients written into `gradients` (shaped like the outputs;
// targets may be empty pointers for objectives that need none).
double evaluate(const Objective& objective, const Tensors& outputs, const Tensors& targets,
                const MutableTensors& gradients);

double evaluate(const MeanSquaredError&, const Tensors&, const Tensors&, const MutableTensors&);
double evaluate(const MeanAbsoluteError&, const Tensors&, const Tensors&, const MutableTensors&);
double evaluate(const HuberLoss&, const Tensors&, const Tensors&, const MutableTensors&);
double evaluate(const SoftmaxCrossEntropy&, const Tensors&, const Tensors&, const MutableTensors&);
double evaluate(const OutputRegularization&, const Tensors&, const Tensors&, const MutableTensors&);
double evaluate(const ExpressionObjective&, const Tensors&, const Tensors&, const MutableTensors&);
double evaluate(const GivenGradient&, const Tensors&, const Tensors&, const MutableTensors&);

// Shared by the elementwise objectives: mean of f(y, t) over every element of
// every probe, gradient f'(y, t) / count. F returns {value, derivative}.
template <class F>
double elementwiseMean(const Tensors& outputs, const Tensors& targets, const MutableTensors& gradients, F&& f) {
    std::size_t count = 0;
    for (const Tensor3* y : outputs) count += y->count();
    if (count == 0) return 0.0;
    const double scale = 1.0 / static_cast<double>(count);
    double total = 0.0;
    for (std::size_t p = 0; p < outputs.size(); ++p) {
        const auto& y = outputs[p]->values;
        const auto* t = targets.empty() || !targets[p] ? nullptr : &targets[p]->values;
        auto& g = gradients[p]->values;
        for (std::size_t i = 0; i < y.size(); ++i) {
            const auto [value, derivative] = f(y[i], t ? (*t)[i] : 0.0);
            total += value;
            g[i] = derivative * scale;
        }
    }
    return total * scale;
}

}  // namespace core
