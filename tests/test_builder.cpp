// The builder against Nengo's: from each reference case's sampled max_rates,
// intercepts, encoders, eval points and function targets, build() must give
// Nengo's gains, biases, scaled encoders, LstsqL2 decoders and weights, synapse
// coefficients and PES constants to 1e-8 relative (README section 10).
#include "build/builder.h"
#include "common/error.h"
#include "io/reference_case.h"
#include "reference_cases.h"

#include <QtTest>

#include <cstdio>

using namespace core;

namespace {

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
};

QTEST_APPLESS_MAIN(BuilderTest)
#include "test_builder.moc"
