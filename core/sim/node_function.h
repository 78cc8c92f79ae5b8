#pragma once
// Turns a node's output description into something the simulator can
// evaluate at time t. One evaluator per simulator (muParser keeps state).
#include "model/node.h"

#include <memory>
#include <vector>

namespace core {

class NodeFunction {
public:
    virtual ~NodeFunction() = default;
    // Writes size_out values for time t (seconds).
    virtual void evaluate(double t, double* out) = 0;
};

std::unique_ptr<NodeFunction> makeNodeFunction(const NodeOutput& output, int sizeOut, double dt);

// White noise is a sum of sinusoids: output d at time t is the sum over its
// components of cosine cos(harmonic w) + sine sin(harmonic w), w = 2 pi t / period,
// added in order. Per output dimension, the components drawn from the seed
// (the Nengo export writes them out to compute the same values).
struct WhiteNoiseComponent {
    double harmonic, cosine, sine;
};
std::vector<std::vector<WhiteNoiseComponent>> whiteNoiseComponents(const WhiteNoise& noise, int sizeOut);

}  // namespace core
