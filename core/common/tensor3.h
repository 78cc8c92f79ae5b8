#pragma once
// A stack of sequences as NengoDL takes data: (n_sequences, n_steps, size),
// row-major. Node inputs, probe targets and probe outputs all have this shape.
#include <cstddef>
#include <vector>

namespace core {

struct Tensor3 {
    int n = 0, steps = 0, size = 0;
    std::vector<double> values;

    Tensor3() = default;
    Tensor3(int n_, int steps_, int size_, double fill = 0.0)
        : n(n_), steps(steps_), size(size_), values(static_cast<std::size_t>(n_) * steps_ * size_, fill) {}

    std::size_t index(int i, int k, int j) const { return (static_cast<std::size_t>(i) * steps + k) * size + j; }
    double& at(int i, int k, int j) { return values[index(i, k, j)]; }
    double at(int i, int k, int j) const { return values[index(i, k, j)]; }
    std::size_t count() const { return values.size(); }
    bool operator==(const Tensor3&) const = default;
};

}  // namespace core
