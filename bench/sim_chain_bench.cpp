// neuroloom-bench-sim: builds and runs chains of K ensembles of 1000 LIF
// neurons (the network of the Nengo anchor in ../shared/anchors/README.md)
// and prints build time, steps/s and peak memory beside Nengo's figures.
//
// Each K runs in its own child process (this program started again with
// --child), so the peak RSS it reports belongs to that network alone: the
// child reads its own VmHWM from /proc/self/status after building the model
// and running both minibatch sizes.
#include "build/builder.h"
#include "build/decoder_cache.h"
#include "sim/simulator.h"

#include <tbb/global_control.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <unistd.h>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

struct Options {
    std::vector<int> sizes{1, 10, 50};
    int buildReps = 3;
    int runReps = 5;
    long steps = 1000;
    int threads = 0;       // 0: TBB's default (every core)
    std::optional<int> child;  // set in the child process: the K it measures
};

// Nengo 4.0.0 on this machine (anchors README): steps/s and build seconds with OpenBLAS.
struct Anchor {
    int k;
    double stepsPerSecond, buildSeconds;
};
constexpr Anchor kAnchors[] = {{1, 17900, 0.087}, {10, 3780, 0.79}, {50, 870, 3.8}};
// A hand-written C kernel ran the 50 x 1000 chain at this rate on two threads.
constexpr int kFloorK = 50;
constexpr double kFloorStepsPerSecond = 21700;
constexpr int kMinibatch = 32;

const Anchor* anchorFor(int k) {
    for (const Anchor& a : kAnchors)
        if (a.k == k) return &a;
    return nullptr;
}

// "e3" and the like.
std::string indexedId(const char* prefix, int i) { return prefix + std::to_string(i); }

// The anchor network: a 1 Hz sine into the first ensemble, each ensemble
// decoded into the next (default Lowpass(0.005) synapses), the last one's
// decoded output probed through Lowpass(0.01).
core::Network chainNetwork(int k) {
    using namespace core;
    Network net;
    net.id = net.label = "chain";
    net.seed = 1;
    net.nodes.push_back(Node{"input", "input", 0, 1, SineWave{1.0, 1.0, 0.0, 0.0}});
    for (int i = 0; i < k; ++i) {
        Ensemble e;
        e.id = e.label = indexedId("e", i);
        e.nNeurons = 1000;
        net.ensembles.push_back(e);
        Connection c;
        c.id = c.label = indexedId("into_e", i);
        c.pre = i == 0 ? Endpoint{"input", EndpointKind::Node} : Endpoint{indexedId("e", i - 1), EndpointKind::Ensemble};
        c.post = {e.id, EndpointKind::Ensemble};
        net.connections.push_back(c);
    }
    Probe p;
    p.id = p.label = "output";
    p.target = {indexedId("e", k - 1), EndpointKind::Ensemble};
    p.attribute = ProbeAttribute::DecodedOutput;
    p.synapse = LowpassSynapse{0.01};
    net.probes.push_back(p);
    return net;
}

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    const size_t n = v.size();
    return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

double secondsSince(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

// Median steps/s of a fresh simulator per repetition (construction not timed).
double stepsPerSecond(const core::BuiltModel& model, int minibatch, const Options& o) {
    std::vector<double> rates;
    for (int r = 0; r < o.runReps; ++r) {
        core::Simulator sim(model, minibatch);
        const auto t0 = Clock::now();
        sim.run(o.steps);
        rates.push_back(static_cast<double>(o.steps) / secondsSince(t0));
    }
    return median(rates);
}

long statusKb(const char* field) {
    std::ifstream status("/proc/self/status");
    std::string line;
    const size_t len = std::strlen(field);
    while (std::getline(status, line))
        if (line.compare(0, len, field) == 0) return std::atol(line.c_str() + len + 1);
    return -1;
}

struct Result {
    int k = 0;
    double buildSeconds = 0, warmBuildSeconds = 0, steps1 = 0, steps32 = 0;
    long startKb = 0, peakKb = 0;
};

// The child's work: one K, printed as one line of numbers for the parent.
int runChild(const Options& o) {
    std::optional<tbb::global_control> limit;
    if (o.threads > 0) limit.emplace(tbb::global_control::max_allowed_parallelism, o.threads);
    Result r;
    r.k = *o.child;
    r.startKb = statusKb("VmRSS:");
    const core::Network net = chainNetwork(r.k);
    std::vector<double> builds;
    core::BuiltModel model;
    for (int i = 0; i < o.buildReps; ++i) {
        core::clearDecoderCache();  // every decoder solved, as Nengo's figure does
        const auto t0 = Clock::now();
        model = core::build(net);
        builds.push_back(secondsSince(t0));
    }
    r.buildSeconds = median(builds);
    // Again with the decoders of the last build in the cache: the editor's next run.
    const auto warm = Clock::now();
    model = core::build(net);
    r.warmBuildSeconds = secondsSince(warm);
    r.steps1 = stepsPerSecond(model, 1, o);
    r.steps32 = stepsPerSecond(model, kMinibatch, o);
    r.peakKb = statusKb("VmHWM:");
    std::printf("%d %.6f %.6f %.3f %.3f %ld %ld\n", r.k, r.buildSeconds, r.warmBuildSeconds, r.steps1, r.steps32,
                r.startKb, r.peakKb);
    return 0;
}

std::optional<Result> measureInChild(const std::string& self, int k, const Options& o) {
    std::ostringstream cmd;
    cmd << '\'' << self << "' --child " << k << " --build-reps " << o.buildReps << " --reps " << o.runReps
        << " --steps " << o.steps << " --threads " << o.threads;
    std::unique_ptr<FILE, int (*)(FILE*)> pipe(popen(cmd.str().c_str(), "r"), pclose);
    Result r;
    if (!pipe || std::fscanf(pipe.get(), "%d %lf %lf %lf %lf %ld %ld", &r.k, &r.buildSeconds, &r.warmBuildSeconds,
                             &r.steps1, &r.steps32, &r.startKb, &r.peakKb) != 7)
        return std::nullopt;
    return r;
}

std::string number(const char* format, double value) {
    char s[32];
    std::snprintf(s, sizeof s, format, value);
    return s;
}

std::string ratio(double ours, double theirs) { return number("%.1fx", ours / theirs); }

constexpr const char* kRowFormat = "%3s | %8s %7s %6s | %7s %6s | %9s %7s %6s | %11s %6s %6s | %7s %6s | %8s\n";

void printRow(const Result& r) {
    const double seq32 = r.steps32 * kMinibatch;
    std::string nengoBuild = "-", buildRatio = "-", warmRatio = "-", nengoSteps = "-", stepsRatio = "-", seqRatio = "-";
    if (const Anchor* a = anchorFor(r.k)) {
        nengoBuild = number("%.3f", a->buildSeconds);
        buildRatio = ratio(a->buildSeconds, r.buildSeconds);
        warmRatio = ratio(a->buildSeconds, r.warmBuildSeconds);
        nengoSteps = number("%.0f", a->stepsPerSecond);
        stepsRatio = ratio(r.steps1, a->stepsPerSecond);
        seqRatio = ratio(seq32, a->stepsPerSecond);
    }
    std::string floor = "-", floorRatio = "-";
    if (r.k == kFloorK) {
        floor = number("%.0f", kFloorStepsPerSecond);
        floorRatio = ratio(r.steps1, kFloorStepsPerSecond);
    }
    std::printf(kRowFormat, std::to_string(r.k).c_str(), number("%.3f", r.buildSeconds).c_str(), nengoBuild.c_str(),
                buildRatio.c_str(), number("%.4f", r.warmBuildSeconds).c_str(), warmRatio.c_str(),
                number("%.0f", r.steps1).c_str(), nengoSteps.c_str(), stepsRatio.c_str(),
                number("%.0f", seq32).c_str(), ratio(seq32, r.steps1).c_str(), seqRatio.c_str(), floor.c_str(),
                floorRatio.c_str(), number("%.0f MiB", static_cast<double>(r.peakKb) / 1024.0).c_str());
}

void printTable(const std::vector<Result>& results, const Options& o) {
    const unsigned threads = o.threads > 0 ? static_cast<unsigned>(o.threads) : std::thread::hardware_concurrency();
    std::printf("Chain of K ensembles x 1000 LIF, 1-D, dt 0.001, %ld steps; median of %d builds and %d runs; %u threads.\n",
                o.steps, o.buildReps, o.runReps, threads);
    std::printf("Nengo = Nengo 4.0.0 reference simulator with OpenBLAS on this machine; ratios are ours/Nengo's\n");
    std::printf("(build: Nengo's time / ours). Floor: a hand-written kernel, 50 x 1000 on two threads.\n\n");
    std::printf(kRowFormat, "K", "build s", "Nengo", "x", "warm s", "x", "steps/s", "Nengo", "x", "mb32 seq/s", "x mb1", "xNengo",
                "floor", "x", "peak RSS");
    for (const Result& r : results) printRow(r);
    std::printf("\nbuild s: every decoder solved (the decoder cache emptied first); warm s: built again with the\n"
                "decoders in the cache, as the editor's next run after an edit elsewhere.\n");
    std::printf("steps/s: minibatch 1; mb32 seq/s: minibatch %d, steps/s x %d; \"x mb1\": that over minibatch 1.\n",
                kMinibatch, kMinibatch);
    std::printf("peak RSS: VmHWM of a child process that built the network and ran both minibatch sizes\n");
    if (!results.empty())
        std::printf("(the same process holds %.0f MiB before building anything).\n",
                    static_cast<double>(results.front().startKb) / 1024.0);
}

void usage() {
    std::puts("Usage: neuroloom-bench-sim [--k K]... [--reps N] [--build-reps N] [--steps N] [--threads N]\n"
              "  --k K           chain length to run (repeatable; default 1, 10 and 50)\n"
              "  --reps N        simulation runs per figure, median reported (default 5)\n"
              "  --build-reps N  builds per figure, median reported (default 3)\n"
              "  --steps N       steps per run (default 1000, 1 s at dt 0.001)\n"
              "  --threads N     cap TBB's threads (default: all cores)");
}

std::optional<Options> parse(int argc, char** argv) {
    Options o;
    bool sizesGiven = false;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (i + 1 >= argc) return std::nullopt;
        const long value = std::atol(argv[++i]);
        if (arg == "--k") {
            if (!sizesGiven) o.sizes.clear();
            sizesGiven = true;
            o.sizes.push_back(static_cast<int>(value));
        } else if (arg == "--reps") {
            o.runReps = static_cast<int>(value);
        } else if (arg == "--build-reps") {
            o.buildReps = static_cast<int>(value);
        } else if (arg == "--steps") {
            o.steps = value;
        } else if (arg == "--threads") {
            o.threads = static_cast<int>(value);
        } else if (arg == "--child") {
            o.child = static_cast<int>(value);
        } else {
            return std::nullopt;
        }
    }
    const bool valid = o.runReps > 0 && o.buildReps > 0 && o.steps > 0 && o.threads >= 0 &&
                       std::all_of(o.sizes.begin(), o.sizes.end(), [](int k) { return k > 0; });
    return valid ? std::optional<Options>(o) : std::nullopt;
}

}  // namespace

int main(int argc, char** argv) {
    const auto options = parse(argc, argv);
    if (!options) {
        usage();
        return 2;
    }
    if (options->child) return runChild(*options);
    char self[4096];
    const ssize_t len = readlink("/proc/self/exe", self, sizeof self - 1);
    if (len <= 0) return 1;
    self[len] = '\0';
    std::vector<Result> results;
    for (int k : options->sizes) {
        const auto r = measureInChild(self, k, *options);
        if (!r) {
            std::fprintf(stderr, "the run for K = %d failed\n", k);
            return 1;
        }
        results.push_back(*r);
    }
    printTable(results, *options);
    return 0;
}
