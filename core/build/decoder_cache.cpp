#include "build/decoder_cache.h"

#include "build/builder.h"
#include "build/lstsq_l2.h"

#include <cstdint>
#include <cstring>
#include <list>
#include <mutex>
#include <optional>
#include <unordered_map>

namespace core {

namespace {

struct DecoderProblem {
    NeuronType neuronType;
    Matrix encoders;
    double radius = 1.0;
    Vector gain, bias;
    Matrix evalPoints, targets;
    double reg = 0.0;
};

template <class M>
bool sameBits(const M& a, const M& b) {
    return a.rows() == b.rows() && a.cols() == b.cols() &&
           (a.size() == 0 ||  // an empty matrix's data() may be null, which memcmp must not get
            std::memcmp(a.data(), b.data(), sizeof(double) * static_cast<std::size_t>(a.size())) == 0);
}

bool operator==(const DecoderProblem& a, const DecoderProblem& b) {
    return a.neuronType == b.neuronType && std::memcmp(&a.radius, &b.radius, sizeof a.radius) == 0 &&
           std::memcmp(&a.reg, &b.reg, sizeof a.reg) == 0 && sameBits(a.encoders, b.encoders) &&
           sameBits(a.gain, b.gain) && sameBits(a.bias, b.bias) && sameBits(a.evalPoints, b.evalPoints) &&
           sameBits(a.targets, b.targets);
}

// FNV-1a's step on 64-bit words of the arrays: picks the bucket; equality decides.
class Hash {
public:
    void add(const void* data, std::size_t bytes) {
        const auto* p = static_cast<const unsigned char*>(data);
        for (std::size_t i = 0; i + sizeof(std::uint64_t) <= bytes; i += sizeof(std::uint64_t)) {
            std::uint64_t word;
            std::memcpy(&word, p + i, sizeof word);
            value_ = (value_ ^ word) * 0x100000001b3u;
        }
    }
    template <class M>
    void add(const M& m) {
        const Eigen::Index shape[2] = {m.rows(), m.cols()};
        add(shape, sizeof shape);
        add(m.data(), sizeof(double) * static_cast<std::size_t>(m.size()));
    }
    std::uint64_t value() const { return value_; }

private:
    std::uint64_t value_ = 0xcbf29ce484222325u;
};

std::uint64_t hashOf(const DecoderProblem& p) {
    Hash h;
    const std::size_t type = p.neuronType.index();
    h.add(&type, sizeof type);
    h.add(&p.radius, sizeof p.radius);
    h.add(&p.reg, sizeof p.reg);
    h.add(p.encoders);
    h.add(p.gain);
    h.add(p.bias);
    h.add(p.evalPoints);
    h.add(p.targets);
    return h.value();
}

std::size_t bytesOf(const DecoderProblem& p, const Matrix& decoders) {
    const auto size = p.encoders.size() + p.gain.size() + p.bias.size() + p.evalPoints.size() + p.targets.size() +
                      decoders.size();
    return sizeof(double) * static_cast<std::size_t>(size) + 256;  // and the entry's bookkeeping
}

class DecoderCache {
public:
    std::optional<Matrix> find(const DecoderProblem& problem, std::uint64_t hash) {
        const std::lock_guard lock(mutex_);
        const auto found = findLocked(problem, hash);
        if (found == entries_.end()) {
            ++statistics_.misses;
            return std::nullopt;
        }
        entries_.splice(entries_.begin(), entries_, found);  // now the most recently used
        ++statistics_.hits;
        return found->decoders;
    }

    void insert(DecoderProblem problem, std::uint64_t hash, const Matrix& decoders) {
        const std::lock_guard lock(mutex_);
        const std::size_t bytes = bytesOf(problem, decoders);
        if (bytes > limit_ || findLocked(problem, hash) != entries_.end()) return;
        entries_.push_front({std::move(problem), hash, decoders, bytes});
        byHash_.emplace(hash, entries_.begin());
        statistics_.bytes += bytes;
        while (statistics_.bytes > limit_) removeLocked(std::prev(entries_.end()));
    }

    DecoderCacheStatistics statistics() {
        const std::lock_guard lock(mutex_);
        DecoderCacheStatistics s = statistics_;
        s.entries = entries_.size();
        return s;
    }

    void clear() {
        const std::lock_guard lock(mutex_);
        entries_.clear();
        byHash_.clear();
        statistics_ = {};
    }

    void setLimit(std::size_t bytes) {
        clear();
        const std::lock_guard lock(mutex_);
        limit_ = bytes;
    }

private:
    struct Entry {
        DecoderProblem problem;
        std::uint64_t hash;
        Matrix decoders;
        std::size_t bytes;
    };
    using Entries = std::list<Entry>;

    Entries::iterator findLocked(const DecoderProblem& problem, std::uint64_t hash) {
        const auto [first, last] = byHash_.equal_range(hash);
        for (auto i = first; i != last; ++i)
            if (i->second->problem == problem) return i->second;
        return entries_.end();
    }

    void removeLocked(Entries::iterator entry) {
        const auto [first, last] = byHash_.equal_range(entry->hash);
        for (auto i = first; i != last; ++i)
            if (i->second == entry) {
                byHash_.erase(i);
                break;
            }
        statistics_.bytes -= entry->bytes;
        entries_.erase(entry);
    }

    std::mutex mutex_;
    Entries entries_;  // most recently used first
    std::unordered_multimap<std::uint64_t, Entries::iterator> byHash_;
    DecoderCacheStatistics statistics_;
    std::size_t limit_ = std::size_t{128} << 20;
};

DecoderCache& theCache() {
    static DecoderCache cache;
    return cache;
}

}  // namespace

Matrix cachedDecoders(const BuiltEnsemble& pre, const Matrix& evalPoints, const Matrix& targets, double reg) {
    DecoderProblem problem{pre.neuronType, pre.encoders, pre.radius, pre.gain, pre.bias, evalPoints, targets, reg};
    const std::uint64_t hash = hashOf(problem);
    if (auto decoders = theCache().find(problem, hash)) return *std::move(decoders);
    Matrix decoders = solveLstsqL2(ensembleActivities(pre, evalPoints), targets, reg).transpose();
    theCache().insert(std::move(problem), hash, decoders);
    return decoders;
}

DecoderCacheStatistics decoderCacheStatistics() { return theCache().statistics(); }

void setDecoderCacheLimit(std::size_t bytes) { theCache().setLimit(bytes); }

void clearDecoderCache() { theCache().clear(); }

}  // namespace core
