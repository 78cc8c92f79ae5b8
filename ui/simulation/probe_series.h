#pragma once
// What the UI holds of a running simulation's probes: their description and
// the samples received so far, for plots and data export.
#include "build/built_model.h"
#include "sim/probe_record.h"

#include <QString>
#include <QStringList>

#include <cstddef>
#include <vector>

namespace ui {

// One probe of the built model, as plots need it.
struct ProbeInfo {
    QString id, label;
    QString key;  // its key in a probe .npz, as neuroloom-cli simulate writes it
    core::ProbedSignal signal = core::ProbedSignal::NodeOutput;
    int size = 0;  // elements per sample
};

// Every probe of a built model, in probe order.
std::vector<ProbeInfo> probeInfos(const core::BuiltModel& model);

// Column names of a probe's samples: the label alone for one element, else "label[i]".
QStringList dimensionNames(const ProbeInfo& probe);

// The samples of one probe, oldest first: a time and `size` values per sample.
struct ProbeSeries {
    int size = 0;
    std::vector<double> times;   // seconds
    std::vector<double> values;  // [sample][element]

    long samples() const { return static_cast<long>(times.size()); }
    double at(long sample, int element) const { return values[static_cast<size_t>(sample) * size + element]; }
    double lastTime() const { return times.empty() ? 0.0 : times.back(); }
    // The first sample at or after time t (samples() when there is none).
    long firstAtOrAfter(double t) const;
    // What a simulator's probe recorded, the time of step k being k * dt.
    static ProbeSeries fromRecord(const core::ProbeRecord& record, double dt);
    void append(const ProbeSeries& later);
    // Drops the oldest samples so that at most `count` remain.
    void keepLast(long count);
    void clear();
};

}  // namespace ui
