#pragma once
// TensorBoard event files, as NengoDL writes into its `tensorboard=` folder:
// `tensorboard --logdir DIR` shows the losses in the Scalars tab and the
// parameter distributions in the Distributions and Histograms tabs.
//
// The file is a TFRecord stream of serialized `Event` protocol buffers. The
// few messages involved are encoded by hand, so the engine needs no protobuf
// library. Every failure throws core::Error naming the file.
#include "train/training_summary.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace core {

// Writes one run's summaries into DIR/<run>/events.out.tfevents.<seconds>.<hostname>.neuroloom
// (creating folders), atomically, and returns the file's path. <run> is the
// first of <summary.label>, <label>_1, <label>_2, ... not yet in DIR, so each
// run gets its own folder and TensorBoard shows it as its own run. The first event
// is the file version ("brain.Event:2"); then one event per recorded value:
// "loss" per optimisation step (stepLoss[i] at step i + 1), "epoch_loss" per
// epoch (step = epoch number), and a histogram per distribution sample under
// its key (e.g. "A/encoders") at the sample's step.
std::string writeTensorBoardLog(const TrainingSummary& summary, const std::string& directory);

// One scalar or histogram value of an event file.
struct TensorBoardEvent {
    std::string tag;
    long step = 0;
    double wallTime = 0;  // seconds since 1970
    bool isHistogram = false;
    double value = 0;  // the scalar (stored as float32, as TensorBoard does)
    // The histogram (TensorBoard's HistogramProto): bucket i counts the values
    // from bucketLimits[i - 1] (or min, for i = 0) to bucketLimits[i].
    double min = 0, max = 0, num = 0, sum = 0, sumSquares = 0;
    std::vector<double> bucketLimits, buckets;
};

// The scalar (`simple_value`) and histogram (`histo`) values of an event file,
// in file order. Other events and value kinds (graphs, images, TensorFlow 2's
// tensor summaries) are skipped. Throws when a checksum does not match, the
// file is truncated inside a record, a message is malformed, or the first
// record is not the file version event.
std::vector<TensorBoardEvent> readTensorBoardLog(const std::string& path);

// CRC-32C (Castagnoli), the checksum of TFRecord framing.
uint32_t crc32c(std::string_view bytes);

}  // namespace core
