#include "train/optimizer.h"

namespace core {

// RMSProp: divide the gradient by a running root mean square of past
// gradients (centered: by their running variance), optionally with momentum.
void applyUpdate(const RmsProp& s, Matrix& parameter, const Matrix& gradient, OptimizerSlot& slot, long) {
    if (slot.first.size() == 0) {
        slot.first = Matrix::Zero(gradient.rows(), gradient.cols());   // mean square
        slot.second = Matrix::Zero(gradient.rows(), gradient.cols());  // mean (centered)
        slot.third = Matrix::Zero(gradient.rows(), gradient.cols());   // momentum buffer
    }
    slot.first = s.decay * slot.first + (1.0 - s.decay) * gradient.cwiseAbs2();
    Eigen::ArrayXXd denominator;
    if (s.centered) {
        slot.second = s.decay * slot.second + (1.0 - s.decay) * gradient;
        denominator = (slot.first.array() - slot.second.array().square()).sqrt() + s.epsilon;
    } else {
        denominator = slot.first.array().sqrt() + s.epsilon;
    }
    if (s.momentum > 0.0) {
        slot.third.array() = s.momentum * slot.third.array() + gradient.array() / denominator;
        parameter.noalias() -= s.learningRate * slot.third;
    } else {
        parameter.array() -= s.learningRate * gradient.array() / denominator;
    }
}

}  // namespace core
