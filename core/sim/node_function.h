#pragma once
// Turns a node's output description into something the simulator can
// evaluate at time t. One evaluator per simulator (muParser keeps state).
#include "model/node.h"

#include <memory>

namespace core {

class NodeFunction {
public:
    virtual ~NodeFunction() = default;
    // Writes size_out values for time t (seconds).
    virtual void evaluate(double t, double* out) = 0;
};

std::unique_ptr<NodeFunction> makeNodeFunction(const NodeOutput& output, int sizeOut, double dt);

}  // namespace core
