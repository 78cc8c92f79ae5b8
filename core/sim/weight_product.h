#pragma once
// The two fixed-matrix products of a step: encoding an ensemble's decoded
// input into neuron currents, and applying a connection's (or a decoded
// probe's) weights. Both work one column (minibatch stream) at a time, so a
// stream's result never depends on how many streams run beside it or on how
// the columns are split between threads.
#include "model/table.h"

namespace core {

// currents = bias + scaledEncoders * decoded, for `columns` columns:
// decoded is (d x columns), currents (n x columns), both column-major.
void encodeCurrents(const Matrix& scaledEncoders, const Vector& bias, const double* decoded, double* currents,
                    Eigen::Index columns);

// The vector-Jacobian product of encodeCurrents for the same columns, given
// currentGradient (n x columns): encoderGradient (n x d) += currentGradient
// decoded^T, biasGradient (n) += its row sums, decodedGradient (d x columns)
// += scaledEncoders^T currentGradient. A null target is not wanted and not computed.
void addEncodeGradients(const Matrix& scaledEncoders, const double* decoded, const double* currentGradient,
                        double* encoderGradient, double* biasGradient, double* decodedGradient, Eigen::Index columns);

// A weight matrix with few rows multiplies fastest transposed (each output is
// one contiguous dot product): the copy applyWeights can use, or an empty
// matrix when the rows are many.
Matrix transposedForProduct(const Matrix& weights);

// out = weights * in, for `columns` columns: in is (cols(weights) x columns),
// out (rows(weights) x columns). transposed: transposedForProduct(weights), or
// empty (weights that change every step). spikingInput says the input holds
// spikes, mostly zeros, so a tall matrix only needs the columns of the neurons
// that fired.
void applyWeights(const Matrix& weights, const Matrix& transposed, const double* in, double* out,
                  Eigen::Index columns, bool spikingInput);

// The vector-Jacobian product of applyWeights for the same columns, given
// outGradient (rows(weights) x columns): weightGradient (shaped as weights)
// += outGradient in^T, inGradient (cols(weights) x columns) += weights^T
// outGradient. A null target is not wanted and not computed.
void addWeightGradients(const Matrix& weights, const double* in, const double* outGradient, double* weightGradient,
                        double* inGradient, Eigen::Index columns);

}  // namespace core
