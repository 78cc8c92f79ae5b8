#include "train/objective.h"

#include <cmath>

namespace core {

double evaluate(const HuberLoss& h, const Tensors& outputs, const Tensors& targets, const MutableTensors& gradients) {
    return elementwiseMean(outputs, targets, gradients, [&](double y, double t) {
        const double e = y - t;
        if (std::abs(e) <= h.delta) return std::pair{0.5 * e * e, e};
        return std::pair{h.delta * (std::abs(e) - 0.5 * h.delta), e > 0.0 ? h.delta : -h.delta};
    });
}

}  // namespace core
