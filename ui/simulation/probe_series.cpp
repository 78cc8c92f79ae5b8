#include "simulation/probe_series.h"

#include "io/probe_npz.h"

#include <algorithm>

namespace ui {

std::vector<ProbeInfo> probeInfos(const core::BuiltModel& model) {
    const std::vector<std::string> keys = core::probeKeys(model);
    std::vector<ProbeInfo> infos;
    for (size_t i = 0; i < model.probes.size(); ++i) {
        const core::BuiltProbe& p = model.probes[i];
        infos.push_back({QString::fromStdString(p.id), QString::fromStdString(p.label.empty() ? p.id : p.label),
                         QString::fromStdString(keys[i]), p.signal, p.size});
    }
    return infos;
}

QStringList dimensionNames(const ProbeInfo& probe) {
    if (probe.size == 1) return {probe.label};
    QStringList names;
    for (int i = 0; i < probe.size; ++i) names << QStringLiteral("%1[%2]").arg(probe.label).arg(i);
    return names;
}

long ProbeSeries::firstAtOrAfter(double t) const {
    return static_cast<long>(std::lower_bound(times.begin(), times.end(), t) - times.begin());
}

ProbeSeries ProbeSeries::fromRecord(const core::ProbeRecord& record, double dt) {
    ProbeSeries s;
    s.size = record.size;
    s.times.reserve(record.steps.size());
    // The simulator's own formula for its time (Simulator::time).
    for (long step : record.steps) s.times.push_back(static_cast<double>(step) * dt);
    s.values = record.values;  // minibatch 1: [sample][element]
    return s;
}

void ProbeSeries::append(const ProbeSeries& later) {
    times.insert(times.end(), later.times.begin(), later.times.end());
    values.insert(values.end(), later.values.begin(), later.values.end());
}

void ProbeSeries::keepLast(long count) {
    const long drop = samples() - count;
    if (drop <= 0) return;
    times.erase(times.begin(), times.begin() + drop);
    values.erase(values.begin(), values.begin() + drop * size);
}

void ProbeSeries::clear() {
    times.clear();
    values.clear();
}

}  // namespace ui
