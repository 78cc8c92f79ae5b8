#pragma once
// The two fixed-matrix products of a step: encoding an ensemble's decoded
// input into neuron currents, and applying a connection's (or a decoded
// probe's) weights. Both work one column (minibatch stream) at a time, so a
// stream's result never depends on how many streams run beside it or on how
// the columns are split between threads. T is the simulator's precision,
// double or float.
#include "model/table.h"

namespace core {

// currents = bias + scaledEncoders * decoded, for `columns` columns:
// decoded is (d x columns), currents (n x columns), both column-major.
template <class T>
void encodeCurrents(const MatrixOf<T>& scaledEncoders, const VectorOf<T>& bias, const T* decoded, T* currents,
                    Eigen::Index columns);

// The vector-Jacobian product of encodeCurrents for the same columns, given
// currentGradient (n x columns): encoderGradient (n x d) += currentGradient
// decoded^T, biasGradient (n) += its row sums, decodedGradient (d x columns)
// += scaledEncoders^T currentGradient. A null target is not wanted and not computed.
template <class T>
void addEncodeGradients(const MatrixOf<T>& scaledEncoders, const T* decoded, const T* currentGradient,
                        T* encoderGradient, T* biasGradient, T* decodedGradient, Eigen::Index columns);

// A weight matrix with few rows multiplies fastest transposed (each output is
// one contiguous dot product): the copy applyWeights can use, or an empty
// matrix when the rows are many.
template <class T>
MatrixOf<T> transposedForProduct(const MatrixOf<T>& weights);

// out = weights * in, for `columns` columns: in is (cols(weights) x columns),
// out (rows(weights) x columns). transposed: transposedForProduct(weights), or
// empty (weights that change every step). spikingInput says the input holds
// spikes, mostly zeros, so a tall matrix only needs the columns of the neurons
// that fired.
template <class T>
void applyWeights(const MatrixOf<T>& weights, const MatrixOf<T>& transposed, const T* in, T* out,
                  Eigen::Index columns, bool spikingInput);

// The vector-Jacobian product of applyWeights for the same columns, given
// outGradient (rows(weights) x columns): weightGradient (shaped as weights)
// += outGradient in^T, inGradient (cols(weights) x columns) += weights^T
// outGradient. A null target is not wanted and not computed.
template <class T>
void addWeightGradients(const MatrixOf<T>& weights, const T* in, const T* outGradient, T* weightGradient,
                        T* inGradient, Eigen::Index columns);

}  // namespace core
