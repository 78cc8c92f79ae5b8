#include "io/probe_npz.h"

#include <set>

namespace core {

std::vector<std::string> probeKeys(const BuiltModel& model) {
    std::vector<std::string> keys;
    std::set<std::string> used;
    for (const BuiltProbe& p : model.probes) {
        std::string key = p.label.empty() ? p.id : p.label;
        if (!used.insert(key).second) {
            key += " (" + p.id + ")";
            used.insert(key);
        }
        keys.push_back(key);
    }
    return keys;
}

NpzArrays probeArrays(const BuiltModel& model, const std::vector<ProbeRecord>& records) {
    NpzArrays out;
    const std::vector<std::string> keys = probeKeys(model);
    for (size_t i = 0; i < records.size(); ++i) {
        const ProbeRecord& r = records[i];
        const BuiltProbe& p = model.probes[i];
        std::string key = keys[i];
        NpyArray a;
        a.shape = {static_cast<size_t>(r.minibatch), static_cast<size_t>(r.samples())};
        if (p.cols > 1 || p.signal == ProbedSignal::Weights || p.signal == ProbedSignal::PesDelta) {
            a.shape.push_back(static_cast<size_t>(p.rows));
            a.shape.push_back(static_cast<size_t>(p.cols));
        } else {
            a.shape.push_back(static_cast<size_t>(r.size));
        }
        // Records are [sample][batch][element]; numpy wants [batch][sample][element].
        a.values.resize(r.values.size());
        size_t k = 0;
        for (int b = 0; b < r.minibatch; ++b)
            for (long s = 0; s < r.samples(); ++s)
                for (int e = 0; e < r.size; ++e) a.values[k++] = r.at(b, s, e);
        out.emplace_back(std::move(key), std::move(a));
    }
    return out;
}

}  // namespace core
