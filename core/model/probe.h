#pragma once
#include "model/connection.h"

namespace core {

enum class ProbeAttribute {
    Output,          // node output, neuron output, connection output
    DecodedOutput,   // ensemble decoded value
    Input,           // ensemble decoded input, neuron input current
    Voltage,
    RefractoryTime,
    Weights,         // connection weights
    Error,           // learning rule signals
    Activities,
    Delta,
};

struct Probe {
    std::string id;
    std::string label;
    Endpoint target;
    ProbeAttribute attribute = ProbeAttribute::Output;
    Slice slice;
    OptionalSynapse synapse;
    std::optional<double> sampleEvery;  // seconds; none = every step
    LstsqL2 solver;                     // decoded_output probes solve their own decoders
    std::optional<Table> decoders;      // explicit decoders for decoded_output (slice folded in)

    bool operator==(const Probe&) const = default;
};

}  // namespace core
