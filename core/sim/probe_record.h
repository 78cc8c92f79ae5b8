#pragma once
#include "model/table.h"

#include <string>
#include <vector>

namespace core {

// What one probe recorded: samples x minibatch x size values, in step order.
// Matrix signals (weights, delta) flatten each matrix row-major into `size`.
struct ProbeRecord {
    std::string id, label;
    int size = 0;
    int rows = 0, cols = 1;  // shape of one sample
    int minibatch = 1;
    std::vector<long> steps;     // the step numbers recorded
    std::vector<double> values;  // [sample][batch][size]

    long samples() const { return static_cast<long>(steps.size()); }
    double at(int batch, long sample, int i) const {
        return values[(static_cast<size_t>(sample) * minibatch + batch) * size + i];
    }
    // samples x size for one minibatch row.
    Matrix series(int batch = 0) const;
};

}  // namespace core
