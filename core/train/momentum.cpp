#include "train/optimizer.h"

namespace core {

// Heavy-ball momentum (PyTorch's form): v = mu v + g; theta -= lr v, or
// with Nesterov theta -= lr (g + mu v).
void applyUpdate(const Momentum& s, Matrix& parameter, const Matrix& gradient, OptimizerSlot& slot, long) {
    if (slot.first.size() == 0) slot.first = Matrix::Zero(gradient.rows(), gradient.cols());
    slot.first = s.momentum * slot.first + gradient;
    if (s.nesterov)
        parameter.noalias() -= s.learningRate * (gradient + s.momentum * slot.first);
    else
        parameter.noalias() -= s.learningRate * slot.first;
}

}  // namespace core
