#pragma once
#include "model/synapse.h"
#include "model/table.h"

namespace core {

// A synapse discretised at dt (zero-order hold): X <- A X + B u, y = C X.
// D is 0 for every synapse Nengo offers here.
struct SynapseFilter {
    Matrix a;  // order x order
    Vector b;  // order
    Vector c;  // order
    int order() const { return static_cast<int>(b.size()); }
};

SynapseFilter discretise(const Synapse& synapse, double dt);

}  // namespace core

namespace core {

// One step of the filter for `count` independent elements. state holds
// order x count values, column-major: an element's `order` values side by side
// (so a range of elements is a range of the array); input and output hold
// count values.
// The input enters the state first and the output is read after (no delay
// inside the filter; the one-step delay of a connection comes from when its
// output is read).
// T: the simulator's precision; the coefficients are rounded to it.
template <class T>
void filterStep(const SynapseFilter& filter, T* state, const T* input, T* output, Eigen::Index count);

// The vector-Jacobian product of filterStep, one step backwards in time:
// adjoint (order x count) holds dLoss/dX of the following step's state and
// becomes this step's; outputGradient is dLoss/dy of this step's output,
// inputGradient receives dLoss/du of this step's input.
template <class T>
void filterBackwardStep(const SynapseFilter& filter, MatrixOf<T>& adjoint, const T* outputGradient, T* inputGradient,
                        Eigen::Index count);

}  // namespace core
