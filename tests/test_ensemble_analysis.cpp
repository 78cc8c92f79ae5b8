// The ensemble teaching view's numbers: tuning curves are the neuron type's
// rate at gain (x·e) / radius + bias, and the decoded estimates are those of
// the decoders the full builder solves.
#include "build/ensemble_analysis.h"
#include "common/error.h"

#include <QtTest>

#include <cmath>

using namespace core;

namespace {

Ensemble ensemble(const std::string& id, int nNeurons, int dimensions = 1) {
    Ensemble e;
    e.id = id;
    e.label = id;
    e.nNeurons = nNeurons;
    e.dimensions = dimensions;
    return e;
}

Connection decoded(const std::string& id, const std::string& pre, const std::string& post,
                   std::vector<std::string> expressions) {
    Connection c;
    c.id = id;
    c.pre = {pre, EndpointKind::Ensemble};
    c.post = {post, EndpointKind::Ensemble};
    c.function = FunctionExpression{std::move(expressions)};
    return c;
}

// A squares x into B.
Network squaring(int nNeurons) {
    Network net;
    net.id = "net";
    net.seed = 7;
    net.ensembles = {ensemble("A", nNeurons), ensemble("B", 50)};
    net.connections = {decoded("A_to_B", "A", "B", {"x^2"})};
    return net;
}

double maxAbs(const Matrix& m) { return m.cwiseAbs().maxCoeff(); }

}  // namespace

class EnsembleAnalysisTest : public QObject {
    Q_OBJECT
private slots:
    void tuningCurveIsTheRateOfTheEncodedValue() {
        Network net = squaring(30);
        net.ensembles[0].radius = 2.0;
        net.ensembles[0].neuronType = LifRateNeurons{0.03, 0.001};
        const EnsembleAnalysis analysis = analyseEnsemble(net, "A");
        const BuiltEnsemble a = build(net).ensembles[0];
        QCOMPARE(analysis.tuning.rates.rows(), Eigen::Index(analysis.tuning.x.size()));
        QCOMPARE(analysis.tuning.rates.cols(), Eigen::Index(30));
        QCOMPARE(analysis.tuning.x.front(), -2.0);
        QCOMPARE(analysis.tuning.x.back(), 2.0);
        const LifRateNeurons rate{0.03, 0.001};
        for (size_t i = 0; i < analysis.tuning.x.size(); ++i)
            for (int j = 0; j < 30; ++j) {
                const double x = analysis.tuning.x[i];
                QCOMPARE(analysis.tuning.rates(Eigen::Index(i), j),
                         rate.rate(a.gain[j] * x * a.encoders(j, 0) / 2.0 + a.bias[j]));
            }
    }

    void multidimensionalCurvesRunAlongPreferredDirections() {
        Network net;
        net.seed = 3;
        net.ensembles = {ensemble("A", 20, 3)};
        net.ensembles[0].radius = 1.5;
        const EnsembleAnalysis analysis = analyseEnsemble(net, "A");
        const BuiltEnsemble a = build(net).ensembles[0];
        QCOMPARE(analysis.tuning.rates.cols(), Eigen::Index(20));
        for (int j = 0; j < 20; ++j) {
            // The curve's point x is the vector x e_j: the ensemble's response there.
            const Vector x = Eigen::Map<const Vector>(analysis.tuning.x.data(), Eigen::Index(analysis.tuning.x.size()));
            const Matrix alongEncoder = x * a.encoders.row(j);
            const Matrix expected = ensembleActivities(a, alongEncoder).col(j);
            QVERIFY2(maxAbs(analysis.tuning.rates.col(j) - expected) < 1e-9, qPrintable(QString::number(j)));
        }
    }

    void lifRateIsZeroBelowTheInterceptAndMaxAtTheRadius() {
        Network net = squaring(40);
        net.ensembles[0].radius = 3.0;
        net.ensembles[0].intercepts = Uniform{-0.8, 0.8};
        net.ensembles[0].maxRates = Uniform{150.0, 300.0};
        const EnsembleAnalysis analysis = analyseEnsemble(net, "A");
        const BuiltEnsemble a = build(net).ensembles[0];
        const auto& x = analysis.tuning.x;
        const Eigen::Index last = Eigen::Index(x.size()) - 1;
        for (int j = 0; j < 40; ++j) {
            const double e = a.encoders(j, 0);
            for (size_t i = 0; i < x.size(); ++i) {
                // Intercepts are in units of the radius, along the encoder.
                if (x[i] * e / 3.0 < a.intercepts[j]) QCOMPARE(analysis.tuning.rates(Eigen::Index(i), j), 0.0);
                else if (x[i] * e / 3.0 > a.intercepts[j] + 1e-9) QVERIFY(analysis.tuning.rates(Eigen::Index(i), j) > 0.0);
            }
            const double atRadius = analysis.tuning.rates(e > 0 ? last : 0, j);
            QVERIFY2(std::abs(atRadius - a.maxRates[j]) < 1e-9 * a.maxRates[j],
                     qPrintable(QString("neuron %1: %2 Hz, max rate %3 Hz").arg(j).arg(atRadius).arg(a.maxRates[j])));
        }
    }

    void decodedSquareMatchesTheFullBuildersDecoders() {
        Network net = squaring(80);
        const EnsembleAnalysis analysis = analyseEnsemble(net, "A");
        QCOMPARE(analysis.decoding.size(), size_t(1));
        const DecodingQuality& q = analysis.decoding[0];
        QCOMPARE(q.connectionId, std::string("A_to_B"));
        QCOMPARE(q.functionExpressions, std::vector<std::string>{"x^2"});
        const BuiltModel full = build(net);
        const BuiltConnection& c = full.connections[0];
        QCOMPARE(q.evalPoints.rows(), c.evalPoints.rows());
        for (Eigen::Index i = 1; i < q.evalPoints.rows(); ++i) QVERIFY(q.evalPoints(i - 1, 0) <= q.evalPoints(i, 0));
        QVERIFY(maxAbs(q.target - q.evalPoints.array().square().matrix()) < 1e-12);
        const Matrix expected = ensembleActivities(full.ensembles[0], q.evalPoints) * c.decoders.transpose();
        QVERIFY(maxAbs(q.decoded - expected) < 1e-12);
        const double rms = std::sqrt((expected - q.target).array().square().mean());
        QVERIFY(std::abs(q.rmsError - rms) < 1e-12);
        QVERIFY(q.rmsError > 0.0);
    }

    void rmsErrorFallsAsNeuronsAreAdded() {
        const double few = analyseEnsemble(squaring(50), "A").decoding[0].rmsError;
        const double many = analyseEnsemble(squaring(400), "A").decoding[0].rmsError;
        QVERIFY2(many < 0.5 * few, qPrintable(QString("50 neurons: %1, 400 neurons: %2").arg(few).arg(many)));
    }

    void everyKindOfOutgoingDecodedConnectionIsAnalysed() {
        // Posts of every kind, a transform, slices, weights mode, learning, a
        // nested subnetwork; a frozen connection (explicit weights) has no decoders.
        Network net;
        net.seed = 11;
        net.ensembles = {ensemble("A", 60, 2), ensemble("B", 30, 1), ensemble("C", 30, 3)};
        Node passthrough;
        passthrough.id = "P";
        passthrough.sizeIn = passthrough.sizeOut = 2;
        passthrough.output = PassthroughOutput{};
        net.nodes = {passthrough};
        Connection product = decoded("product", "A", "B", {"x0*x1"});
        product.solver.weights = true;
        product.learningRule = PesRule{};
        Connection sliced = decoded("sliced", "A", "C", {"sin(x)"});
        sliced.preSlice = std::vector<int>{1};
        sliced.postSlice = std::vector<int>{2};
        sliced.transform = -3.0;
        Connection toNeurons = decoded("to_neurons", "A", "C", {"x0", "x1"});
        toNeurons.post.kind = EndpointKind::Neurons;
        toNeurons.transform = Table::fromMatrix(Matrix::Ones(30, 2));
        Connection identity;
        identity.id = "identity";
        identity.pre = {"A", EndpointKind::Ensemble};
        identity.post = {"P", EndpointKind::Node};
        Connection frozen = identity;
        frozen.id = "frozen";
        frozen.weights = Table::fromMatrix(Matrix::Ones(2, 60));
        Connection error = decoded("error", "B", "product", {"x"});
        error.post.kind = EndpointKind::LearningRule;
        Network inner;
        inner.id = "inner";
        inner.connections = {sliced, toNeurons};
        net.subnetworks = {inner};
        net.connections = {product, identity, frozen, error};

        const EnsembleAnalysis analysis = analyseEnsemble(net, "A");
        const BuiltModel full = build(net);
        std::vector<std::string> ids;
        for (const DecodingQuality& q : analysis.decoding) {
            ids.push_back(q.connectionId);
            const BuiltConnection& c = full.connections[full.connectionIndex(q.connectionId)];
            const Matrix expected = ensembleActivities(full.ensembles[0], q.evalPoints) * c.decoders.transpose();
            QVERIFY2(q.decoded.cols() == c.decoders.rows() && maxAbs(q.decoded - expected) < 1e-12, q.connectionId.c_str());
        }
        QCOMPARE(ids, (std::vector<std::string>{"product", "identity", "sliced", "to_neurons"}));
        QVERIFY(analysis.decoding[1].functionExpressions.empty());
        QCOMPARE(analysis.decoding[1].target, analysis.decoding[1].evalPoints);
    }

    void onlyTheEnsembleAndItsConnectionsAreBuilt() {
        // A broken object elsewhere would stop a whole-network build, not this one.
        Network net = squaring(30);
        net.ensembles[1].radius = -1.0;
        Connection broken = decoded("B_to_A", "B", "A", {"x^"});
        net.connections.push_back(broken);
        QVERIFY_THROWS_EXCEPTION(Error, build(net));
        QCOMPARE(analyseEnsemble(net, "A").decoding.size(), size_t(1));
    }

    void errorsNameTheObjectAndField() {
        Network net = squaring(30);
        try {
            analyseEnsemble(net, "missing");
            QFAIL("no error for a missing ensemble");
        } catch (const Error& e) {
            QCOMPARE(e.object(), std::string("missing"));
            QCOMPARE(e.field(), std::string("ensemble"));
        }
        std::get<FunctionExpression>(*net.connections[0].function).expressions = {"x^"};
        try {
            analyseEnsemble(net, "A");
            QFAIL("no error for a bad function");
        } catch (const Error& e) {
            QCOMPARE(e.object(), std::string("A_to_B"));
            QCOMPARE(e.field(), std::string("function"));
        }
        net.connections[0].function = FunctionExpression{};
        try {
            analyseEnsemble(net, "A");
            QFAIL("no error for an empty function");
        } catch (const Error& e) {
            QCOMPARE(e.object(), std::string("A_to_B"));
        }
    }
};

QTEST_MAIN(EnsembleAnalysisTest)
#include "test_ensemble_analysis.moc"
