#pragma once
// Row scatter and gather on (size x minibatch) signals: how slices pick and
// place elements. Gather's vector-Jacobian product is scatter-add and vice versa.
#include "model/table.h"

#include <vector>

namespace core {

// target[indices[i], :] += values[i, :]; all rows in order when indices is empty.
inline void scatterAdd(Eigen::Ref<Matrix> target, const std::vector<int>& indices, const Eigen::Ref<const Matrix>& values) {
    if (indices.empty()) {
        target += values;
        return;
    }
    for (Eigen::Index b = 0; b < values.cols(); ++b)
        for (size_t i = 0; i < indices.size(); ++i) target(indices[i], b) += values(static_cast<Eigen::Index>(i), b);
}

// out[i, :] = source[indices[i], :]; out must already have indices.size() rows.
inline void gatherRows(const Eigen::Ref<const Matrix>& source, const std::vector<int>& indices, Eigen::Ref<Matrix> out) {
    for (Eigen::Index b = 0; b < source.cols(); ++b)
        for (size_t i = 0; i < indices.size(); ++i) out(static_cast<Eigen::Index>(i), b) = source(indices[i], b);
}

}  // namespace core
