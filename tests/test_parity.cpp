// Parity with Nengo 4.0.0's reference simulator: every reference case is
// loaded as an ordinary Network, built and run by the real Simulator, and every
// probe is compared with what Nengo recorded (README section 10: identical
// spike trains, 1e-9 on everything else).
#include "build/builder.h"
#include "common/error.h"
#include "io/reference_case.h"
#include "reference_cases.h"
#include "sim/simulator.h"

#include <QtTest>

#include <cmath>
#include <cstdio>

using namespace core;

namespace {

struct Outcome {
    double largestError = 0.0;
    long spikeMismatches = 0;
    QStringList failures;
};

Outcome compare(const ReferenceCase& rc, const Simulator& sim, double tolerance) {
    Outcome o;
    for (const auto& expected : rc.probes) {
        const ProbeRecord& got = sim.probe(expected.id);
        if (got.steps != expected.steps) {
            o.failures << QString("%1: recorded steps differ (%2 vs %3 samples)")
                              .arg(QString::fromStdString(expected.id))
                              .arg(got.samples())
                              .arg(expected.steps.size());
            continue;
        }
        if (got.size != expected.size || got.values.size() != expected.data.size()) {
            o.failures << QString("%1: size %2, expected %3").arg(QString::fromStdString(expected.id)).arg(got.size).arg(expected.size);
            continue;
        }
        double worst = 0.0;
        long mismatches = 0;
        for (size_t i = 0; i < expected.data.size(); ++i) {
            const double diff = std::abs(got.values[i] - expected.data[i]);
            if (expected.spikeTrain)
                mismatches += got.values[i] != expected.data[i];
            else
                worst = std::max(worst, diff);
        }
        o.largestError = std::max(o.largestError, worst);
        o.spikeMismatches += mismatches;
        if (mismatches > 0)
            o.failures << QString("%1: %2 spike samples differ").arg(QString::fromStdString(expected.id)).arg(mismatches);
        if (!(worst <= tolerance))
            o.failures << QString("%1: largest error %2 > %3").arg(QString::fromStdString(expected.id)).arg(worst).arg(tolerance);
    }
    return o;
}

}  // namespace

class ParityTest : public QObject {
    Q_OBJECT
private slots:
    void everyCase_data() {
        QTest::addColumn<QString>("file");
        const auto files = referenceCaseFiles();
        QVERIFY2(!files.empty(), "no reference cases found");
        for (const auto& f : files) QTest::newRow(f.c_str()) << QString::fromStdString(f);
    }

    // Built parameters as Nengo built them: the simulator alone is under test.
    void everyCase() {
        QFETCH(QString, file);
        ReferenceCase rc;
        try {
            rc = loadReferenceCase(file.toStdString(), ReferenceParameters::Built);
            Simulator sim(build(rc.network, {rc.dt, {}}));
            sim.run(rc.nSteps);
            const Outcome o = compare(rc, sim, 1e-9);
            std::printf("parity %-40s largest error %.3e  spike mismatches %ld\n", rc.name.c_str(), o.largestError,
                        o.spikeMismatches);
            QVERIFY2(o.failures.empty(), qPrintable(rc.name.c_str() + QString(": ") + o.failures.join("; ")));
        } catch (const Error& e) {
            QFAIL(qPrintable(QString("cannot run %1: %2").arg(file, e.what())));
        }
    }

    void everyCaseFromSamples_data() { everyCase_data(); }

    // Our own builder from the sampled max_rates, intercepts, encoders and eval
    // points: the whole pipeline. Built quantities differ from Nengo's at
    // ~1e-14, which may not flip a spike (README pitfall 14).
    void everyCaseFromSamples() {
        QFETCH(QString, file);
        try {
            const ReferenceCase rc = loadReferenceCase(file.toStdString(), ReferenceParameters::Sampled);
            Simulator sim(build(rc.network, {rc.dt, {}}));
            sim.run(rc.nSteps);
            const Outcome o = compare(rc, sim, 1e-9);
            std::printf("parity %-40s (own build) largest error %.3e  spike mismatches %ld\n", rc.name.c_str(),
                        o.largestError, o.spikeMismatches);
            QVERIFY2(o.failures.empty(), qPrintable(rc.name.c_str() + QString(": ") + o.failures.join("; ")));
        } catch (const Error& e) {
            QFAIL(qPrintable(QString("cannot run %1: %2").arg(file, e.what())));
        }
    }

    void unreadableCaseIsNamed() {
        try {
            loadReferenceCase("/nonexistent/case.json", ReferenceParameters::Built);
            QFAIL("loading a missing file succeeded");
        } catch (const Error& e) {
            QCOMPARE(QString::fromStdString(e.file()), QString("/nonexistent/case.json"));
        }
    }
};

QTEST_APPLESS_MAIN(ParityTest)
#include "test_parity.moc"
