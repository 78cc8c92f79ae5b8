// Parameters leave the trainer intact: save/load through .npz with structure
// checks, loading a rate model's parameters into its spiking twin, and freeze
// writing them into the network so a rebuilt model runs exactly as trained.
#include "build/builder.h"
#include "common/error.h"
#include "io/npy.h"
#include "io/params_file.h"
#include "io/project.h"
#include "sim/simulator.h"
#include "train/bptt_trainer.h"
#include "train/freeze.h"

#include <QTemporaryDir>
#include <QtTest>

using namespace core;

namespace {

Network twoLayers(NeuronType type, int hidden = 30) {
    Network net;
    net.seed = 4;
    net.nodes.push_back(Node{"x", "x", 0, 1, SineWave{0.8, 3.0, 0.0, 0.0}});
    Ensemble a;
    a.id = "A";
    a.label = "hidden";
    a.nNeurons = hidden;
    a.neuronType = type;
    Ensemble b = a;
    b.id = "B";
    b.label = "out";
    b.nNeurons = 20;
    net.ensembles = {a, b};
    Connection in;
    in.id = "x_A";
    in.pre = {"x", EndpointKind::Node};
    in.post = {"A", EndpointKind::Ensemble};
    Connection ab;
    ab.id = "A_B";
    ab.pre = {"A", EndpointKind::Ensemble};
    ab.post = {"B", EndpointKind::Ensemble};
    ab.function = FunctionExpression{{"x^2"}};
    Connection neurons;
    neurons.id = "A_B_n";
    neurons.pre = {"A", EndpointKind::Neurons};
    neurons.post = {"B", EndpointKind::Neurons};
    neurons.transform = Table{20, hidden, std::vector<double>(20 * hidden, 1e-4)};
    net.connections = {in, ab, neurons};
    net.probes.push_back(Probe{"p", "p", {"B", EndpointKind::Ensemble}, ProbeAttribute::DecodedOutput, {}, LowpassSynapse{0.01},
                               {}, {}, {}});
    net.probes.push_back(Probe{"s", "s", {"A", EndpointKind::Neurons}, ProbeAttribute::Output, {}, {}, {}, {}, {}});
    return net;
}

TrainingData squareTask() {
    TrainingData d;
    d.inputs["x"] = Tensor3(4, 40, 1);
    d.targets["p"] = Tensor3(4, 40, 1);
    for (int i = 0; i < 4; ++i)
        for (int k = 0; k < 40; ++k) {
            const double x = std::sin(0.1 * k + i);
            d.inputs["x"].at(i, k, 0) = x;
            d.targets["p"].at(i, k, 0) = 0.5 * x * x;
        }
    return d;
}

BuiltModel trained(const Network& net) {
    BpttTrainer t(build(net), 2);
    const TrainingData data = squareTask();
    TrainOptions o;
    o.epochs = 3;
    t.train(data, Adam{1e-3}, defaultObjectives(data), o);
    return t.model();
}

}  // namespace

class ParamsTest : public QObject {
    Q_OBJECT
private slots:
    void saveAndLoadRoundTrip() {
        QTemporaryDir dir;
        const std::string path = (dir.path() + "/params.npz").toStdString();
        const Network net = twoLayers(LifRateNeurons{});
        const BuiltModel t = trained(net);
        saveParameters(t, path);
        BuiltModel fresh = build(net);
        QVERIFY(fresh.ensembles[0].bias != t.ensembles[0].bias);
        loadParameters(fresh, path);
        for (size_t e = 0; e < fresh.ensembles.size(); ++e) {
            QCOMPARE(fresh.ensembles[e].scaledEncoders, t.ensembles[e].scaledEncoders);
            QCOMPARE(fresh.ensembles[e].bias, t.ensembles[e].bias);
        }
        for (size_t c = 0; c < fresh.connections.size(); ++c) QCOMPARE(fresh.connections[c].weights, t.connections[c].weights);
        // Names say which object and parameter: labels where unique.
        QStringList keys;
        for (const auto& [key, array] : readNpz(path)) keys << QString::fromStdString(key);
        QVERIFY(keys.contains("hidden/encoders") && keys.contains("out/bias") && keys.contains("A_B/weights"));
    }

    void rateParametersLoadIntoSpikingTwin() {
        QTemporaryDir dir;
        const std::string path = (dir.path() + "/params.npz").toStdString();
        saveParameters(trained(twoLayers(LifRateNeurons{})), path);
        BuiltModel spiking = build(twoLayers(LifNeurons{}));
        loadParameters(spiking, path);
        Simulator sim(spiking);
        sim.run(100);
        QVERIFY(sim.probe("s").series().maxCoeff() == 1000.0);  // it spikes, with the trained parameters
    }

    void differentStructureIsRefusedNamingTheObject() {
        QTemporaryDir dir;
        const std::string path = (dir.path() + "/params.npz").toStdString();
        saveParameters(build(twoLayers(LifRateNeurons{})), path);
        BuiltModel bigger = build(twoLayers(LifRateNeurons{}, 31));
        const BuiltModel before = bigger;
        try {
            loadParameters(bigger, path);
            QFAIL("loaded into a different structure");
        } catch (const Error& e) {
            QCOMPARE(QString::fromStdString(e.object()), QString("A"));
            QCOMPARE(QString::fromStdString(e.file()), QString::fromStdString(path));
        }
        QCOMPARE(bigger.ensembles[0].bias, before.ensembles[0].bias);  // untouched
        // Rewired with the same shapes: the fingerprint notices.
        Network rewired = twoLayers(LifRateNeurons{});
        rewired.connections[2].pre = {"B", EndpointKind::Neurons};
        rewired.connections[2].post = {"A", EndpointKind::Neurons};
        rewired.connections[2].transform = Table{30, 20, std::vector<double>(600, 1e-4)};
        BuiltModel other = build(rewired);
        QVERIFY_THROWS_EXCEPTION(Error, loadParameters(other, path));
    }

    void frozenNetworkRunsAsTrained() {
        // Rates: exact to rounding (encoders pass through gain/radius and back).
        const Network net = twoLayers(LifRateNeurons{});
        const BuiltModel t = trained(net);
        Network frozen = net;
        freezeParameters(frozen, t);
        // Through a project file and back, with no parameter file.
        Project p;
        p.network = frozen;
        const Project reloaded = projectFromJson(projectToJson(p), "frozen");
        Simulator fromTrained(t), fromFrozen(build(reloaded.network));
        fromTrained.run(200);
        fromFrozen.run(200);
        for (const char* probe : {"p", "s"}) {
            const Matrix a = fromTrained.probe(probe).series(), b = fromFrozen.probe(probe).series();
            QVERIFY2((a - b).cwiseAbs().maxCoeff() < 1e-9, probe);
        }
        // And the trained network differs from the untrained one.
        Simulator untrained(build(net));
        untrained.run(200);
        QVERIFY((untrained.probe("p").series() - fromTrained.probe("p").series()).cwiseAbs().maxCoeff() > 1e-6);
    }

    void freezeOneObject() {
        const Network net = twoLayers(LifRateNeurons{});
        const BuiltModel t = trained(net);
        Network frozen = net;
        freezeParameters(frozen, t, {"A_B"});
        QVERIFY(frozen.connections[1].weights.has_value());
        QVERIFY(!frozen.connections[2].weights.has_value());
        QVERIFY(!frozen.ensembles[0].bias.has_value());
        QVERIFY_THROWS_EXCEPTION(Error, freezeParameters(frozen, t, {"x"}));
    }
};

QTEST_APPLESS_MAIN(ParamsTest)
#include "test_params.moc"
