#pragma once
// What a train call records for plots and TensorBoard logs (NengoDL's
// summaries): the loss per optimisation step and per epoch, and the
// distribution of chosen parameters at intervals.
#include "model/table.h"

#include <array>
#include <map>
#include <string>
#include <vector>

namespace core {

// TensorBoard's Distributions tab draws these percentiles (in basis points
// 0, 668, 1587, 3085, 5000, 6915, 8413, 9332, 10000: normal-distribution sigma bands).
inline constexpr std::array<double, 9> distributionPercentiles = {0.0, 6.68, 15.87, 30.85, 50.0, 69.15, 84.13, 93.32, 100.0};

struct DistributionSample {
    long step = 0;                       // optimisation step
    std::array<double, 9> percentiles{};  // at distributionPercentiles
    std::vector<double> edges;           // histogram bin edges (bins + 1)
    std::vector<double> counts;          // per bin
};

struct TrainingSummary {
    std::string label;               // "train", then "train_1", "train_2", ... per call
    std::vector<double> stepLoss;    // one per optimisation step
    std::vector<double> epochLoss;   // mean of the epoch's step losses
    // "<object id>/<parameter>" (e.g. "A/encoders", "A/bias", "conn/weights") -> samples over time
    std::map<std::string, std::vector<DistributionSample>> distributions;
    std::map<std::string, double> profile;  // seconds per phase, when profiling
    // Seconds per operator kind within the forward and backward phases, when
    // profiling: phase -> kind (operatorKindName: "neuron step", "encode", ...)
    // -> seconds; every kind the model has operators of, backward kinds
    // timing those operators' vector-Jacobian products. Kernels run on
    // several threads get their share of the phase's wall clock, so a phase's
    // kinds add up to at most its entry in profile.
    std::map<std::string, std::map<std::string, double>> operatorProfile;
};

DistributionSample describeDistribution(const Matrix& values, long step, int bins);

}  // namespace core
