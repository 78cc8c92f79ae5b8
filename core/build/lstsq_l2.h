#pragma once
#include "model/table.h"

namespace core {

// Nengo's LstsqL2 with its Cholesky subsolver: decoders X (n x k) minimising
// |A X - Y|^2 + lambda |X|^2 with sigma = reg * max(A), lambda = m sigma^2.
// activities: m x n, targets: m x k. Returns X (n x k); decoders are its transpose.
Matrix solveLstsqL2(const Matrix& activities, const Matrix& targets, double reg);

}  // namespace core
