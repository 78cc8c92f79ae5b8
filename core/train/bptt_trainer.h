#pragma once
// Training by backpropagation through time, with NengoDL's Simulator.train
// semantics. The forward pass is the Simulator itself (the same kernels that
// reproduce Nengo); the trainer records what the backward pass needs after
// each step and runs the kernels' vector-Jacobian products in reverse.
#include "build/built_model.h"
#include "train/optimizer.h"
#include "train/training_data.h"
#include "train/training_summary.h"

#include <atomic>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace core {

// The arithmetic of training's simulations and gradients: double, Nengo's; or
// float, as NengoDL trains by default: twice the neurons per vector
// instruction and half the memory. The parameters and the optimiser stay
// double either way; the gradients are summed in double.
enum class Precision { Float64, Float32 };

struct TrainOptions {
    int epochs = 1;
    bool shuffle = true;    // reassign sequences to minibatches each epoch
    uint64_t seed = 0;      // of the shuffle
    // Explicit sequence order per epoch (overrides shuffle); epoch e uses order[e % size].
    std::vector<std::vector<int>> order;
    int truncation = 0;          // steps per truncated-BPTT segment; 0 = full BPTT
    bool checkpointing = false;  // full BPTT keeping ~sqrt(n_steps) steps, recomputing the rest
    bool rateMode = false;       // forward pass with rate neurons instead of spikes
    // Gradient of spiking LIF neurons: SoftLIFRate with this smoothing (sigma);
    // 0 uses LIFRate's derivative.
    double lifSmoothing = 0.01;
    bool profile = false;
    Precision precision = Precision::Float64;
    // Distributions to record: object ids (ensemble: encoders, connection:
    // weights, "X.neurons": biases); every `summaryEvery` optimisation steps.
    std::vector<std::string> summaries;
    int summaryEvery = 10;
    int histogramBins = 30;
    std::string label = "train";
    bool operator==(const TrainOptions&) const = default;
};

struct TrainProgress {
    int epoch = 0, epochs = 0;       // epoch counts from 1
    long step = 0, stepsPerEpoch = 0;  // within the epoch, from 1
    double loss = 0.0;
    double seconds = 0.0;  // since the call started
};

struct TrainCallbacks {
    std::function<void(const TrainProgress&)> progress;
    // Called after every distribution sample, so a UI can plot live.
    std::function<void(const TrainingSummary&)> summary;
};

// One trainable array of the model.
struct ParameterArray {
    std::string objectId;
    std::string name;  // "encoders" (scaled), "bias", "weights"
    Matrix value;
};

class BpttTrainer {
public:
    BpttTrainer(BuiltModel model, int minibatchSize);
    ~BpttTrainer();

    // Trains in place and returns what was recorded. Throws core::Error for bad
    // data (before any change) and for NaN/Inf (after restoring the last good
    // parameters). A cancel request stops at the next step boundary.
    TrainingSummary train(const TrainingData& data, const OptimizerSettings& optimizer,
                          const std::vector<ObjectiveTerm>& objectives, const TrainOptions& options = {},
                          const TrainCallbacks& callbacks = {});

    // The objective over the whole data set without training: the total, and per term.
    std::vector<double> loss(const TrainingData& data, const std::vector<ObjectiveTerm>& objectives,
                             const TrainOptions& options = {});

    // Probe outputs for every sequence of the data: probe id -> (n, steps, size).
    std::map<std::string, Tensor3> predict(const TrainingData& data, const TrainOptions& options = {});

    // Gradients of the objective for one minibatch (n == minibatch size), in
    // the order of parameters(); the loss is returned. For gradient checks.
    double gradients(const TrainingData& batch, const std::vector<ObjectiveTerm>& objectives, const TrainOptions& options,
                     std::vector<Matrix>& gradients);

    // The model with the trained parameters, for a Simulator (the sim.data equivalent).
    const BuiltModel& model() const { return model_; }
    std::vector<ParameterArray> parameters() const;
    void setParameters(const std::vector<ParameterArray>& parameters);

    // Thread-safe controls for a UI running train() on a worker thread.
    void requestCancel() { cancel_ = true; }
    void setPaused(bool paused) { paused_ = paused; }
    bool cancelled() const { return cancel_; }

    int minibatchSize() const { return minibatch_; }

    // The next train() continues with the optimiser state (moments, step
    // count) the last one ended with, as a Keras/NengoDL model keeps its
    // optimiser across fit() calls, when the optimiser settings and the
    // trained parameters are the same; otherwise it starts afresh. A fresh
    // Adam on a trained model would first move every parameter by the full
    // learning rate. This carries that state over from another trainer of
    // the same network (e.g. one with another minibatch size).
    void continueOptimizerOf(const BpttTrainer& previous);
    // Steps the kept optimiser has taken (0: the next train() starts afresh).
    long optimizerSteps() const { return optimizer_ ? optimizer_->steps() : 0; }

private:
    template <class T>
    struct Engine;
    template <class T>
    TrainingSummary trainIn(const TrainingData& data, const OptimizerSettings& optimizer,
                            const std::vector<ObjectiveTerm>& objectives, const TrainOptions& options,
                            const TrainCallbacks& callbacks);
    template <class T>
    std::vector<double> lossIn(const TrainingData& data, const std::vector<ObjectiveTerm>& objectives,
                               const TrainOptions& options);
    template <class T>
    std::map<std::string, Tensor3> predictIn(const TrainingData& data, const TrainOptions& options);
    template <class T>
    double gradientsIn(const TrainingData& batch, const std::vector<ObjectiveTerm>& objectives,
                       const TrainOptions& options, std::vector<Matrix>& gradients);
    BuiltModel model_;
    int minibatch_;
    std::atomic<bool> cancel_{false}, paused_{false};
    int calls_ = 0;
    std::optional<Optimizer> optimizer_;
    std::vector<std::string> optimizedParameters_;  // "object/name" of what optimizer_'s slots hold
};

}  // namespace core
