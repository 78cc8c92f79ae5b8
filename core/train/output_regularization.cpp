#include "train/objective.h"

#include "common/error.h"

#include <cmath>

namespace core {

double evaluate(const OutputRegularization& r, const Tensors& outputs, const Tensors&, const MutableTensors& gradients) {
    if (r.order != 1 && r.order != 2) throw Error("regularization order must be 1 or 2", {}, {}, "objective.order");
    return elementwiseMean(outputs, {}, gradients, [&](double y, double) {
        if (r.order == 1) return std::pair{r.weight * std::abs(y), r.weight * (y > 0.0 ? 1.0 : y < 0.0 ? -1.0 : 0.0)};
        return std::pair{r.weight * y * y, r.weight * 2.0 * y};
    });
}

}  // namespace core
