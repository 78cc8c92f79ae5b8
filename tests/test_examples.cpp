// Every bundled example computes what its description says. Tolerances are
// set by what the spiking ensembles can represent: 100 LIF neurons decode a
// scalar with an RMS error of a few percent of the radius after a 10 ms
// filter, so 0.1 leaves margin yet fails any wrong wiring or function.
#include "build/builder.h"
#include "io/examples.h"
#include "io/project.h"
#include "sim/simulator.h"

#include <QtTest>

#include <cmath>

using namespace core;

namespace {

struct Run {
    Project project;
    std::unique_ptr<Simulator> sim;
    Matrix series(const std::string& probe) const { return sim->probe(probe).series(); }
    double dt() const { return sim->model().dt; }
};

Run simulate(const std::string& file) {
    Run r{loadProject(examplesDirectory("") + "/" + file), nullptr};
    r.sim = std::make_unique<Simulator>(build(r.project.network, {r.project.simulation.dt, {}}));
    r.sim->run(std::lround(r.project.simulation.duration / r.project.simulation.dt));
    return r;
}

// RMS of (actual - f(reference)) after `skip` steps, with the reference
// delayed by `lag` steps to allow for the synapses' delay.
template <class F>
double rmsError(const Matrix& actual, const Matrix& reference, long lag, long skip, F&& f) {
    double sum = 0.0;
    long n = 0;
    for (long k = std::max(skip, lag); k < actual.rows(); ++k, ++n) {
        const double e = actual(k, 0) - f(reference.row(k - lag));
        sum += e * e;
    }
    return std::sqrt(sum / n);
}

}  // namespace

class ExamplesTest : public QObject {
    Q_OBJECT
private slots:
    void communicationChannelPassesTheValue() {
        const Run r = simulate("communication_channel.nlproj");
        const double err = rmsError(r.series("p_B"), r.series("p_input"), 20, 100, [](auto x) { return x[0]; });
        QVERIFY2(err < 0.1, qPrintable(QString::number(err)));
    }

    void squaringComputesXSquared() {
        const Run r = simulate("squaring.nlproj");
        const double err = rmsError(r.series("p_B"), r.series("p_input"), 20, 100, [](auto x) { return x[0] * x[0]; });
        QVERIFY2(err < 0.1, qPrintable(QString::number(err)));
    }

    void productMultipliesItsInputs() {
        const Run r = simulate("product.nlproj");
        Matrix ab(r.series("p_a").rows(), 2);
        ab << r.series("p_a"), r.series("p_b");
        const double err = rmsError(r.series("p_result"), ab, 20, 100, [](auto x) { return x[0] * x[1]; });
        QVERIFY2(err < 0.1, qPrintable(QString::number(err)));
    }

    void integratorIntegratesAndHolds() {
        // Each pulse adds pulse * duration (the input transform is tau, and the
        // recurrent tau-filter integrates with gain 1/tau): after the first pulse
        // (0.2..1.0 s of [1, -0.5]) the value is [0.8, -0.4]; the second pulse
        // (1.0 s of... 2.0..2.5 s of [-1, 1]) moves it by [-0.5, 0.5].
        const Run r = simulate("integrator_2d.nlproj");
        const Matrix y = r.series("p_A");
        auto at = [&](double t, int d) { return y(std::lround(t / r.dt()) - 1, d); };
        const double tolerance = 0.15;  // integrators drift a little with 200 neurons
        QVERIFY2(std::abs(at(1.5, 0) - 0.8) < tolerance, qPrintable(QString::number(at(1.5, 0))));
        QVERIFY2(std::abs(at(1.5, 1) + 0.4) < tolerance, qPrintable(QString::number(at(1.5, 1))));
        QVERIFY2(std::abs(at(2.9, 0) - 0.3) < tolerance, qPrintable(QString::number(at(2.9, 0))));
        QVERIFY2(std::abs(at(2.9, 1) - 0.1) < tolerance, qPrintable(QString::number(at(2.9, 1))));
        // Holding: between 1.2 s and 1.9 s the value barely moves.
        QVERIFY(std::abs(at(1.9, 0) - at(1.2, 0)) < 0.1);
    }

    void oscillatorKeepsAmplitudeAndFrequency() {
        // Feedback rotation of 10 rad/s: 10 / (2 pi) = 1.59 Hz.
        const Run r = simulate("oscillator.nlproj");
        const Matrix y = r.series("p_osc");
        const long start = std::lround(1.0 / r.dt());
        // Upward crossings with hysteresis, so spike noise near zero counts once.
        int crossings = 0;
        bool below = false;
        double smallest = 1e9, largest = 0.0;
        for (long k = start; k < y.rows(); ++k) {
            if (y(k, 0) < -0.2) below = true;
            if (below && y(k, 0) > 0.2) ++crossings, below = false;
            const double radius = y.row(k).norm();
            smallest = std::min(smallest, radius);
            largest = std::max(largest, radius);
        }
        const double seconds = (y.rows() - start) * r.dt();
        const double frequency = crossings / seconds;
        QVERIFY2(std::abs(frequency - 10.0 / (2 * M_PI)) < 0.3, qPrintable(QString::number(frequency)));
        QVERIFY2(smallest > 0.4 && largest < 1.4, qPrintable(QString("%1 .. %2").arg(smallest).arg(largest)));
    }

    void pesLearningReducesTheError() {
        const Run r = simulate("pes_learning.nlproj");
        const Matrix e = r.series("p_error");
        const long second = std::lround(1.0 / r.dt());
        auto rms = [&](long from, long to) { return std::sqrt(e.middleRows(from, to - from).squaredNorm() / (to - from)); };
        const double early = rms(0, 2 * second), late = rms(e.rows() - 2 * second, e.rows());
        QVERIFY2(late < 0.5 * early, qPrintable(QString("early %1, late %2").arg(early).arg(late)));
        // And post does follow the input at the end.
        const double err = rmsError(r.series("p_post").bottomRows(2 * second), r.series("p_input").bottomRows(2 * second),
                                    20, 20, [](auto x) { return x[0]; });
        QVERIFY2(err < 0.15, qPrintable(QString::number(err)));
    }
};

QTEST_APPLESS_MAIN(ExamplesTest)
#include "test_examples.moc"
