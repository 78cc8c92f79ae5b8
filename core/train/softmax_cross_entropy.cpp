#include "train/objective.h"

#include <algorithm>
#include <cmath>

namespace core {

// Numerically stable log-softmax over each sequence's probe vector at a step.
double evaluate(const SoftmaxCrossEntropy& s, const Tensors& outputs, const Tensors& targets,
                const MutableTensors& gradients) {
    double total = 0.0;
    long count = 0;
    for (std::size_t p = 0; p < outputs.size(); ++p) {
        const Tensor3& y = *outputs[p];
        std::fill(gradients[p]->values.begin(), gradients[p]->values.end(), 0.0);
        count += static_cast<long>(y.n) * (s.lastStepOnly ? 1 : y.steps);
    }
    if (count == 0) return 0.0;
    std::vector<double> softmax;
    for (std::size_t p = 0; p < outputs.size(); ++p) {
        const Tensor3& y = *outputs[p];
        const Tensor3& t = *targets[p];
        Tensor3& g = *gradients[p];
        softmax.resize(y.size);
        for (int i = 0; i < y.n; ++i) {
            for (int k = s.lastStepOnly ? y.steps - 1 : 0; k < y.steps; ++k) {
                double largest = y.at(i, k, 0);
                for (int j = 1; j < y.size; ++j) largest = std::max(largest, y.at(i, k, j));
                double sum = 0.0;
                for (int j = 0; j < y.size; ++j) sum += softmax[j] = std::exp(y.at(i, k, j) - largest);
                const double logSum = std::log(sum) + largest;
                double targetMass = 0.0;
                for (int j = 0; j < y.size; ++j) {
                    total -= t.at(i, k, j) * (y.at(i, k, j) - logSum);
                    targetMass += t.at(i, k, j);
                }
                for (int j = 0; j < y.size; ++j)
                    g.at(i, k, j) = (targetMass * softmax[j] / sum - t.at(i, k, j)) / static_cast<double>(count);
            }
        }
    }
    return total / static_cast<double>(count);
}

}  // namespace core
