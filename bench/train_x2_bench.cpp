// The training benchmark of ../shared/anchors/README.md: the x^2 task (1024
// sequences of 50 steps), one LIFRate ensemble of N neurons from the anchor's
// starting parameters, decoders from zero, Lowpass(0.01) output, MSE, Adam
// lr 1e-5, minibatch 32, 10 epochs in the anchor's order. Prints seconds per
// epoch, the memory training adds and the losses beside PyTorch's figures,
// for training in float64 and in float32 (the anchor's own precision).
// Each N runs in its own process so that its peak memory is its own.
// Timed without profiling, as PyTorch's figures are; --profile adds the
// time per phase and per operator kind (and the clock reads they cost).
#include "build/builder.h"
#include "common/error.h"
#include "io/npy.h"
#include "io/training_data_file.h"
#include "train/bptt_trainer.h"

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <map>
#include <string>
#include <vector>

using namespace core;

namespace {

struct Anchor {
    int n;
    double secondsPerEpoch, memoryMb, finalLoss, floorSeconds;
};
const Anchor anchors[] = {{100, 0.110, 21, 1.03419e-5, 0.0155}, {500, 0.301, 68, 3.13202e-6, 0.047},
                          {2000, 1.18, 255, 3.83740e-6, 0.145}};

double residentMb() {
    std::ifstream statm("/proc/self/statm");
    long pages = 0, resident = 0;
    statm >> pages >> resident;
    return resident * (sysconf(_SC_PAGESIZE) / 1048576.0);
}

double peakMb() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return usage.ru_maxrss / 1024.0;
}

const NpyArray& find(const NpzArrays& arrays, const std::string& key) {
    for (const auto& [k, a] : arrays)
        if (k == key) return a;
    throw Error("missing array '" + key + "'");
}

Network x2Network(const NpzArrays& init, int n) {
    const std::string prefix = "N" + std::to_string(n) + "_";
    Network net;
    net.id = "x2";
    net.nodes.push_back(Node{"x", "x", 0, 1, ConstantOutput{{0.0}}});
    net.nodes.push_back(Node{"out", "out", 1, 1, PassthroughOutput{}});
    Ensemble e;
    e.id = "A";
    e.nNeurons = n;
    e.neuronType = LifRateNeurons{0.02, 0.002, 1.0};
    e.encoders = ExplicitValues{Table::column(find(init, prefix + "signs").values)};
    e.gain = find(init, prefix + "gain").values;
    e.bias = find(init, prefix + "bias").values;
    e.evalPoints = ExplicitValues{Table::column({0.0, 0.5, 1.0})};  // no solve uses them: decoders are explicit
    net.ensembles.push_back(e);
    Connection in;
    in.id = "x_A";
    in.pre = {"x", EndpointKind::Node};
    in.post = {"A", EndpointKind::Ensemble};
    in.synapse = std::nullopt;
    Connection decode;
    decode.id = "A_out";
    decode.pre = {"A", EndpointKind::Ensemble};
    decode.post = {"out", EndpointKind::Node};
    decode.synapse = LowpassSynapse{0.01};
    decode.decoders = Table{1, n, std::vector<double>(n, 0.0)};
    net.connections = {in, decode};
    // The connection's own output with its synapse, unfiltered by the probe:
    // z[t] = a z[t-1] + (1 - a) y[t], exactly the anchor's output.
    net.probes.push_back(Probe{"z", "z", {"A_out", EndpointKind::Connection}, ProbeAttribute::Output, {}, {}, {}, {}, {}});
    return net;
}

int runOne(int n, const std::string& anchorsDir, bool profile, const std::string& dtype) {
    const NpzArrays task = readNpz(anchorsDir + "/x2_task.npz");
    const NpzArrays init = readNpz(anchorsDir + "/x2_init.npz");
    TrainingData data;
    data.inputs["x"] = toSequences(find(task, "inputs"), "inputs");
    data.targets["z"] = toSequences(find(task, "targets"), "targets");
    const NpyArray& perm = find(init, "perm");
    TrainOptions options;
    options.epochs = 10;
    options.profile = profile;
    options.precision = dtype == "float32" ? Precision::Float32 : Precision::Float64;
    const size_t sequences = perm.shape[1];
    for (size_t e = 0; e < perm.shape[0]; ++e)
        options.order.emplace_back(perm.values.begin() + e * sequences, perm.values.begin() + (e + 1) * sequences);

    BpttTrainer trainer(build(x2Network(init, n)), 32);
    const std::vector<ObjectiveTerm> mse{{{"z"}, MeanSquaredError{}}};
    const double before = trainer.loss(data, mse, options)[0];
    const double baseline = residentMb();
    std::vector<double> epochSeconds;
    auto epochStart = std::chrono::steady_clock::now();
    TrainCallbacks callbacks;
    callbacks.progress = [&](const TrainProgress& p) {
        if (p.step != p.stepsPerEpoch) return;
        const auto now = std::chrono::steady_clock::now();
        epochSeconds.push_back(std::chrono::duration<double>(now - epochStart).count());
        epochStart = now;
    };
    const TrainingSummary summary = trainer.train(data, Adam{1e-5, 0.9, 0.999, 1e-8}, mse, options, callbacks);
    const double added = peakMb() - baseline;
    const double after = trainer.loss(data, mse, options)[0];
    std::vector<double> tail(epochSeconds.begin() + 1, epochSeconds.end());
    std::nth_element(tail.begin(), tail.begin() + tail.size() / 2, tail.end());
    const double median = tail[tail.size() / 2];
    const Anchor& a = *std::find_if(std::begin(anchors), std::end(anchors), [&](const Anchor& x) { return x.n == n; });
    std::printf("%5d  %-7s  %8.4f  %6.3f (%5.1fx)  %6.3f (%4.1fx)  %8.1f  %5.0f  %11.5e  %11.5e  %11.5e (%+5.1f%%)\n", n,
                dtype.c_str(), median,
                a.secondsPerEpoch, a.secondsPerEpoch / median, a.floorSeconds, median / a.floorSeconds, added, a.memoryMb,
                before, after, a.finalLoss, 100.0 * (after / a.finalLoss - 1.0));
    std::printf("       epoch losses:");
    for (double l : summary.epochLoss) std::printf(" %.4g", l);
    if (profile) std::printf("\n       profile (s):");
    for (const auto& [phase, seconds] : summary.profile) std::printf(" %s %.3f", phase.c_str(), seconds);
    for (const auto& [phase, kinds] : summary.operatorProfile) {
        std::printf("\n       %s by operator kind (s):", phase.c_str());
        for (const auto& [kind, seconds] : kinds) std::printf(" %s %.3f", kind.c_str(), seconds);
    }
    std::printf("\n");
    std::fflush(stdout);
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    std::string anchorsDir = NEUROLOOM_ANCHORS_DIR;
    std::vector<int> sizes = {100, 500, 2000};
    std::vector<std::string> dtypes = {"float64", "float32"};
    bool child = false, profile = false;
    for (int i = 1; i < argc; ++i) {
        if (!std::strcmp(argv[i], "--n") && i + 1 < argc) sizes = {std::atoi(argv[++i])};
        else if (!std::strcmp(argv[i], "--anchors") && i + 1 < argc) anchorsDir = argv[++i];
        else if (!std::strcmp(argv[i], "--child")) child = true;
        else if (!std::strcmp(argv[i], "--profile")) profile = true;
        else if (!std::strcmp(argv[i], "--dtype") && i + 1 < argc && (!std::strcmp(argv[i + 1], "float64") || !std::strcmp(argv[i + 1], "float32")))
            dtypes = {argv[++i]};
        else {
            std::fprintf(stderr, "usage: %s [--n N] [--dtype float64|float32] [--anchors DIR] [--profile]\n", argv[0]);
            return 2;
        }
    }
    try {
        if (child) return runOne(sizes.at(0), anchorsDir, profile, dtypes.at(0));
        std::printf("x^2 BPTT task (anchors: PyTorch vec float32 on this machine; floor: fused single-thread kernel)\n");
        std::printf("    N  dtype     s/epoch   PyTorch (ratio)  floor (ours/floor)  +MB ours  +MB PT  loss before  final loss   PyTorch final\n");
        std::fflush(stdout);
        for (int n : sizes)
            for (const std::string& dtype : dtypes) {
                const pid_t pid = fork();
                if (pid == 0) {
                    const std::string size = std::to_string(n);
                    execl("/proc/self/exe", argv[0], "--child", "--n", size.c_str(), "--dtype", dtype.c_str(), "--anchors",
                          anchorsDir.c_str(), profile ? "--profile" : nullptr, nullptr);
                    _exit(127);
                }
                int status = 0;
                waitpid(pid, &status, 0);
                if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) return 1;
            }
        return 0;
    } catch (const Error& e) {
        std::fprintf(stderr, "neuroloom-bench-train: %s\n", e.what());
        return 1;
    }
}
