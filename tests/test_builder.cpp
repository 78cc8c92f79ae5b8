// The builder against Nengo's: from each reference case's sampled max_rates,
// intercepts, encoders, eval points and function targets, build() must give
// Nengo's gains, biases, scaled encoders, LstsqL2 decoders and weights, synapse
// coefficients and PES constants to 1e-8 relative (README section 10). Also
// the decoder cache.
#include "build/builder.h"
#include "build/decoder_cache.h"
#include "common/error.h"
#include "io/reference_case.h"
#include "reference_cases.h"

#include <QtTest>

#include <cstdio>
#include <cstring>

using namespace core;

namespace {

// in -> a -> b -> c, c's decoded output probed: three decoder solves.
Network threeEnsembleChain() {
    Network net;
    net.seed = 4;
    net.nodes.push_back(Node{"in", "in", 0, 1, SineWave{}});
    std::string previous = "in";
    for (const char* id : {"a", "b", "c"}) {
        Ensemble e;
        e.id = e.label = id;
        e.nNeurons = 80;
        net.ensembles.push_back(e);
        Connection c;
        c.id = c.label = previous + "_" + id;
        c.pre = {previous, previous == "in" ? EndpointKind::Node : EndpointKind::Ensemble};
        c.post = {id, EndpointKind::Ensemble};
        net.connections.push_back(c);
        previous = id;
    }
    net.probes.push_back(Probe{"p", "p", {"c", EndpointKind::Ensemble}, ProbeAttribute::DecodedOutput, {},
                               LowpassSynapse{0.01}, {}, {}, {}});
    return net;
}

bool sameDecoders(const BuiltModel& x, const BuiltModel& y) {
    for (size_t i = 0; i < x.connections.size(); ++i) {
        const Matrix& a = x.connections[i].decoders;
        const Matrix& b = y.connections[i].decoders;
        if (a.rows() != b.rows() || a.cols() != b.cols() ||
            (a.size() > 0 && std::memcmp(a.data(), b.data(), sizeof(double) * static_cast<size_t>(a.size())) != 0))
            return false;
    }
    return true;
}

class Checker {
public:
    void check(const std::string& what, const Matrix& got, const Matrix& expected) {
        if (got.rows() != expected.rows() || got.cols() != expected.cols()) {
            failures_ << QString("%1: shape %2x%3, expected %4x%5")
                             .arg(QString::fromStdString(what))
                             .arg(got.rows()).arg(got.cols()).arg(expected.rows()).arg(expected.cols());
            return;
        }
        const double err = relativeError(got.data(), expected.data(), got.size());
        worst_ = std::max(worst_, err);
        if (!(err <= 1e-8)) failures_ << QString("%1: relative error %2").arg(QString::fromStdString(what)).arg(err);
        ++checked_;
    }
    void check(const std::string& what, const SynapseFilter& got, const SynapseFilter& expected) {
        check(what + ".A", got.a, expected.a);
        check(what + ".B", got.b, expected.b);
        check(what + ".C", got.c, expected.c);
    }
    QStringList failures_;
    double worst_ = 0.0;
    int checked_ = 0;
};

}  // namespace

class BuilderTest : public QObject {
    Q_OBJECT
private slots:
    void everyCase_data() {
        QTest::addColumn<QString>("file");
        const auto files = referenceCaseFiles();
        QVERIFY2(!files.empty(), "no reference cases found");
        for (const auto& f : files) QTest::newRow(f.c_str()) << QString::fromStdString(f);
    }

    void everyCase() {
        QFETCH(QString, file);
        try {
            const ReferenceCase rc = loadReferenceCase(file.toStdString(), ReferenceParameters::Sampled);
            const BuiltModel m = build(rc.network, {rc.dt, {}});
            Checker c;
            for (const auto& e : rc.ensembles) {
                const BuiltEnsemble& b = m.ensembles.at(m.ensembleIndex(e.id));
                c.check(e.id + ".gain", b.gain, e.gain);
                c.check(e.id + ".bias", b.bias, e.bias);
                c.check(e.id + ".scaled_encoders", b.scaledEncoders, e.scaledEncoders);
            }
            for (const auto& e : rc.connections) {
                const BuiltConnection& b = m.connections.at(m.connectionIndex(e.id));
                if (e.decoders.size() > 0) {
                    c.check(e.id + ".targets", b.targets, e.targets);
                    c.check(e.id + ".decoders", b.decoders, e.decoders);
                }
                c.check(e.id + ".weights", b.weights, e.weights);
                QCOMPARE(b.synapse.has_value(), e.synapse.has_value());
                if (e.synapse) c.check(e.id + ".synapse", *b.synapse, *e.synapse);
                QCOMPARE(b.pes.has_value(), e.alpha.has_value());
                if (!e.alpha) continue;
                c.check(e.id + ".alpha", Matrix::Constant(1, 1, b.pes->alpha), Matrix::Constant(1, 1, *e.alpha));
                QCOMPARE(b.pes->preSynapse.has_value(), e.preSynapse.has_value());
                if (e.preSynapse) c.check(e.id + ".pre_synapse", *b.pes->preSynapse, *e.preSynapse);
                if (e.errorEncoders.size() > 0 || b.pes->errorEncoders.size() > 0)
                    c.check(e.id + ".error_encoders", b.pes->errorEncoders, e.errorEncoders);
            }
            for (const auto& e : rc.probes) {
                const BuiltProbe& b = m.probes.at(m.probeIndex(e.id));
                if (e.decoders.size() > 0) c.check(e.id + ".decoders", b.decoders, e.decoders);
                QCOMPARE(b.synapse.has_value(), e.synapse.has_value());
                if (e.synapse) c.check(e.id + ".synapse", *b.synapse, *e.synapse);
            }
            std::printf("builder %-40s %d quantities, largest relative error %.3e\n", rc.name.c_str(), c.checked_,
                        c.worst_);
            QVERIFY2(c.failures_.empty(), qPrintable(rc.name.c_str() + QString(": ") + c.failures_.join("; ")));
        } catch (const Error& e) {
            QFAIL(qPrintable(QString("cannot build %1: %2").arg(file, e.what())));
        }
    }

    // A second build of the same network takes every decoder from the cache,
    // bit for bit what the first solved; after an edit only the problems it
    // changed are solved again; a limit of 0 keeps nothing.
    void decoderCacheReusesEqualProblems() {
        clearDecoderCache();
        Network net = threeEnsembleChain();
        const BuiltModel cold = build(net);
        QCOMPARE(decoderCacheStatistics().misses, 3L);
        QCOMPARE(decoderCacheStatistics().hits, 0L);
        QCOMPARE(decoderCacheStatistics().entries, size_t{3});
        const BuiltModel warm = build(net);
        QCOMPARE(decoderCacheStatistics().hits, 3L);
        QVERIFY(sameDecoders(warm, cold));
        QCOMPARE(warm.probes[0].decoders, cold.probes[0].decoders);

        // b changed: a -> b still solves a's problem (a hit); b -> c is new.
        net.ensembles[1].nNeurons = 60;
        const BuiltModel edited = build(net);
        QCOMPARE(decoderCacheStatistics().hits, 5L);
        QCOMPARE(decoderCacheStatistics().misses, 4L);
        QCOMPARE(edited.connections[1].decoders, cold.connections[1].decoders);
        QCOMPARE(edited.connections[2].decoders.cols(), 60);

        // Another regularisation is another problem.
        net.connections[1].solver.reg = 0.05;
        build(net);
        QCOMPARE(decoderCacheStatistics().misses, 5L);

        setDecoderCacheLimit(0);
        const BuiltModel uncached = build(net);
        build(net);
        QCOMPARE(decoderCacheStatistics().hits, 0L);
        QCOMPARE(decoderCacheStatistics().entries, size_t{0});
        setDecoderCacheLimit(std::size_t{128} << 20);
        QVERIFY(sameDecoders(build(net), uncached));
    }
};

QTEST_APPLESS_MAIN(BuilderTest)
#include "test_builder.moc"
