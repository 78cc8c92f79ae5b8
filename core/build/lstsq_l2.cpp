#include "build/lstsq_l2.h"

#include "common/error.h"

namespace core {

Matrix solveLstsqL2(const Matrix& activities, const Matrix& targets, double reg) {
    const Eigen::Index m = activities.rows(), n = activities.cols();
    // Nengo takes the signed maximum, not the largest magnitude (matters for Tanh).
    const double sigma = reg * activities.maxCoeff();
    const double lambda = static_cast<double>(m) * sigma * sigma;
    if (m >= n) {
        Matrix gram = activities.transpose() * activities;
        gram.diagonal().array() += lambda;
        Eigen::LLT<Matrix> llt(gram);
        if (llt.info() != Eigen::Success) throw Error("decoder solve failed: Gram matrix is not positive definite");
        return llt.solve(activities.transpose() * targets);
    }
    Matrix gram = activities * activities.transpose();
    gram.diagonal().array() += lambda;
    Eigen::LLT<Matrix> llt(gram);
    if (llt.info() != Eigen::Success) throw Error("decoder solve failed: Gram matrix is not positive definite");
    return activities.transpose() * llt.solve(targets);
}

}  // namespace core
