#pragma once
// Row scatter and gather on (size x minibatch) signals: how slices pick and
// place elements. Gather's vector-Jacobian product is scatter-add and vice versa.
#include "model/table.h"

#include <vector>

namespace core {

// target[indices[i], :] += values[i, :]; all rows in order when indices is empty.
// Any precision: target and values are Eigen matrices or blocks of them.
template <class Target, class Values>
void scatterAdd(Target&& target, const std::vector<int>& indices, const Values& values) {
    if (indices.empty()) {
        target += values;
        return;
    }
    for (Eigen::Index b = 0; b < values.cols(); ++b)
        for (size_t i = 0; i < indices.size(); ++i) target(indices[i], b) += values(static_cast<Eigen::Index>(i), b);
}

// out[i, :] = source[indices[i], :]; out must already have indices.size() rows.
template <class Source, class Out>
void gatherRows(const Source& source, const std::vector<int>& indices, Out&& out) {
    for (Eigen::Index b = 0; b < source.cols(); ++b)
        for (size_t i = 0; i < indices.size(); ++i) out(static_cast<Eigen::Index>(i), b) = source(indices[i], b);
}

}  // namespace core
