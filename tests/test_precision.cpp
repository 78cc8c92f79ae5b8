// The float32 kernels: the same formulas as the double ones, computed in
// float. Each is checked against the double kernel given the same (float)
// inputs, within a few float roundings, and the vectorised paths against the
// one-value formula bit for bit, as the double kernels are. Also the double
// expm1 and log1p of LIF's step, which must be libm's to the bit.
#include "build/builder.h"
#include "common/lanes_log1p.h"
#include "common/libm_exact.h"
#include "io/examples.h"
#include "io/project.h"
#include "neurons/neuron_type.h"
#include "sim/simulator.h"

#include <QtTest>

#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <random>

using namespace core;

namespace {

// |a - b| in units of float's spacing at b.
double floatUlps(double a, double b) {
    const double spacing = std::nextafter(static_cast<float>(std::abs(b)), std::numeric_limits<float>::infinity()) -
                           static_cast<float>(std::abs(b));
    return std::abs(a - b) / std::max(spacing, static_cast<double>(std::numeric_limits<float>::denorm_min()));
}

std::vector<float> log1pOf(std::vector<float> values) {
    const std::size_t count = values.size();
    values.resize((count + 7) / 8 * 8, 0.0f);
    for (std::size_t i = 0; i < values.size(); i += lanes::kLog1pBlock)
        lanes::log1pInPlace(values.data() + i, std::min(lanes::kLog1pBlock, values.size() - i));
    values.resize(count);
    return values;
}

// Each spiking type replaced by its rate twin: float and double then follow
// the same smooth trajectory, where spikes would part after the first
// rounding difference.
BuiltModel withRateNeurons(BuiltModel model) {
    for (auto& e : model.ensembles) {
        if (auto lif = std::get_if<LifNeurons>(&e.neuronType))
            e.neuronType = LifRateNeurons{lif->tauRc, lif->tauRef, lif->amplitude};
        if (auto relu = std::get_if<SpikingRectifiedLinearNeurons>(&e.neuronType))
            e.neuronType = RectifiedLinearNeurons{relu->amplitude};
    }
    return model;
}

std::vector<std::pair<std::string, BuiltModel>> exampleModels() {
    std::vector<std::pair<std::string, BuiltModel>> out;
    for (const auto& file : exampleFiles(examplesDirectory(""))) {
        const Project p = loadProject(file);
        out.emplace_back(p.title, build(p.network, {p.simulation.dt, {}}));
    }
    return out;
}

// The largest difference between the two runs' records of any probe, relative
// to the largest value that probe took.
template <class A, class B>
double largestProbeDifference(const A& a, const B& b, std::string& where) {
    double worst = 0.0;
    for (size_t p = 0; p < a.probes().size(); ++p) {
        const auto& x = a.probes()[p].values;
        const auto& y = b.probes()[p].values;
        double scale = 1e-12, difference = 0.0;
        for (size_t i = 0; i < x.size(); ++i) {
            scale = std::max(scale, std::abs(x[i]));
            difference = std::max(difference, std::abs(x[i] - y[i]));
        }
        if (difference / scale > worst) worst = difference / scale, where = a.probes()[p].label;
    }
    return worst;
}

// Arguments for libm::expm1InPlace and log1pInPlace: mostly on glibc's main
// path (|x| up to about 0.3, down to tiny magnitudes), some just past its
// bounds, and values that are far off it or special.
std::vector<double> libmArguments(std::mt19937_64& rng, std::size_t count) {
    const double specials[] = {0.0, -0.0, 1e-300, -1e-300, 0.2928, -0.2929, 0.3466, -0.3466, 0.4142, 0.5, -0.5,
                               -0.9, -1.0, 3.0, 800.0, std::numeric_limits<double>::infinity(),
                               -std::numeric_limits<double>::infinity(), std::numeric_limits<double>::quiet_NaN()};
    std::uniform_real_distribution<double> mainPath(-0.36, 0.45), decay(-0.05, 0.0), wide(-0.99, 20.0);
    std::vector<double> x(count);
    for (std::size_t i = 0; i < count; ++i) {
        switch (rng() % 8) {
            case 0: x[i] = std::ldexp(mainPath(rng), -static_cast<int>(rng() % 70)); break;
            case 1: x[i] = decay(rng); break;
            case 2: x[i] = wide(rng); break;
            case 3: x[i] = specials[rng() % std::size(specials)]; break;
            default: x[i] = mainPath(rng);
        }
    }
    return x;
}

// How many of `values` differ from `function` of `arguments` in any bit (NaNs equal).
template <class Function>
long bitDifferences(const std::vector<double>& arguments, const std::vector<double>& values, Function function) {
    long differ = 0;
    for (std::size_t i = 0; i < arguments.size(); ++i) {
        const double expected = function(arguments[i]);
        const bool same = std::isnan(expected) ? std::isnan(values[i])
                                               : std::bit_cast<std::uint64_t>(expected) ==
                                                     std::bit_cast<std::uint64_t>(values[i]);
        differ += !same;
    }
    return differ;
}

}  // namespace

class PrecisionTest : public QObject {
    Q_OBJECT
private slots:
    // About 1.6 million arguments per function, in runs of every length up to
    // 9 (the vector path's padding) and long ones. The vector path turns itself
    // off where its check at first use fails, so this test also insists that it
    // is in use where it was written for: glibc 2.36 (Debian 12) on a CPU
    // with AVX2 and FMA.
    void libmExactGivesLibmsBits() {
        qInfo("four-at-a-time path %s on this machine", libm::vectorPathActive() ? "in use" : "not in use");
#if defined(__x86_64__) && defined(__GLIBC__) && __GLIBC__ == 2 && __GLIBC_MINOR__ == 36
        if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) QVERIFY(libm::vectorPathActive());
#endif
        std::mt19937_64 rng(11);
        long expm1Differences = 0, log1pDifferences = 0;
        for (std::size_t run = 0; run < 4000; ++run) {
            const std::vector<double> x = libmArguments(rng, run % 10 == 0 ? 4000 + run % 7 : run % 10);
            std::vector<double> e = x, l = x;
            libm::expm1InPlace(e.data(), e.size());
            libm::log1pInPlace(l.data(), l.size());
            expm1Differences += bitDifferences(x, e, [](double v) { return std::expm1(v); });
            log1pDifferences += bitDifferences(x, l, [](double v) { return std::log1p(v); });
        }
        QCOMPARE(expm1Differences, 0L);
        QCOMPARE(log1pDifferences, 0L);
    }

    void floatLog1pIsWithinTwoUlps() {
        std::vector<float> x;
        std::mt19937 rng(3);
        for (int i = 0; i < 20000; ++i) {
            x.push_back(std::uniform_real_distribution<float>(-0.999f, 2.0f)(rng));
            x.push_back(std::ldexp(std::uniform_real_distribution<float>(1.0f, 2.0f)(rng),
                                   std::uniform_int_distribution<int>(-30, 60)(rng)));
        }
        // the reduction's borders (sqrt(2)/2 - 1 and sqrt(2) - 1) and the exponent's
        for (float b : {-0.2928932f, 0.4142135f, 1.0f, 3.0f, 0x1p24f, 0x1p25f})
            for (int k = -3; k <= 3; ++k) x.push_back(b + static_cast<float>(k) * std::abs(b) * 0x1p-23f);
        const std::vector<float> y = log1pOf(x);
        for (std::size_t i = 0; i < x.size(); ++i) {
            const double exact = std::log1p(static_cast<double>(x[i]));
            QVERIFY2(floatUlps(y[i], exact) <= 2.0,
                     qPrintable(QString("log1p(%1) = %2, exact %3").arg(x[i], 0, 'g', 9).arg(y[i], 0, 'g', 9).arg(exact, 0, 'g', 17)));
        }
    }

    void floatLog1pSpecialValues() {
        const float inf = std::numeric_limits<float>::infinity(), nan = std::numeric_limits<float>::quiet_NaN();
        const std::vector<float> x{0.0f, -0.0f, 1e-30f, -1e-30f, 1e-45f, -1.0f, -2.0f, inf, -inf, nan};
        const std::vector<float> y = log1pOf(x);
        QCOMPARE(y[0], 0.0f);
        QVERIFY(std::signbit(y[1]));
        QCOMPARE(y[2], 1e-30f);
        QCOMPARE(y[3], -1e-30f);
        QCOMPARE(y[4], 1e-45f);
        QCOMPARE(y[5], -inf);
        QVERIFY(std::isnan(y[6]));
        QCOMPARE(y[7], inf);
        QVERIFY(std::isnan(y[8]));
        QVERIFY(std::isnan(y[9]));
    }

    void floatLifRatesFollowTheDoubleFormula() {
        // Given the same float currents, the float rates are the double
        // formula's within a few float roundings; the vectorised kernel gives
        // each value exactly as one neuron alone.
        checkFloatLifRates(LifRateNeurons{0.02, 0.002, 1.3});
        checkFloatLifRates(LifNeurons{});
    }

    void floatLifRateGradientFollowsTheDoubleOne() {
        const LifRateNeurons lif{0.02, 0.002, 1.0};
        std::vector<float> j(101), rates(101), gradient(101, 0.5f), current(101, 0.25f);
        for (size_t i = 0; i < j.size(); ++i) j[i] = 0.5f + 0.05f * float(i);
        lif.rates(j.data(), rates.data(), j.size());
        lif.addStepGradient(j.data(), rates.data(), gradient.data(), current.data(), j.size());
        for (size_t i = 0; i < j.size(); ++i) {
            const double expected = 0.25 + 0.5 * lif.rateDerivative(j[i], 0.0);
            QVERIFY2(std::abs(current[i] - expected) <= 1e-5 * std::abs(expected),
                     qPrintable(QString("J = %1: %2 against %3").arg(j[i]).arg(current[i]).arg(expected)));
        }
    }

    void floatLifSpikesLikeTheDoubleLif() {
        // Over 2 s at constant currents, each neuron fires as often in float as
        // in double (float's rounding moves a spike by a fraction of a step at most).
        const LifNeurons lif;
        const int n = 50;
        std::vector<double> jd(n), vd(n, 0.0), rd(n, 0.0), outd(n), countd(n, 0.0);
        std::vector<float> jf(n), vf(n, 0.0f), rf(n, 0.0f), outf(n), countf(n, 0.0f);
        for (int i = 0; i < n; ++i) jf[i] = 0.8f + 0.15f * float(i), jd[i] = jf[i];
        for (int k = 0; k < 2000; ++k) {
            lif.step(0.001, jd.data(), outd.data(), {vd.data(), rd.data()}, n);
            lif.step(0.001, jf.data(), outf.data(), {vf.data(), rf.data()}, n);
            for (int i = 0; i < n; ++i) countd[i] += outd[i] * 0.001, countf[i] += outf[i] * 0.001f;
        }
        for (int i = 0; i < n; ++i)
            QVERIFY2(std::abs(countf[i] - countd[i]) <= 1.01,
                     qPrintable(QString("J = %1: %2 spikes in float, %3 in double").arg(jf[i]).arg(countf[i]).arg(countd[i])));
        QVERIFY(countd[n - 1] > 100.0);  // the test covers busy neurons
    }

    void floatRateTypesRoundTheDoubleRate() {
        checkRoundedRates(RectifiedLinearNeurons{2.0});
        checkRoundedRates(SigmoidNeurons{});
        checkRoundedRates(TanhNeurons{});
    }

    void floatSimulatorFollowsTheDoubleOne() {
        // Every example, its neurons as rates: the float32 run stays within
        // float's precision of the double one (relative 1e-4 of each probe's
        // range over 0.3 s: roundings of 1e-7 grow through decoders and filters).
        for (const auto& [title, model] : exampleModels()) {
            const BuiltModel rates = withRateNeurons(model);
            Simulator exact(rates);
            FloatSimulator rounded(rates);
            const long steps = std::lround(0.3 / rates.dt);
            exact.run(steps);
            rounded.run(steps);
            std::string where;
            const double difference = largestProbeDifference(exact, rounded, where);
            QVERIFY2(difference < 1e-4, qPrintable(QString("%1, probe %2: %3").arg(title.c_str(), where.c_str()).arg(difference)));
            QVERIFY2(difference > 0.0, "a float run that equals the double one bit for bit is not in float");
        }
    }

    void floatSpikingSimulatorComputesWhatTheDoubleOneDoes() {
        // Spikes part after the first rounding difference, but what the
        // network computes (filtered decoded outputs) stays: within 5% of the
        // range, the spike noise of these examples.
        for (const auto& [title, model] : exampleModels()) {
            Simulator exact(model);
            FloatSimulator rounded(model);
            const long steps = std::lround(0.5 / model.dt);
            exact.run(steps);
            rounded.run(steps);
            for (size_t p = 0; p < model.probes.size(); ++p) {
                if (model.probes[p].signal != ProbedSignal::DecodedOutput || !model.probes[p].synapse) continue;
                const Matrix a = exact.probe(static_cast<int>(p)).series(), b = rounded.probe(static_cast<int>(p)).series();
                const double scale = std::max(1e-9, a.cwiseAbs().maxCoeff());
                const double rms = std::sqrt((a - b).squaredNorm() / static_cast<double>(a.size()));
                QVERIFY2(rms < 0.05 * scale, qPrintable(QString("%1, probe %2: RMS difference %3 of range %4")
                                                             .arg(title.c_str(), model.probes[p].label.c_str())
                                                             .arg(rms).arg(scale)));
            }
        }
    }

    void floatMinibatchStreamsAreIndependent() {
        // Three streams with different inputs: each equals a one-stream run of
        // its input, bit for bit, in float as in double.
        const auto models = exampleModels();
        const BuiltModel& model = models.front().second;
        const int node = 0;
        const int size = model.nodes[node].sizeOut;
        std::vector<Matrix> data;
        for (int b = 0; b < 3; ++b) data.push_back(Matrix::Constant(50, size, 0.3 * (b - 1)));
        FloatSimulator batched(model, 3);
        batched.setNodeData(node, data);
        batched.run(50);
        for (int b = 0; b < 3; ++b) {
            FloatSimulator single(model, 1);
            single.setNodeData(node, {data[b]});
            single.run(50);
            for (size_t p = 0; p < model.probes.size(); ++p)
                QCOMPARE(batched.probe(static_cast<int>(p)).series(b), single.probe(static_cast<int>(p)).series(0));
        }
    }

    void floatParametersFollowChanges() {
        // New encoders, biases and weights reach the float kernels (rounded).
        const BuiltModel model = withRateNeurons(exampleModels().front().second);
        FloatSimulator sim(model);
        Simulator reference(model);
        BuiltModel changed = model;
        for (size_t e = 0; e < model.ensembles.size(); ++e) {
            changed.ensembles[e].scaledEncoders *= 1.5;
            changed.ensembles[e].bias.array() += 0.25;
            sim.setEnsembleParameters(static_cast<int>(e), changed.ensembles[e].scaledEncoders, changed.ensembles[e].bias);
            reference.setEnsembleParameters(static_cast<int>(e), changed.ensembles[e].scaledEncoders, changed.ensembles[e].bias);
        }
        for (size_t c = 0; c < model.connections.size(); ++c) {
            if (model.connections[c].pes) continue;
            changed.connections[c].weights *= -0.5;
            sim.setConnectionWeights(static_cast<int>(c), changed.connections[c].weights);
            reference.setConnectionWeights(static_cast<int>(c), changed.connections[c].weights);
        }
        sim.run(100);
        reference.run(100);
        std::string where;
        QVERIFY2(largestProbeDifference(reference, sim, where) < 1e-4, where.c_str());
        Simulator unchanged(model);
        unchanged.run(100);
        QVERIFY(largestProbeDifference(unchanged, sim, where) > 1e-2);
    }

private:
    template <class Neurons>
    void checkFloatLifRates(const Neurons& neurons) {
        std::vector<float> j(603), rates(603);
        for (size_t i = 0; i < j.size(); ++i)
            j[i] = i % 97 < 40 ? 0.2f + 0.01f * float(i % 7) : 1.0f + 0.37f * float(i % 11) + 1e-3f * float(i);
        j[6] = std::nextafter(1.0f, 2.0f);
        neurons.rates(j.data(), rates.data(), j.size());
        for (size_t i = 0; i < j.size(); ++i) {
            const double exact = neurons.rate(static_cast<double>(j[i]));
            QVERIFY2(floatUlps(rates[i], exact) <= 6.0, qPrintable(QString("J = %1: %2 against %3").arg(j[i]).arg(rates[i]).arg(exact)));
            float alone = 0.0f;
            neurons.rates(&j[i], &alone, 1);
            QCOMPARE(rates[i], alone);
        }
        QVERIFY(rates[6] > 0.0f);
    }

    template <class Neurons>
    void checkRoundedRates(const Neurons& neurons) {
        const std::vector<float> j{-2.0f, -0.1f, 0.0f, 0.3f, 1.7f, 40.0f};
        std::vector<float> out(j.size());
        neurons.step(0.001, j.data(), out.data(), {}, j.size());
        for (size_t i = 0; i < j.size(); ++i) QCOMPARE(out[i], static_cast<float>(neurons.rate(j[i])));
    }
};

QTEST_GUILESS_MAIN(PrecisionTest)
#include "test_precision.moc"
