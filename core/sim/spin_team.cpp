#include "sim/spin_team.h"

#include <tbb/task_arena.h>
#include <tbb/task_group.h>

#include <utility>

namespace core {

namespace {

// Tells the core this is a spin-wait (frees resources for the other thread
// on the core, saves power).
inline void pause() {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#endif
}

}  // namespace

void SpinTeam::run(const std::function<void(SpinTeam&)>& body) {
    SpinTeam team;
    // Isolated: while waiting for its helper this thread runs no other TBB
    // task (another simulator's helper would keep it until that run ends).
    tbb::this_task_arena::isolate([&] {
        tbb::task_group helper;
        helper.run([&team] { team.help(); });
        try {
            body(team);
        } catch (...) {
            team.stop_ = true;
            helper.wait();
            throw;
        }
        team.stop_ = true;
        helper.wait();
    });
}

// The helper takes part in every round published after it joined; it
// acknowledges each, so the caller knows it will not claim from that round's
// counters once they are reset for the next.
void SpinTeam::help() {
    if (stop_) return;
    joined_ = true;
    long seen = round_;
    acknowledged_ = seen;  // a round already running when it joined is not its own
    for (;;) {
        long round;
        while ((round = round_) == seen) {
            if (stop_) return;
            pause();
        }
        seen = round;
        claimAndRun(true);
        acknowledged_ = round;
    }
}

bool SpinTeam::claim(std::size_t item, long round) {
    long last = claimedIn_[item];
    return last != round && claimedIn_[item].compare_exchange_strong(last, round);
}

void SpinTeam::claimAndRun(bool fromTheBack) {
    const long round = current_;
    for (std::size_t k = 0; k < count_; ++k) {
        const std::size_t i = fromTheBack ? count_ - 1 - k : k;
        if (!claim(i, round)) continue;
        try {
            call_(work_, i);
        } catch (...) {
            if (!failed_.exchange(true)) error_ = std::current_exception();
        }
        ++done_;
    }
}

void SpinTeam::shareErased(std::size_t count, void* work, Call call) {
    if (count > capacity_) {  // the helper reads none of this between rounds
        claimedIn_ = std::make_unique<std::atomic<long>[]>(count);
        capacity_ = count;
    }
    count_ = count;
    work_ = work;
    call_ = call;
    done_ = 0;
    current_ = round_ + 1;
    const long round = ++round_;
    claimAndRun(false);
    while (done_ < count) pause();
    // joined_ is read after the round was published: a helper joining later
    // takes the round as already running and leaves it alone.
    if (joined_)
        while (acknowledged_ < round) pause();
    if (failed_) {
        failed_ = false;
        std::rethrow_exception(std::exchange(error_, nullptr));
    }
}

}  // namespace core
