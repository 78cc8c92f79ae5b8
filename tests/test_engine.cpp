// Engine behaviour beyond the reference cases: neuron math, synapses,
// expressions, validation messages, minibatches, threads.
#include "build/builder.h"
#include "common/error.h"
#include "common/expression.h"
#include "sim/simulator.h"
#include "sim/spin_team.h"
#include "random_network.h"

#include <tbb/global_control.h>  // before Qt: TBB's headers do not survive Qt's macros

#include <QtTest>

#include <atomic>
#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <thread>
#include <vector>

using namespace core;

namespace {

// Enough neurons that the simulator runs its ensembles on several threads:
// a recurrent ensemble feeding three others, neuron and decoded connections.
BuiltModel parallelNetwork() {
    Network net;
    net.seed = 5;
    net.nodes.push_back(Node{"in", "in", 0, 1, SineWave{2.0, 1.0, 0.0, 0.0}});
    for (const char* id : {"a", "b", "c", "d"}) {
        Ensemble e;
        e.id = e.label = id;
        e.nNeurons = 900;
        net.ensembles.push_back(e);
    }
    auto connect = [&](const char* id, Endpoint pre, Endpoint post) {
        Connection c;
        c.id = c.label = id;
        c.pre = pre;
        c.post = post;
        net.connections.push_back(c);
    };
    connect("in_a", {"in", EndpointKind::Node}, {"a", EndpointKind::Ensemble});
    connect("a_a", {"a", EndpointKind::Ensemble}, {"a", EndpointKind::Ensemble});
    connect("a_b", {"a", EndpointKind::Ensemble}, {"b", EndpointKind::Ensemble});
    connect("a_c", {"a", EndpointKind::Ensemble}, {"c", EndpointKind::Ensemble});
    connect("b_d", {"b", EndpointKind::Ensemble}, {"d", EndpointKind::Ensemble});
    for (const char* id : {"a", "b", "c", "d"})
        net.probes.push_back(Probe{std::string("p") + id, std::string("p") + id, {id, EndpointKind::Ensemble},
                                   ProbeAttribute::DecodedOutput, {}, LowpassSynapse{0.01}, {}, {}, {}});
    net.probes.push_back(Probe{"spikes", "spikes", {"d", EndpointKind::Neurons}, ProbeAttribute::Output, {}, {}, {}, {}, {}});
    return build(net);
}

// Every probe's recorded steps and values, in one list, as bit patterns. A
// random network may record NaN, which must match too: seed 3's recurrent
// connection, random decoders on SpikingRectifiedLinear neurons whose rate has
// no ceiling, grows to 3e305 by step 270 and overflows at step 273.
std::vector<std::vector<std::uint64_t>> probeValues(const Simulator& sim) {
    std::vector<std::vector<std::uint64_t>> out;
    for (const auto& r : sim.probes()) {
        out.emplace_back(r.values.size());
        std::memcpy(out.back().data(), r.values.data(), r.values.size() * sizeof(double));
        out.emplace_back(r.steps.begin(), r.steps.end());
    }
    return out;
}

}  // namespace

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

    // One stream: run() shares its parallel waves with a spinning helper
    // thread, step() hands them to TBB. Several: run() takes them stream by
    // stream, the streams shared between threads. One thread does everything
    // alone. The same numbers every way.
    void threadsDoNotChangeTheResults() {
        const BuiltModel model = parallelNetwork();
        for (int minibatch : {1, 3}) {
            Simulator run(model, minibatch);
            run.run(300);
            Simulator stepped(model, minibatch);
            for (int k = 0; k < 300; ++k) stepped.step();
            QCOMPARE(probeValues(run), probeValues(stepped));
            const tbb::global_control oneThread(tbb::global_control::max_allowed_parallelism, 1);
            Simulator alone(model, minibatch);
            alone.run(300);
            QCOMPARE(probeValues(alone), probeValues(stepped));
            long spikes = 0;
            for (double v : run.probe("spikes").values) spikes += v != 0.0;
            QVERIFY(spikes > 1000 * minibatch);
        }
    }

    // Every model feature (random networks: PES, every probe kind, sampled
    // and filtered probes, passthrough nodes, neuron connections) runs the
    // same stream by stream, across a block boundary, as step by step; and
    // a run continues where steps left off.
    void minibatchRunsMatchStepByStep() {
        for (uint64_t seed = 1; seed <= 10; ++seed) {
            const BuiltModel model = build(randomNetwork(seed));
            Simulator run(model, 3), stepped(model, 3);
            run.step();
            run.run(1100);
            run.run(7);
            for (int k = 0; k < 1108; ++k) stepped.step();
            QVERIFY2(probeValues(run) == probeValues(stepped), qPrintable(QString("random network %1").arg(seed)));
            QCOMPARE(run.stepCount(), 1108L);
        }
    }

    void spinTeamRunsEveryItemOnce() {
        constexpr int kRounds = 2000;
        std::vector<std::atomic<int>> runs(kRounds * 7);
        std::atomic<int> onOtherThread{0};
        std::atomic<long> busy{0};  // work of a length that differs between items
        const auto caller = std::this_thread::get_id();
        SpinTeam::run([&](SpinTeam& team) {
            for (int round = 0; round < kRounds; ++round) {
                const std::size_t count = 1 + round % 7;  // rounds of different sizes
                auto work = [&](std::size_t i) {
                    ++runs[round * 7 + i];
                    onOtherThread += std::this_thread::get_id() != caller;
                    for (std::size_t k = 0; k < 200 * i; ++k) busy.fetch_add(1, std::memory_order_relaxed);
                };
                team.share(count, work);
                for (std::size_t i = 0; i < count; ++i) QCOMPARE(runs[round * 7 + i].load(), 1);
            }
        });
        qInfo("%d of the items ran on the helper", onOtherThread.load());
    }

    void spinTeamPassesExceptionsOn() {
        int roundsAfter = 0;
        bool caught = false;
        try {
            SpinTeam::run([&](SpinTeam& team) {
                auto failing = [](std::size_t i) {
                    if (i == 3) throw std::runtime_error("item 3");
                };
                try {
                    team.share(6, failing);
                } catch (const std::runtime_error& e) {
                    QCOMPARE(QString(e.what()), QString("item 3"));
                    caught = true;
                }
                auto fine = [&](std::size_t) {};
                team.share(4, fine);  // the team goes on after a failed round
                ++roundsAfter;
                throw std::logic_error("body");
            });
        } catch (const std::logic_error& e) {
            QCOMPARE(QString(e.what()), QString("body"));
        }
        QVERIFY(caught);
        QCOMPARE(roundsAfter, 1);
    }
};

QTEST_APPLESS_MAIN(EngineTest)
#include "test_engine.moc"
