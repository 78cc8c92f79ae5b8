#pragma once
// What an ensemble represents and how well its outgoing connections decode
// their functions: the "understanding an ensemble" teaching view. Everything
// comes from the builder's own code, so the curves are those of the model
// that runs.
#include "build/builder.h"

#include <string>
#include <vector>

namespace core {

// Each neuron's rate over the represented range, as Nengo's tuning_curves for
// a 1-D ensemble. For D > 1 each curve runs along its neuron's preferred
// direction: the abscissa is the encoded value x·e (Nengo's response_curves,
// spread over [-radius, radius]).
struct TuningCurves {
    std::vector<double> x;  // represented value (1-D) or x·encoder (D > 1), -radius..radius
    Matrix rates;           // points x neurons, Hz; spiking types give their rate approximation
};

// One outgoing decoded connection: its function's target against the decoded
// estimate over the connection's eval points. The estimate is rate activities
// times decoders, as Nengo evaluates its solvers (the transform comes after).
struct DecodingQuality {
    std::string connectionId, connectionLabel;
    std::vector<std::string> functionExpressions;  // as written; empty: identity or given targets
    Matrix evalPoints;      // m x d, rows sorted by the first coordinate (a 1-D pre plots as a line)
    Matrix target;          // m x k, the function at the eval points
    Matrix decoded;         // m x k
    double rmsError = 0.0;  // over every point and output dimension
};

struct EnsembleAnalysis {
    BuiltEnsemble ensemble;  // gains, biases, encoders, the sampled intercepts and max rates
    TuningCurves tuning;
    std::vector<DecodingQuality> decoding;  // outgoing decoded connections in model order
};

// nPoints evenly spaced over [-radius, radius], both ends included.
// 201 points draw LIF's steep onset smoothly (Nengo's default is 50).
TuningCurves tuningCurves(const BuiltEnsemble& ensemble, int nPoints = 201);

// `connection` must be a decoded connection built from `pre`.
DecodingQuality decodingQuality(const BuiltEnsemble& pre, const BuiltConnection& connection);

// Builds only the ensemble and its outgoing decoded connections (posts stood
// in for), giving the same gains, biases and decoders as building the whole
// network. Connections with explicit weights (frozen) have no decoders and are
// left out. Throws core::Error naming the object and field.
EnsembleAnalysis analyseEnsemble(const Network& network, const std::string& ensembleId,
                                 const BuildOptions& options = {});

// The ensemble with this id anywhere in the network tree; nullptr if none.
const Ensemble* findEnsemble(const Network& network, const std::string& id);
Ensemble* findEnsemble(Network& network, const std::string& id);

}  // namespace core
