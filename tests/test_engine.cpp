// Engine behaviour beyond the reference cases: neuron math, synapses,
// expressions, validation messages, minibatches.
#include "build/builder.h"
#include "common/error.h"
#include "common/expression.h"
#include "sim/simulator.h"

#include <QtTest>

using namespace core;

class EngineTest : public QObject {
    Q_OBJECT
private slots:
    void lifFiresAtItsMaxRate() {
        // A LIF neuron driven at J for its max rate fires at that rate (gain/bias and step agree).
        const LifNeurons lif;
        const GainBias gb = lif.gainBias(250.0, 0.0);
        const double j = gb.gain * 1.0 + gb.bias;
        QVERIFY(std::abs(lif.rate(j) - 250.0) < 1e-9);
        double v = 0.0, rt = 0.0, out = 0.0, spikes = 0.0;
        const double dt = 0.0001;
        for (int k = 0; k < 100000; ++k) {
            lif.step(dt, &j, &out, {&v, &rt}, 1);
            spikes += out * dt;
        }
        QVERIFY2(std::abs(spikes / 10.0 - 250.0) < 0.5, qPrintable(QString::number(spikes / 10.0)));
    }

    void lifRateStepMatchesItsRateOneNeuronAtATime() {
        // The step gathers the currents above threshold into blocks: across
        // chunk borders, ragged tails and silent runs each rate must still be
        // the one-neuron formula's, bit for bit.
        const LifRateNeurons lif{0.02, 0.002, 1.3};
        std::vector<double> j(603), rates(603);
        for (size_t i = 0; i < j.size(); ++i) j[i] = i % 97 < 40 ? 0.2 + 0.01 * double(i % 7) : 1.0 + 0.37 * double(i % 11);
        j[5] = 1.0;
        j[6] = std::nextafter(1.0, 2.0);
        lif.step(0.001, j.data(), rates.data(), {}, j.size());
        for (size_t i = 0; i < j.size(); ++i) QVERIFY2(rates[i] == lif.rate(j[i]), qPrintable(QString::number(i)));
        QCOMPARE(rates[5], 0.0);
        QVERIFY(rates[6] > 0.0);
    }

    void expressionsAcceptNengoSpelling() {
        ExpressionVector f({"x[0]**2 + x1", "sin(pi*x0)"}, {"x0", "x1"});
        const double in[2] = {3.0, 1.0};
        double out[2];
        f.evaluate(in, out);
        QCOMPARE(out[0], 10.0);
        QVERIFY(std::abs(out[1] - std::sin(M_PI * 3.0)) < 1e-15);
    }

    void badExpressionNamesObjectAndField() {
        Network net;
        net.nodes.push_back(Node{"n", "stimulus", 0, 1, ExpressionOutput{{"sin(2*t"}}});
        try {
            build(net);
            QFAIL("built a node with a broken expression");
        } catch (const Error& e) {
            QCOMPARE(QString::fromStdString(e.object()), QString("stimulus (id n)"));
            QCOMPARE(QString::fromStdString(e.field()), QString("output"));
        }
    }

    void loopWithoutSynapseIsRefused() {
        Network net;
        Ensemble a;
        a.id = "a";
        a.nNeurons = 10;
        net.ensembles = {a};
        Connection c;
        c.id = "rec";
        c.pre = {"a", EndpointKind::Ensemble};
        c.post = {"a", EndpointKind::Ensemble};
        c.synapse = std::nullopt;
        net.connections = {c};
        QVERIFY_THROWS_EXCEPTION(Error, build(net));
        net.connections[0].synapse = LowpassSynapse{0.1};
        build(net);  // with a synapse the loop is fine
    }

    void minibatchStreamsAreIndependent() {
        // Two streams with different data run side by side; each equals a
        // single-stream run on its own data, spike for spike.
        Network net;
        net.seed = 3;
        net.nodes.push_back(Node{"in", "in", 0, 1, ConstantOutput{{0.0}}});
        Ensemble a;
        a.id = "a";
        a.nNeurons = 30;
        net.ensembles = {a};
        Connection c;
        c.id = "c";
        c.pre = {"in", EndpointKind::Node};
        c.post = {"a", EndpointKind::Ensemble};
        net.connections = {c};
        net.probes.push_back(Probe{"p", "p", {"a", EndpointKind::Neurons}, ProbeAttribute::Output, {}, {}, {}, {}, {}});
        const BuiltModel m = build(net);
        Matrix ramp(200, 1), sine(200, 1);
        for (int k = 0; k < 200; ++k) ramp(k, 0) = k / 200.0, sine(k, 0) = std::sin(k * 0.05);
        Simulator both(m, 2);
        both.setNodeData(0, {ramp, sine});
        both.run(200);
        for (int stream = 0; stream < 2; ++stream) {
            Simulator one(m, 1);
            one.setNodeData(0, {stream == 0 ? ramp : sine});
            one.run(200);
            QCOMPARE(both.probe("p").series(stream), one.probe("p").series(0));
        }
        QVERIFY(both.probe("p").series(0) != both.probe("p").series(1));
    }

    void resetReproducesTheRun() {
        Network net;
        net.seed = 1;
        net.nodes.push_back(Node{"in", "in", 0, 1, SineWave{}});
        Ensemble a;
        a.id = "a";
        net.ensembles = {a};
        Connection c;
        c.id = "c";
        c.pre = {"in", EndpointKind::Node};
        c.post = {"a", EndpointKind::Ensemble};
        net.connections = {c};
        net.probes.push_back(Probe{"p", "p", {"a", EndpointKind::Ensemble}, ProbeAttribute::DecodedOutput, {},
                                   LowpassSynapse{0.01}, {}, {}, {}});
        Simulator sim(build(net));
        sim.run(300);
        const Matrix first = sim.probe("p").series();
        sim.reset();
        sim.run(300);
        QCOMPARE(sim.probe("p").series(), first);
    }
};

QTEST_APPLESS_MAIN(EngineTest)
#include "test_engine.moc"
