#include "train/objective.h"

namespace core {

double evaluate(const MeanAbsoluteError&, const Tensors& outputs, const Tensors& targets, const MutableTensors& gradients) {
    return elementwiseMean(outputs, targets, gradients, [](double y, double t) {
        const double e = y - t;
        return std::pair{e < 0.0 ? -e : e, e > 0.0 ? 1.0 : e < 0.0 ? -1.0 : 0.0};
    });
}

}  // namespace core
