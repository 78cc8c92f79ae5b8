#pragma once
// Two threads sharing many short rounds of work: a simulation's parallel
// waves, tens of thousands a second. A helper joins the calling thread for a
// whole run and both spin between rounds. Handing each round to TBB anew
// cost 10-20 us a step (waking its sleeping worker), as much as the work of
// ten 1000-neuron LIF ensembles. The helper is a TBB task: where no worker is
// free it never joins, and the calling thread does every round alone.
#include <atomic>
#include <cstddef>
#include <exception>
#include <functional>
#include <memory>

namespace core {

class SpinTeam {
public:
    // Calls body(team) on this thread while a helper waits for rounds; returns
    // (or throws body's or a round's exception) once the helper has left.
    static void run(const std::function<void(SpinTeam&)>& body);

    // One round: work(i) for every i < count, each once, on either thread;
    // returns when all are done, throwing the first exception any of them threw.
    // This thread takes them from the first on, the helper from the last
    // back: a balanced round gives each thread the same items every time, so
    // their data stay in its core's cache.
    template <class Work>
    void share(std::size_t count, Work& work) {
        shareErased(count, &work, [](void* w, std::size_t i) { (*static_cast<Work*>(w))(i); });
    }

private:
    using Call = void (*)(void*, std::size_t);
    void shareErased(std::size_t count, void* work, Call call);
    void help();
    void claimAndRun(bool fromTheBack);
    bool claim(std::size_t item, long round);

    std::atomic<long> round_{0};         // number of the round last published
    std::atomic<long> acknowledged_{0};  // rounds the helper will not touch again
    std::atomic<bool> joined_{false}, stop_{false};
    std::atomic<std::size_t> done_{0};
    // Per item, the last round that claimed it.
    std::unique_ptr<std::atomic<long>[]> claimedIn_;
    std::size_t capacity_ = 0;
    // The round's work, published by the increment of round_.
    long current_ = 0;
    std::size_t count_ = 0;
    void* work_ = nullptr;
    Call call_ = nullptr;
    std::atomic<bool> failed_{false};
    std::exception_ptr error_;
};

}  // namespace core
