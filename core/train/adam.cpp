#include "train/optimizer.h"

#include <cmath>

namespace core {

// Adam (Kingma & Ba) with bias correction, as PyTorch writes it:
// theta -= lr * m_hat / (sqrt(v_hat) + eps).
void applyUpdate(const Adam& s, Matrix& parameter, const Matrix& gradient, OptimizerSlot& slot, long step) {
    if (slot.first.size() == 0) {
        slot.first = Matrix::Zero(gradient.rows(), gradient.cols());
        slot.second = Matrix::Zero(gradient.rows(), gradient.cols());
    }
    slot.first = s.beta1 * slot.first + (1.0 - s.beta1) * gradient;
    slot.second = s.beta2 * slot.second + (1.0 - s.beta2) * gradient.cwiseAbs2();
    const double correction1 = 1.0 - std::pow(s.beta1, static_cast<double>(step));
    const double correction2 = 1.0 - std::pow(s.beta2, static_cast<double>(step));
    const double stepSize = s.learningRate / correction1;
    parameter.array() -=
        stepSize * slot.first.array() / ((slot.second.array() / correction2).sqrt() + s.epsilon);
}

}  // namespace core
