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

#include <cmath>
#include <fstream>
#include <functional>
#include <sstream>

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

// A_B also learns online (PES, its error from B), and A's voltages are probed:
// every kind of simulator state is there.
Network learningNetwork() {
    Network net = twoLayers(LifNeurons{});
    net.connections[1].learningRule = PesRule{1e-3};
    Connection error;
    error.id = "err";
    error.pre = {"B", EndpointKind::Ensemble};
    error.post = {"A_B", EndpointKind::LearningRule};
    net.connections.push_back(error);
    Probe voltage;
    voltage.id = voltage.label = "v";
    voltage.target = {"A", EndpointKind::Neurons};
    voltage.attribute = ProbeAttribute::Voltage;
    net.probes.push_back(voltage);
    return net;
}

// Different input data in each minibatch stream.
std::vector<Matrix> streamData(int minibatch, long steps) {
    std::vector<Matrix> data;
    for (int b = 0; b < minibatch; ++b) {
        Matrix d(steps, 1);
        for (long k = 0; k < steps; ++k) d(k, 0) = std::sin(0.03 * static_cast<double>(k) + 2.0 * b);
        data.push_back(d);
    }
    return data;
}

Matrix npzMatrix(const std::string& path, const std::string& key) {
    for (const auto& [k, a] : readNpz(path))
        if (k == key && a.shape.size() == 2)
            return Eigen::Map<const RowMajorMatrix>(a.values.data(), static_cast<Eigen::Index>(a.shape[0]),
                                                    static_cast<Eigen::Index>(a.shape[1]));
    throw std::runtime_error("no matrix " + key);
}

// Every parameter the model has, in a fixed order, to see whether a load changed any.
std::vector<Matrix> parametersOf(const BuiltModel& m) {
    std::vector<Matrix> all;
    for (const auto& e : m.ensembles) {
        all.push_back(e.scaledEncoders);
        all.push_back(e.bias);
    }
    for (const auto& c : m.connections) all.push_back(c.weights);
    return all;
}

std::string bytesOf(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

// The bytes of a parameter file of twoLayers(LifRateNeurons{}) after `change`
// edits its arrays; every value differs from the built model's, so a load
// that changed anything would show.
QByteArray paramsFileBytes(const std::function<void(NpzArrays&)>& change) {
    BuiltModel m = build(twoLayers(LifRateNeurons{}));
    for (auto& e : m.ensembles) e.bias.array() += 0.5;
    for (auto& e : m.ensembles) e.scaledEncoders *= 2.0;
    for (auto& c : m.connections) c.weights.array() += 0.25;
    QTemporaryDir dir;
    const std::string path = (dir.path() + "/params.npz").toStdString();
    saveParameters(m, path);
    NpzArrays arrays = readNpz(path);
    change(arrays);
    writeNpz(path, arrays);
    const std::string bytes = bytesOf(path);
    return QByteArray(bytes.data(), static_cast<qsizetype>(bytes.size()));
}

NpyArray& member(NpzArrays& arrays, const std::string& key) {
    for (auto& [k, a] : arrays)
        if (k == key) return a;
    throw std::runtime_error("no array " + key);
}

QByteArray fixtureBytes(const char* name) {
    return QByteArray::fromStdString(bytesOf(std::string(NEUROLOOM_TEST_DATA) + "/npy/" + name));
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

    void malformedFilesLeaveTheModelUntouched_data() {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QString>("problem");
        const QByteArray good = paramsFileBytes([](NpzArrays&) {});
        QTest::newRow("truncated") << good.left(good.size() / 2) << "zip archive";
        QByteArray badEndMagic = good;
        badEndMagic.replace(badEndMagic.lastIndexOf("PK\x05\x06"), 4, "XXXX");
        QTest::newRow("bad end-of-archive magic") << badEndMagic << "zip archive";
        QTest::newRow(".npy magic") << QByteArray::fromStdString(encodeNpy({{2}, {1, 2}})) << "zip archive";
        QTest::newRow("complex member") << fixtureBytes("complex_member.npz") << "dtype '<c16' is not supported";
        QTest::newRow("huge declared shape") << fixtureBytes("huge_shape_member.npz") << "too large";
        QTest::newRow("wrong shape") << paramsFileBytes([](NpzArrays& a) {
            member(a, "hidden/encoders").shape = {1, 30};
        }) << "'hidden/encoders' is 1x30 in the file but 30x1 in the model";
        QTest::newRow("NaN") << paramsFileBytes([](NpzArrays& a) {
            member(a, "out/encoders").values[7] = std::nan("");
        }) << "'out/encoders' holds NaN at element 7";
        QTest::newRow("infinity") << paramsFileBytes([](NpzArrays& a) {
            member(a, "A_B/weights").values.back() = -INFINITY;
        }) << "'A_B/weights' holds infinity at element 29";
    }
    void malformedFilesLeaveTheModelUntouched() {
        QFETCH(QByteArray, bytes);
        QFETCH(QString, problem);
        QTemporaryDir dir;
        const std::string path = (dir.path() + "/params.npz").toStdString();
        std::ofstream(path, std::ios::binary).write(bytes.data(), bytes.size());
        BuiltModel model = build(twoLayers(LifRateNeurons{}));
        const std::vector<Matrix> before = parametersOf(model);
        try {
            loadParameters(model, path);
            QFAIL("loaded a malformed file");
        } catch (const Error& e) {
            QVERIFY2(e.file().starts_with(path), e.what());  // with the member when it is one member's fault
            QVERIFY2(QString(e.what()).contains(problem), e.what());
        }
        QVERIFY(parametersOf(model) == before);
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

    void savedStateContinuesTheRunExactly() {
        QTemporaryDir dir;
        const std::string path = (dir.path() + "/state.npz").toStdString();
        const Network net = learningNetwork();
        const int minibatch = 2;
        const long before = 120, after = 130;
        Simulator whole(build(net), minibatch), first(build(net), minibatch);
        whole.setNodeData(0, streamData(minibatch, before + after));
        first.setNodeData(0, streamData(minibatch, before + after));
        whole.run(before + after);
        first.run(before);
        saveParametersAndState(first, path);

        BuiltModel model = build(net);
        loadParameters(model, path);  // the state beside the parameters does not disturb them
        Simulator second(std::move(model), minibatch);
        second.setNodeData(0, streamData(minibatch, before + after));
        loadState(second, path);
        QCOMPARE(second.stepCount(), before);
        second.run(after);
        for (size_t i = 0; i < whole.probes().size(); ++i) {
            const ProbeRecord &all = whole.probe(static_cast<int>(i)), &rest = second.probe(static_cast<int>(i));
            const size_t skip = static_cast<size_t>(before) * minibatch * all.size;
            QCOMPARE(rest.steps, std::vector<long>(all.steps.begin() + before, all.steps.end()));
            QVERIFY2(rest.values == std::vector<double>(all.values.begin() + skip, all.values.end()), all.id.c_str());
        }

        // Clear names, each holding its signal: (size x minibatch) per object.
        const Matrix voltage = npzMatrix(path, "state/hidden/voltage");
        QCOMPARE(voltage.rows(), 30);
        QCOMPARE(voltage.cols(), minibatch);
        for (int b = 0; b < minibatch; ++b)
            for (int n = 0; n < 30; ++n) QCOMPARE(voltage(n, b), first.probe("v").at(b, before - 1, n));
        QCOMPARE(npzMatrix(path, "state/hidden/output"), first.neuronOutput(0));
        QCOMPARE(npzMatrix(path, "state/out/input_current"), first.neuronInput(1));
        QCOMPARE(npzMatrix(path, "state/A_B/weights/1"), first.weights(1, 1));
    }

    void stateIsRefusedByAnotherSimulator() {
        QTemporaryDir dir;
        const std::string path = (dir.path() + "/state.npz").toStdString();
        const Network net = learningNetwork();
        Simulator sim(build(net), 2);
        sim.run(10);
        saveParametersAndState(sim, path);
        Simulator single(build(net), 1);
        try {
            loadState(single, path);
            QFAIL("loaded the state of two streams into one");
        } catch (const Error& e) {
            QCOMPARE(QString::fromStdString(e.file()), QString::fromStdString(path));
            QVERIFY(!e.object().empty());
        }
        QCOMPARE(single.stepCount(), 0L);  // untouched
        const std::string paramsOnly = (dir.path() + "/params.npz").toStdString();
        saveParameters(sim.model(), paramsOnly);
        QVERIFY_THROWS_EXCEPTION(Error, loadState(single, paramsOnly));
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

    void freezeOneEnsemble() {
        const Network net = twoLayers(LifRateNeurons{});
        const BuiltModel t = trained(net), untrained = build(net);
        Network frozen = net;
        freezeParameters(frozen, t, {"A"});
        const Ensemble& a = frozen.ensembles[0];
        QVERIFY(a.gain && a.bias && std::holds_alternative<ExplicitValues>(a.encoders));
        const Ensemble& b = frozen.ensembles[1];
        QVERIFY(!b.gain && !b.bias && !std::holds_alternative<ExplicitValues>(b.encoders));
        for (const Connection& c : frozen.connections) QVERIFY2(!c.weights, c.id.c_str());
        QVERIFY(!frozen.probes[0].decoders);  // p probes B

        const BuiltModel rebuilt = build(frozen);
        QVERIFY((rebuilt.ensembles[0].scaledEncoders - t.ensembles[0].scaledEncoders).cwiseAbs().maxCoeff() < 1e-12);
        QVERIFY((rebuilt.ensembles[0].bias - t.ensembles[0].bias).cwiseAbs().maxCoeff() < 1e-12);
        QCOMPARE(rebuilt.ensembles[1].bias, untrained.ensembles[1].bias);
        QVERIFY(rebuilt.connections[0].weights == untrained.connections[0].weights);
        // A's neurons behave as trained, fed through the untrained input connection.
        BuiltModel trainedA = t;
        trainedA.connections[0].weights = untrained.connections[0].weights;
        Simulator expected(trainedA), fromFrozen(rebuilt), fromUntrained(untrained);
        for (Simulator* sim : {&expected, &fromFrozen, &fromUntrained}) sim->run(200);
        const Matrix s = expected.probe("s").series();
        QVERIFY((fromFrozen.probe("s").series() - s).cwiseAbs().maxCoeff() < 1e-9);
        QVERIFY((fromUntrained.probe("s").series() - s).cwiseAbs().maxCoeff() > 1e-3);
    }

    void freezeSubnetwork() {
        // B and what reaches it in "layer2", the neuron connection one level deeper.
        Network net = twoLayers(LifRateNeurons{});
        Network layer2;
        layer2.id = "layer2";
        layer2.label = "layer 2";
        layer2.ensembles = {net.ensembles[1]};
        layer2.connections = {net.connections[1]};
        Network inner;
        inner.id = "inner";
        inner.connections = {net.connections[2]};
        layer2.subnetworks = {inner};
        net.ensembles.pop_back();
        net.connections.resize(1);
        net.subnetworks = {layer2};
        const BuiltModel t = trained(net);

        Network frozen = net;
        freezeParameters(frozen, t, {"layer2"});
        const Network& l2 = frozen.subnetworks[0];
        QVERIFY(l2.ensembles[0].gain && l2.ensembles[0].bias);
        QVERIFY(l2.connections[0].weights && l2.subnetworks[0].connections[0].weights);
        QVERIFY(frozen.probes[0].decoders);  // p, declared outside, probes B
        QVERIFY(!frozen.ensembles[0].gain && !frozen.connections[0].weights);
        const BuiltModel rebuilt = build(frozen);
        const int b = rebuilt.ensembleIndex("B");
        QVERIFY((rebuilt.ensembles[b].bias - t.ensembles[b].bias).cwiseAbs().maxCoeff() < 1e-12);
        const int neurons = rebuilt.connectionIndex("A_B_n");
        QVERIFY(rebuilt.connections[neurons].weights == t.connections[neurons].weights);

        Network innerOnly = net;
        freezeParameters(innerOnly, t, {"inner"});
        QVERIFY(innerOnly.subnetworks[0].subnetworks[0].connections[0].weights);
        QVERIFY(!innerOnly.subnetworks[0].connections[0].weights && !innerOnly.subnetworks[0].ensembles[0].gain);
        try {
            freezeParameters(frozen, t, {"nowhere"});
            QFAIL("froze an unknown object");
        } catch (const Error& e) {
            QCOMPARE(QString::fromStdString(e.object()), QString("nowhere"));
        }
    }
};

QTEST_APPLESS_MAIN(ParamsTest)
#include "test_params.moc"
