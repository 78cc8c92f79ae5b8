#include "train/training_summary.h"

#include <algorithm>
#include <cmath>

namespace core {

DistributionSample describeDistribution(const Matrix& values, long step, int bins) {
    DistributionSample s;
    s.step = step;
    std::vector<double> sorted(values.data(), values.data() + values.size());
    std::sort(sorted.begin(), sorted.end());
    if (sorted.empty()) return s;
    for (size_t i = 0; i < distributionPercentiles.size(); ++i) {
        // Linear interpolation between order statistics (numpy's default).
        const double position = distributionPercentiles[i] / 100.0 * static_cast<double>(sorted.size() - 1);
        const size_t lower = static_cast<size_t>(std::floor(position));
        const size_t upper = std::min(lower + 1, sorted.size() - 1);
        s.percentiles[i] = sorted[lower] + (position - static_cast<double>(lower)) * (sorted[upper] - sorted[lower]);
    }
    // A constant array gets one unit-wide range centred on its value.
    const bool constant = sorted.back() == sorted.front();
    const double low = constant ? sorted.front() - 0.5 : sorted.front();
    const double high = constant ? sorted.front() + 0.5 : sorted.back();
    const double width = (high - low) / bins;
    s.edges.resize(bins + 1);
    for (int b = 0; b <= bins; ++b) s.edges[b] = low + b * width;
    s.counts.assign(bins, 0.0);
    for (double v : sorted) s.counts[std::min(bins - 1, static_cast<int>((v - low) / width))] += 1.0;
    return s;
}

}  // namespace core
