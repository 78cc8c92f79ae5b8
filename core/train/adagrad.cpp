#include "train/optimizer.h"

namespace core {

// Adagrad: each parameter's step shrinks with the sum of its squared gradients.
void applyUpdate(const Adagrad& s, Matrix& parameter, const Matrix& gradient, OptimizerSlot& slot, long) {
    if (slot.first.size() == 0) slot.first = Matrix::Constant(gradient.rows(), gradient.cols(), s.initialAccumulator);
    slot.first += gradient.cwiseAbs2();
    parameter.array() -= s.learningRate * gradient.array() / (slot.first.array().sqrt() + s.epsilon);
}

}  // namespace core
