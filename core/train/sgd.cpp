#include "train/optimizer.h"

namespace core {

// Plain gradient descent: theta -= lr * g.
void applyUpdate(const Sgd& s, Matrix& parameter, const Matrix& gradient, OptimizerSlot&, long) {
    parameter.noalias() -= s.learningRate * gradient;
}

}  // namespace core
