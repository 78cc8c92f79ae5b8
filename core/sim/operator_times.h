#pragma once
// Seconds per operator kind, for profiling: the simulator's forward kernels
// and the trainer's backward ones are timed by the same kinds. Timing is on
// only where a caller hands over an OperatorTimes; otherwise no clock is read.
#include "build/built_model.h"

#include <array>
#include <chrono>
#include <string>
#include <vector>

namespace core {

enum class OperatorKind { NodeEvaluation, Encode, NeuronStep, WeightProduct, SynapseFilter, ProbeRecording, LearningRule };
inline constexpr std::size_t kOperatorKinds = 7;

std::string operatorKindName(OperatorKind kind);
// The kinds a model has operators of, in step order.
std::vector<OperatorKind> operatorKindsOf(const BuiltModel& model);

struct OperatorTimes {
    std::array<double, kOperatorKinds> seconds{};
    double& operator[](OperatorKind kind) { return seconds[static_cast<std::size_t>(kind)]; }
    double total() const;
    void clear() { seconds.fill(0.0); }
    // Adds parts measured on several threads at once, scaled so that they sum
    // to the wall-clock time they ran in: per-kind shares of that time.
    void addShares(const std::vector<OperatorTimes>& parts, double wallSeconds);
};

// Adds the seconds from construction to destruction to one kind; does nothing
// (reads no clock) when times is null.
class OperatorTimer {
public:
    OperatorTimer(OperatorTimes* times, OperatorKind kind) : times_(times), kind_(kind) {
        if (times_) start_ = std::chrono::steady_clock::now();
    }
    ~OperatorTimer() {
        if (times_) (*times_)[kind_] += std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    }
    OperatorTimer(const OperatorTimer&) = delete;
    OperatorTimer& operator=(const OperatorTimer&) = delete;

private:
    OperatorTimes* times_;
    OperatorKind kind_;
    std::chrono::steady_clock::time_point start_;
};

// Times kernels that follow each other with one clock read between two of
// them, where an OperatorTimer each would read the clock twice: in a loop of
// short kernels those reads cost as much as the kernels. Does nothing when
// times is null.
class OperatorLaps {
public:
    explicit OperatorLaps(OperatorTimes* times) : times_(times) {
        if (times_) last_ = std::chrono::steady_clock::now();
    }
    // Adds the time since the previous lap (or construction) to kind.
    void lap(OperatorKind kind) {
        if (!times_) return;
        const auto now = std::chrono::steady_clock::now();
        (*times_)[kind] += std::chrono::duration<double>(now - last_).count();
        last_ = now;
    }

private:
    OperatorTimes* times_;
    std::chrono::steady_clock::time_point last_;
};

}  // namespace core
