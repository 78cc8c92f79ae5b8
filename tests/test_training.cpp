// The training engine: analytic gradients against central finite differences
// for every neuron type, synapse and connection kind; learning on real tasks;
// truncation and checkpointing; trainable flags; NaN and cancel handling;
// objectives and optimisers.
#include "build/builder.h"
#include "common/error.h"
#include "sim/simulator.h"
#include "train/bptt_trainer.h"

#include <QtTest>

#include <cmath>
#include <random>
#include <set>

using namespace core;

namespace {

Tensor3 randomTensor(int n, int steps, int size, uint64_t seed, double scale = 1.0) {
    Rng rng(seed);
    Tensor3 t(n, steps, size);
    for (double& v : t.values) v = scale * (2.0 * rng.uniform() - 1.0);
    return t;
}

// A smooth input: sums of sines with random phases, per sequence.
Tensor3 smoothInputs(int n, int steps, int size, uint64_t seed) {
    Rng rng(seed);
    Tensor3 t(n, steps, size);
    for (int i = 0; i < n; ++i)
        for (int j = 0; j < size; ++j) {
            const double phase = 6.28 * rng.uniform(), freq = 1.0 + 3.0 * rng.uniform();
            for (int k = 0; k < steps; ++k) t.at(i, k, j) = 0.8 * std::sin(phase + 6.28 * freq * (k + 1) * 0.001 * 5);
        }
    return t;
}

Connection makeConnection(const std::string& id, Endpoint pre, Endpoint post, OptionalSynapse synapse) {
    Connection c;
    c.id = id;
    c.pre = std::move(pre);
    c.post = std::move(post);
    c.synapse = synapse;
    return c;
}

Ensemble ensemble(const std::string& id, int n, int d, NeuronType type, uint64_t seed) {
    Ensemble e;
    e.id = id;
    e.nNeurons = n;
    e.dimensions = d;
    e.neuronType = type;
    e.seed = seed;
    e.nEvalPoints = 60;
    if (std::holds_alternative<SigmoidNeurons>(type)) e.maxRates = Uniform{250, 350};
    return e;
}

// One LIFRate ensemble decoding x^2 (decoders start at 0), through Lowpass(0.01) to probe "p".
Network xSquaredNetwork(int neurons = 40) {
    Network net;
    net.seed = 9;
    net.nodes.push_back(Node{"x", "x", 0, 1, ConstantOutput{{0.0}}});
    net.ensembles = {ensemble("A", neurons, 1, LifRateNeurons{}, 3)};
    net.connections.push_back(makeConnection("x_A", {"x", EndpointKind::Node}, {"A", EndpointKind::Ensemble}, std::nullopt));
    Connection out = makeConnection("A_out", {"A", EndpointKind::Ensemble}, {"y", EndpointKind::Node}, LowpassSynapse{0.01});
    out.decoders = Table{1, neurons, std::vector<double>(neurons, 0.0)};
    net.connections.push_back(out);
    net.nodes.push_back(Node{"y", "y", 1, 1, PassthroughOutput{}});
    net.probes.push_back(Probe{"p", "p", {"y", EndpointKind::Node}, ProbeAttribute::Output, {}, {}, {}, {}, {}});
    return net;
}

// 64 smooth input sequences of 30 steps and their filtered squares as targets.
TrainingData xSquaredData() {
    TrainingData data;
    data.inputs["x"] = smoothInputs(64, 30, 1, 5);
    Tensor3 targets(64, 30, 1);
    for (int i = 0; i < 64; ++i) {
        double z = 0.0;
        const double a = std::exp(-0.001 / 0.01);
        for (int k = 0; k < 30; ++k) {
            const double x = data.inputs["x"].at(i, k, 0);
            z = a * z + (1 - a) * x * x;
            targets.at(i, k, 0) = z;
        }
    }
    data.targets["p"] = targets;
    return data;
}

double largestDifference(const std::vector<ParameterArray>& a, const std::vector<ParameterArray>& b) {
    double d = 0.0;
    for (size_t i = 0; i < a.size(); ++i) d = std::max(d, (a[i].value - b[i].value).cwiseAbs().maxCoeff());
    return d;
}


// Input (2-D) -> A -> B, with every connection kind between them, and a
// probe on B's decoded output (and one on A's neurons) with targets.
Network gradientNetwork(NeuronType typeA, NeuronType typeB, OptionalSynapse synapse) {
    Network net;
    net.seed = 5;
    net.nodes.push_back(Node{"in", "in", 0, 2, ConstantOutput{{0.0, 0.0}}});
    net.ensembles = {ensemble("A", 8, 2, typeA, 1), ensemble("B", 6, 2, typeB, 2)};
    net.connections.push_back(makeConnection("in_A", {"in", EndpointKind::Node}, {"A", EndpointKind::Ensemble}, synapse));
    Connection decoded = makeConnection("A_B", {"A", EndpointKind::Ensemble}, {"B", EndpointKind::Ensemble}, synapse);
    decoded.function = FunctionExpression{{"x0*x1", "x1"}};
    decoded.transform = Table::fromRows({{0.5, -1.0}, {1.0, 0.3}});
    net.connections.push_back(decoded);
    Connection sliced = makeConnection("A_B_sliced", {"A", EndpointKind::Ensemble}, {"B", EndpointKind::Ensemble}, synapse);
    sliced.preSlice = std::vector<int>{1};
    sliced.postSlice = std::vector<int>{0};
    net.connections.push_back(sliced);
    Connection neurons = makeConnection("A_B_neurons", {"A", EndpointKind::Neurons}, {"B", EndpointKind::Neurons}, LowpassSynapse{0.004});
    neurons.preSlice = std::vector<int>{0, 2, 5};
    neurons.postSlice = std::vector<int>{1, 3};
    // Rates are ~100 Hz and the post gain multiplies again: small weights keep B out of saturation.
    neurons.transform = Table::fromRows({{0.002, -0.003, 0.001}, {0.0, 0.002, 0.002}});
    net.connections.push_back(neurons);
    Connection weights = makeConnection("A_B_weights", {"A", EndpointKind::Ensemble}, {"B", EndpointKind::Ensemble}, synapse);
    weights.solver.weights = true;
    weights.transform = 0.3;
    net.connections.push_back(weights);
    // Recurrence needs a synapse.
    net.connections.push_back(makeConnection("B_B", {"B", EndpointKind::Ensemble}, {"B", EndpointKind::Ensemble}, AlphaSynapse{0.003}));
    net.connections.back().transform = 0.2;
    Probe out;
    out.id = out.label = "out";
    out.target = {"B", EndpointKind::Ensemble};
    out.attribute = ProbeAttribute::DecodedOutput;
    out.synapse = synapse;
    net.probes.push_back(out);
    Probe rates;
    rates.id = rates.label = "rates";
    rates.target = {"A", EndpointKind::Neurons};
    rates.slice = std::vector<int>{1, 4};
    net.probes.push_back(rates);
    return net;
}

struct Task {
    TrainingData data;
    std::vector<ObjectiveTerm> objectives;
};

Task gradientTask(const BuiltModel& m, int n, int steps) {
    Task t;
    t.data.inputs["in"] = smoothInputs(n, steps, 2, 11);
    t.data.targets["out"] = randomTensor(n, steps, 2, 12, 0.5);
    // Rate targets a few Hz from what A does: the term matters without a loss
    // so large that finite differences drown in rounding.
    TrainOptions rates;
    rates.rateMode = true;
    Tensor3 actual = BpttTrainer(m, 2).predict(t.data, rates).at("rates");
    const Tensor3 noise = randomTensor(n, steps, 2, 13, 3.0);
    for (size_t i = 0; i < actual.values.size(); ++i) actual.values[i] += noise.values[i];
    t.data.targets["rates"] = actual;
    t.objectives = {{{"out"}, MeanSquaredError{}}, {{"rates"}, HuberLoss{2.0}}};
    return t;
}

// Largest relative difference between analytic and central-difference
// gradients, per parameter array, over a sample of entries.
double worstGradientError(BpttTrainer& trainer, const Task& task, const TrainOptions& options, QString& where) {
    std::vector<Matrix> analytic;
    trainer.gradients(task.data, task.objectives, options, analytic);
    auto params = trainer.parameters();
    const auto original = params;
    double worst = 0.0;
    for (size_t p = 0; p < params.size(); ++p) {
        Matrix numeric = Matrix::Zero(params[p].value.rows(), params[p].value.cols());
        for (Eigen::Index i = 0; i < params[p].value.size(); ++i) {
            const double x = original[p].value.data()[i];
            const double h = 1e-6 * std::max(1.0, std::abs(x));
            params[p].value.data()[i] = x + h;
            trainer.setParameters(params);
            const double up = trainer.loss(task.data, task.objectives, options)[0];
            params[p].value.data()[i] = x - h;
            trainer.setParameters(params);
            const double down = trainer.loss(task.data, task.objectives, options)[0];
            params[p].value.data()[i] = x;
            numeric.data()[i] = (up - down) / (2.0 * h);
        }
        trainer.setParameters(original);
        const double scale = std::max({analytic[p].norm(), numeric.norm(), 1e-12});
        const double err = (analytic[p] - numeric).norm() / scale;
        if (err > worst) {
            worst = err;
            where = QString::fromStdString(params[p].objectId + "/" + params[p].name);
        }
    }
    return worst;
}

}  // namespace

class TrainingTest : public QObject {
    Q_OBJECT
private slots:
    void gradientsMatchFiniteDifferences_data() {
        QTest::addColumn<int>("typeA");
        QTest::addColumn<int>("typeB");
        QTest::addColumn<int>("synapse");
        // Neuron types by variant index; every type appears, with each synapse kind.
        QTest::newRow("LIFRate/Tanh, lowpass") << 1 << 5 << 1;
        QTest::newRow("RectifiedLinear/Sigmoid, no synapse") << 2 << 4 << 0;
        QTest::newRow("Sigmoid/LIFRate, alpha") << 4 << 1 << 2;
        QTest::newRow("Tanh/RectifiedLinear, lowpass") << 5 << 2 << 1;
        QTest::newRow("LIF/SpikingRectifiedLinear in rate mode, alpha") << 0 << 3 << 2;
    }
    void gradientsMatchFiniteDifferences() {
        QFETCH(int, typeA);
        QFETCH(int, typeB);
        QFETCH(int, synapse);
        const NeuronType types[] = {LifNeurons{}, LifRateNeurons{}, RectifiedLinearNeurons{}, SpikingRectifiedLinearNeurons{},
                                    SigmoidNeurons{}, TanhNeurons{}};
        const OptionalSynapse synapses[] = {std::nullopt, LowpassSynapse{0.005}, AlphaSynapse{0.004}};
        const BuiltModel m = build(gradientNetwork(types[typeA], types[typeB], synapses[synapse]));
        BpttTrainer trainer(m, 2);
        const Task task = gradientTask(m, 2, 12);
        TrainOptions options;
        options.rateMode = true;  // finite differences need a smooth forward pass
        QString where;
        const double err = worstGradientError(trainer, task, options, where);
        QVERIFY2(err < 1e-4, qPrintable(QString("%1: relative error %2").arg(where).arg(err)));
        QCOMPARE(trainer.parameters().size(), size_t(2 * 2 + 5));  // A, B encoders+bias; 5 neural connections
    }

    void checkpointingAndFullTruncationGiveTheSameGradients() {
        const BuiltModel m = build(gradientNetwork(LifRateNeurons{}, TanhNeurons{}, LowpassSynapse{0.005}));
        BpttTrainer trainer(m, 2);
        const Task task = gradientTask(m, 2, 30);
        TrainOptions full;
        std::vector<Matrix> reference, checkpointed, truncated;
        trainer.gradients(task.data, task.objectives, full, reference);
        TrainOptions withCheckpoints = full;
        withCheckpoints.checkpointing = true;
        trainer.gradients(task.data, task.objectives, withCheckpoints, checkpointed);
        TrainOptions wholeTruncation = full;
        wholeTruncation.truncation = 30;
        trainer.gradients(task.data, task.objectives, wholeTruncation, truncated);
        for (size_t p = 0; p < reference.size(); ++p) {
            QVERIFY((reference[p] - checkpointed[p]).norm() <= 1e-12 * std::max(1.0, reference[p].norm()));
            QVERIFY((reference[p] - truncated[p]).norm() <= 1e-12 * std::max(1.0, reference[p].norm()));
        }
    }

    void minibatchSplitBetweenThreadsMatchesOneSequenceAtATime() {
        // 100 neurons x 32 sequences is enough work for the trainer to split
        // the minibatch between threads (where there are several), each part
        // with its own simulator. Outputs must equal one-sequence runs bit for
        // bit, and the MSE gradient (a mean over sequences) the mean of
        // one-sequence gradients up to summation order.
        Network net = xSquaredNetwork(100);
        for (size_t i = 0; i < 100; ++i) net.connections[1].decoders->values[i] = 1e-3 * std::sin(0.7 * i);  // a non-zero output
        const BuiltModel m = build(net);
        TrainingData whole = xSquaredData();
        for (auto* t : {&whole.inputs["x"], &whole.targets["p"]}) {
            t->n = 32;
            t->values.resize(static_cast<size_t>(32) * t->steps * t->size);
        }
        const std::vector<ObjectiveTerm> mse{{{"p"}, MeanSquaredError{}}};
        BpttTrainer batched(m, 32), single(m, 1);
        QCOMPARE(batched.predict(whole, {}).at("p"), single.predict(whole, {}).at("p"));
        std::vector<Matrix> gradients, mean;
        batched.gradients(whole, mse, {}, gradients);
        for (int i = 0; i < 32; ++i) {
            auto sequence = [i](const Tensor3& t) {
                Tensor3 one(1, t.steps, t.size);
                std::copy_n(t.values.begin() + static_cast<long>(t.index(i, 0, 0)), one.values.size(), one.values.begin());
                return one;
            };
            TrainingData one;
            one.inputs["x"] = sequence(whole.inputs["x"]);
            one.targets["p"] = sequence(whole.targets["p"]);
            std::vector<Matrix> g;
            single.gradients(one, mse, {}, g);
            if (mean.empty()) mean.assign(g.size(), Matrix());
            for (size_t p = 0; p < g.size(); ++p) mean[p] = mean[p].size() ? Matrix(mean[p] + g[p] / 32.0) : Matrix(g[p] / 32.0);
        }
        QCOMPARE(gradients.size(), mean.size());
        for (size_t p = 0; p < mean.size(); ++p)
            QVERIFY2((gradients[p] - mean[p]).norm() <= 1e-12 * std::max(1.0, mean[p].norm()),
                     qPrintable(QString::number((gradients[p] - mean[p]).norm())));
    }

    void truncatedGradientsMatchWhenSegmentsAreIndependent() {
        // Without synapses a rate network has no memory, so each truncated
        // segment's gradient is exact; with 3 segments of 4 steps the summed
        // segment MSEs are 3x the whole-sequence MSE.
        Network net;
        net.nodes.push_back(Node{"in", "in", 0, 2, ConstantOutput{{0.0, 0.0}}});
        net.ensembles = {ensemble("A", 8, 2, LifRateNeurons{}, 1), ensemble("B", 6, 2, TanhNeurons{}, 2)};
        net.connections.push_back(makeConnection("in_A", {"in", EndpointKind::Node}, {"A", EndpointKind::Ensemble}, std::nullopt));
        net.connections.push_back(makeConnection("A_B", {"A", EndpointKind::Ensemble}, {"B", EndpointKind::Ensemble}, std::nullopt));
        net.probes.push_back(Probe{"out", "out", {"B", EndpointKind::Ensemble}, ProbeAttribute::DecodedOutput, {}, {}, {}, {}, {}});
        BpttTrainer trainer(build(net), 2);
        TrainingData data;
        data.inputs["in"] = smoothInputs(2, 12, 2, 3);
        data.targets["out"] = randomTensor(2, 12, 2, 4, 0.5);
        const std::vector<ObjectiveTerm> mse{{{"out"}, MeanSquaredError{}}};
        TrainOptions truncated;
        truncated.truncation = 4;
        std::vector<Matrix> segments, full;
        trainer.gradients(data, mse, truncated, segments);
        trainer.gradients(data, mse, {}, full);
        for (size_t p = 0; p < full.size(); ++p)
            QVERIFY2((segments[p] / 3.0 - full[p]).norm() <= 1e-10 * std::max(1.0, full[p].norm()),
                     qPrintable(QString::number((segments[p] / 3.0 - full[p]).norm())));
    }

    void float32GradientsFollowTheDoubleOnes() {
        // Finite differences in float would drown in rounding: the float32
        // engine's gradients are checked against the double engine's (which
        // the test above checks against finite differences), for every neuron
        // type, synapse and connection kind, with full BPTT, truncation and
        // checkpointing.
        const NeuronType types[] = {LifNeurons{}, LifRateNeurons{}, RectifiedLinearNeurons{}, SpikingRectifiedLinearNeurons{},
                                    SigmoidNeurons{}, TanhNeurons{}};
        const OptionalSynapse synapses[] = {std::nullopt, LowpassSynapse{0.005}, AlphaSynapse{0.004}};
        const int cases[][3] = {{1, 5, 1}, {2, 4, 0}, {4, 1, 2}, {0, 3, 2}};
        for (const auto& [a, b, syn] : cases) {
            const BuiltModel m = build(gradientNetwork(types[a], types[b], synapses[syn]));
            BpttTrainer trainer(m, 2);
            const Task task = gradientTask(m, 2, 12);
            for (int variant = 0; variant < 3; ++variant) {
                TrainOptions options;
                options.rateMode = true;
                options.truncation = variant == 1 ? 5 : 0;
                options.checkpointing = variant == 2;
                std::vector<Matrix> exact, rounded;
                const double exactLoss = trainer.gradients(task.data, task.objectives, options, exact);
                options.precision = Precision::Float32;
                const double roundedLoss = trainer.gradients(task.data, task.objectives, options, rounded);
                QVERIFY2(std::abs(roundedLoss - exactLoss) <= 1e-5 * exactLoss,
                         qPrintable(QString("case %1/%2: loss %3 against %4").arg(a).arg(b).arg(roundedLoss).arg(exactLoss)));
                for (size_t p = 0; p < exact.size(); ++p) {
                    const double err = (rounded[p] - exact[p]).norm() / std::max(exact[p].norm(), 1e-12);
                    QVERIFY2(err < 1e-3, qPrintable(QString("case %1/%2, variant %3, %4/%5: relative difference %6")
                                                        .arg(a).arg(b).arg(variant)
                                                        .arg(trainer.parameters()[p].objectId.c_str(), trainer.parameters()[p].name.c_str())
                                                        .arg(err)));
                    QVERIFY2(err > 0.0, "float32 gradients equal to the double ones are not computed in float");
                }
            }
        }
    }

    void float32TrainingLearnsLikeFloat64() {
        // The x^2 network trained in float32 follows the float64 run: each
        // epoch's loss within 1e-3 relative, and the loss falls tenfold.
        const BuiltModel model = build(xSquaredNetwork());
        const TrainingData data = xSquaredData();
        const auto mse = defaultObjectives(data);
        TrainOptions options;
        options.epochs = 10;
        options.seed = 3;
        BpttTrainer exact(model, 16), rounded(model, 16);
        const TrainingSummary a = exact.train(data, Adam{1e-3}, mse, options);
        options.precision = Precision::Float32;
        const double before = rounded.loss(data, mse, options)[0];
        const TrainingSummary b = rounded.train(data, Adam{1e-3}, mse, options);
        for (size_t e = 0; e < a.epochLoss.size(); ++e)
            QVERIFY2(std::abs(b.epochLoss[e] - a.epochLoss[e]) <= 1e-3 * a.epochLoss[e],
                     qPrintable(QString("epoch %1: %2 against %3").arg(e + 1).arg(b.epochLoss[e]).arg(a.epochLoss[e])));
        QVERIFY(rounded.loss(data, mse, options)[0] < before / 10.0);
    }

    void rateNetworkLearnsXSquared() {
        // One LIFRate ensemble decoding x^2 from scratch (decoders start at 0):
        // training must cut the loss at least tenfold.
        BpttTrainer trainer(build(xSquaredNetwork()), 16);
        const TrainingData data = xSquaredData();
        const auto mse = defaultObjectives(data);
        const double before = trainer.loss(data, mse)[0];
        TrainOptions options;
        options.epochs = 30;
        const TrainingSummary s = trainer.train(data, Adam{1e-3}, mse, options);
        const double after = trainer.loss(data, mse)[0];
        QVERIFY2(after < before / 10.0, qPrintable(QString("before %1, after %2").arg(before).arg(after)));
        QCOMPARE(s.stepLoss.size(), size_t(30 * 4));
        QCOMPARE(s.epochLoss.size(), size_t(30));
    }

    void objectivesMatchFiniteDifferences() {
        const Tensor3 y = randomTensor(3, 4, 3, 21), t0 = randomTensor(3, 4, 3, 22);
        Tensor3 onehot(3, 4, 3);
        for (int i = 0; i < 3; ++i)
            for (int k = 0; k < 4; ++k) onehot.at(i, k, (i + k) % 3) = 1.0;
        const std::vector<std::pair<Objective, const Tensor3*>> cases = {
            {MeanSquaredError{}, &t0}, {MeanAbsoluteError{}, &t0}, {HuberLoss{0.3}, &t0},
            {SoftmaxCrossEntropy{true}, &onehot}, {SoftmaxCrossEntropy{false}, &onehot},
            {OutputRegularization{2, 0.5}, nullptr}, {OutputRegularization{1, 0.5}, nullptr},
            {ExpressionObjective{"(y - t)^2 + 0.1*y^3"}, &t0}, {GivenGradient{}, &t0}};
        for (const auto& [objective, target] : cases) {
            Tensor3 g(3, 4, 3), unused(3, 4, 3);
            const Tensors targets{target};
            evaluate(objective, {&y}, targets, {&g});
            for (size_t i = 0; i < y.values.size(); ++i) {
                Tensor3 up = y, down = y;
                up.values[i] += 1e-6;
                down.values[i] -= 1e-6;
                const double numeric = (evaluate(objective, {&up}, targets, {&unused}) -
                                        evaluate(objective, {&down}, targets, {&unused})) / 2e-6;
                QVERIFY2(std::abs(numeric - g.values[i]) < 1e-5 * std::max(1.0, std::abs(numeric)),
                         qPrintable(QString::fromStdString(objectiveName(objective)) +
                                    QString(": %1 vs %2").arg(g.values[i]).arg(numeric)));
            }
        }
    }

    void optimizersFollowTheirFormulas() {
        const Matrix g = (Matrix(1, 3) << 0.5, -2.0, 0.0).finished();
        auto once = [&](OptimizerSettings s, int steps) {
            Matrix p = (Matrix(1, 3) << 1.0, 1.0, 1.0).finished();
            Optimizer o(s);
            for (int i = 0; i < steps; ++i) o.step({&p}, {&g});
            return p;
        };
        QVERIFY(once(Sgd{0.1}, 1).isApprox((Matrix(1, 3) << 0.95, 1.2, 1.0).finished()));
        // Momentum 0.9, two steps: v = g, then 1.9 g; moved 2.9 lr g.
        QVERIFY(once(Momentum{0.1, 0.9, false}, 2).isApprox((Matrix(1, 3) << 1 - 0.145, 1 + 0.58, 1.0).finished()));
        // Adam's first step moves every parameter with a gradient by lr (bias-corrected m/sqrt(v) = sign).
        const Matrix adam = once(Adam{0.01, 0.9, 0.999, 1e-8}, 1);
        QVERIFY(std::abs(adam(0, 0) - 0.99) < 1e-9 && std::abs(adam(0, 1) - 1.01) < 1e-9 && adam(0, 2) == 1.0);
        // Adagrad: accumulator 0.1 + g^2.
        const Matrix adagrad = once(Adagrad{0.1, 0.1, 0.0}, 1);
        QVERIFY(std::abs(adagrad(0, 0) - (1 - 0.1 * 0.5 / std::sqrt(0.35))) < 1e-12);
        // RMSProp: mean square (1 - rho) g^2.
        const Matrix rms = once(RmsProp{0.01, 0.9, 0.0, 0.0, false}, 1);
        QVERIFY(std::abs(rms(0, 1) - (1 + 0.01 * 2.0 / std::sqrt(0.1 * 4.0))) < 1e-12);
    }

    void badDataIsRefusedWithNames() {
        const BuiltModel m = build(gradientNetwork(LifRateNeurons{}, TanhNeurons{}, LowpassSynapse{0.005}));
        BpttTrainer trainer(m, 2);
        const Task good = gradientTask(m, 4, 10);
        auto refused = [&](TrainingData data, std::vector<ObjectiveTerm> objectives, const QString& object, const QString& says) {
            try {
                trainer.train(data, Sgd{}, objectives);
            } catch (const Error& e) {
                const QString message = QString::fromStdString(e.what());
                return QString::fromStdString(e.object()) == object && message.contains(says);
            }
            return false;
        };
        TrainingData wrongSize = good.data;
        wrongSize.inputs["in"] = randomTensor(4, 10, 3, 1);
        QVERIFY(refused(wrongSize, good.objectives, "in", "(4, 10, 3)"));
        TrainingData wrongSteps = good.data;
        wrongSteps.targets["out"] = randomTensor(4, 9, 2, 1);
        QVERIFY(refused(wrongSteps, good.objectives, "out", "steps = 10"));
        TrainingData unknown = good.data;
        unknown.targets["nope"] = randomTensor(4, 10, 2, 1);
        QVERIFY(refused(unknown, good.objectives, "nope", "no probe"));
        TrainingData nan = good.data;
        nan.inputs["in"].values[7] = std::nan("");
        QVERIFY(refused(nan, good.objectives, "in", "nan"));
        TrainingData odd = good.data;
        odd.inputs["in"] = smoothInputs(3, 10, 2, 1);
        odd.targets["out"] = randomTensor(3, 10, 2, 1);
        odd.targets["rates"] = randomTensor(3, 10, 2, 1);
        QVERIFY(refused(odd, good.objectives, "", "multiple of the minibatch"));
        QVERIFY(refused(good.data, {{{"out"}, MeanSquaredError{}}, {{"nope"}, MeanSquaredError{}}}, "nope", "no probe"));
        TrainingData noTargets = good.data;
        noTargets.targets.erase("rates");
        QVERIFY(refused(noTargets, good.objectives, "rates", "needs targets"));
        // Nothing changed.
        QCOMPARE(trainer.parameters().front().value, BpttTrainer(m, 2).parameters().front().value);
    }

    void cancelAndNanKeepTheLastGoodParameters() {
        const BuiltModel m = build(gradientNetwork(LifRateNeurons{}, TanhNeurons{}, LowpassSynapse{0.005}));
        const Task task = gradientTask(m, 8, 10);
        {
            BpttTrainer trainer(m, 2);
            std::vector<ParameterArray> afterThird;
            TrainCallbacks callbacks;
            callbacks.progress = [&](const TrainProgress& p) {
                if (p.step == 3) {
                    afterThird = trainer.parameters();
                    trainer.requestCancel();
                }
            };
            const TrainingSummary s = trainer.train(task.data, Adam{0.01}, task.objectives, {}, callbacks);
            QCOMPARE(s.stepLoss.size(), size_t(3));
            const auto now = trainer.parameters();
            for (size_t i = 0; i < now.size(); ++i) QCOMPARE(now[i].value, afterThird[i].value);
            QVERIFY(now[0].value != BpttTrainer(m, 2).parameters()[0].value);  // it did train
        }
        {
            // An objective that turns NaN on its third evaluation.
            struct Poisoned : CustomObjective {
                mutable int calls = 0;
                std::string name() const override { return "poisoned"; }
                double evaluate(const Tensors& y, const Tensors& t, const MutableTensors& g) const override {
                    const double v = core::evaluate(MeanSquaredError{}, y, t, g);
                    return ++calls == 3 ? std::nan("") : v;
                }
            };
            BpttTrainer trainer(m, 2);
            std::vector<ParameterArray> afterSecond;
            TrainCallbacks callbacks;
            callbacks.progress = [&](const TrainProgress& p) {
                if (p.step == 2) afterSecond = trainer.parameters();
            };
            const std::vector<ObjectiveTerm> poisoned{{{"out"}, std::make_shared<Poisoned>()}};
            QVERIFY_THROWS_EXCEPTION(Error, trainer.train(task.data, Adam{0.01}, poisoned, {}, callbacks));
            const auto now = trainer.parameters();
            for (size_t i = 0; i < now.size(); ++i) QCOMPARE(now[i].value, afterSecond[i].value);
        }
    }

    void optimizerStateCarriesAcrossTrainCalls() {
        // Two train() calls of 2 epochs end where one of 4 does (no shuffle,
        // so the epochs see the same order): Adam's moments and step count
        // carry over, as a Keras model's optimiser does across fit() calls,
        // also into a new trainer that continues from the first.
        const TrainingData data = xSquaredData();
        const auto mse = defaultObjectives(data);
        TrainOptions options;
        options.shuffle = false;
        options.epochs = 4;
        BpttTrainer once(build(xSquaredNetwork()), 16);
        once.train(data, Adam{1e-3}, mse, options);
        options.epochs = 2;
        BpttTrainer twice(build(xSquaredNetwork()), 16);
        twice.train(data, Adam{1e-3}, mse, options);
        QCOMPARE(twice.optimizerSteps(), 8L);
        BpttTrainer carried(twice.model(), 16);
        carried.continueOptimizerOf(twice);
        carried.train(data, Adam{1e-3}, mse, options);
        twice.train(data, Adam{1e-3}, mse, options);
        QCOMPARE(twice.optimizerSteps(), 16L);
        QVERIFY(largestDifference(twice.parameters(), once.parameters()) < 1e-12);
        QVERIFY(largestDifference(carried.parameters(), once.parameters()) < 1e-12);
        // A fresh start would differ: Adam's first steps move every parameter by the learning rate.
        BpttTrainer restarted(twice.model(), 16);
        restarted.train(data, Adam{1e-3}, mse, options);
        BpttTrainer continued(twice.model(), 16);
        continued.continueOptimizerOf(twice);
        continued.train(data, Adam{1e-3}, mse, options);
        QVERIFY(largestDifference(restarted.parameters(), continued.parameters()) > 1e-6);
        // Other settings start afresh.
        continued.train(data, Adam{2e-3}, mse, options);
        QCOMPARE(continued.optimizerSteps(), 8L);
    }

    void pesConnectionIsNotTrained() {
        Network net = gradientNetwork(LifRateNeurons{}, LifRateNeurons{}, LowpassSynapse{0.005});
        net.connections[1].learningRule = PesRule{};
        net.connections.push_back(makeConnection("err", {"in", EndpointKind::Node}, {"A_B", EndpointKind::LearningRule}, std::nullopt));
        const BuiltModel m = build(net);
        BpttTrainer trainer(m, 2);
        for (const auto& p : trainer.parameters()) QVERIFY(p.objectId != "A_B" && p.objectId != "err");
        const Task task = gradientTask(m, 4, 10);
        trainer.train(task.data, Adam{0.01}, task.objectives);
        QCOMPARE(trainer.model().connections[1].weights, m.connections[1].weights);
        QVERIFY(trainer.model().connections[3].weights != m.connections[3].weights);  // others do train
    }

    void spikingLifImprovesThroughSoftLif() {
        // A spiking LIF ensemble (forward spiking, SoftLIF gradient) learns to
        // decode a filtered copy of its input; its spiking loss must fall.
        Network net;
        net.nodes.push_back(Node{"x", "x", 0, 1, ConstantOutput{{0.0}}});
        net.ensembles = {ensemble("A", 50, 1, LifNeurons{}, 4)};
        net.nodes.push_back(Node{"y", "y", 1, 1, PassthroughOutput{}});
        net.connections.push_back(makeConnection("x_A", {"x", EndpointKind::Node}, {"A", EndpointKind::Ensemble}, std::nullopt));
        Connection out = makeConnection("A_y", {"A", EndpointKind::Ensemble}, {"y", EndpointKind::Node}, LowpassSynapse{0.02});
        out.function = FunctionExpression{{"0"}};
        net.connections.push_back(out);
        net.probes.push_back(Probe{"p", "p", {"A_y", EndpointKind::Connection}, ProbeAttribute::Output, {}, {}, {}, {}, {}});
        BpttTrainer trainer(build(net), 8);
        TrainingData data;
        data.inputs["x"] = smoothInputs(16, 60, 1, 8);
        data.targets["p"] = Tensor3(16, 60, 1);
        for (int i = 0; i < 16; ++i)
            for (int k = 0; k < 60; ++k) data.targets["p"].at(i, k, 0) = k > 20 ? 0.5 * data.inputs["x"].at(i, k - 20, 0) : 0.0;
        const auto mse = defaultObjectives(data);
        const double before = trainer.loss(data, mse)[0];
        TrainOptions options;
        options.epochs = 15;
        trainer.train(data, Adam{2e-5}, mse, options);
        const double after = trainer.loss(data, mse)[0];
        QVERIFY2(after < 0.7 * before, qPrintable(QString("before %1, after %2").arg(before).arg(after)));
    }

    void summariesRecordDistributions() {
        const BuiltModel m = build(gradientNetwork(LifRateNeurons{}, TanhNeurons{}, LowpassSynapse{0.005}));
        BpttTrainer trainer(m, 2);
        const Task task = gradientTask(m, 4, 10);
        TrainOptions options;
        options.epochs = 3;
        options.summaries = {"A", "B.neurons", "A_B"};
        options.summaryEvery = 2;
        const TrainingSummary first = trainer.train(task.data, Adam{0.01}, task.objectives, options);
        QCOMPARE(first.label, std::string("train"));
        QCOMPARE(first.stepLoss.size(), size_t(6));
        for (const char* key : {"A/encoders", "B/bias", "A_B/weights"}) {
            QVERIFY(first.distributions.count(key));
            QCOMPARE(first.distributions.at(key).size(), size_t(4));  // steps 0, 2, 4, 6
            const auto& d = first.distributions.at(key).back();
            QVERIFY(std::is_sorted(d.percentiles.begin(), d.percentiles.end()));
        }
        QCOMPARE(trainer.train(task.data, Adam{0.01}, task.objectives, options).label, std::string("train_1"));
    }

    // The profile's table per operator kind: the kinds this network has (no
    // learning rule), never negative, adding up to no more than their phase.
    void profileTimesEachOperatorKind() {
        const BuiltModel m = build(gradientNetwork(LifRateNeurons{}, TanhNeurons{}, LowpassSynapse{0.005}));
        BpttTrainer trainer(m, 2);
        const Task task = gradientTask(m, 4, 10);
        TrainOptions options;
        options.epochs = 2;
        options.profile = true;
        const TrainingSummary summary = trainer.train(task.data, Adam{0.01}, task.objectives, options);
        const std::set<std::string> kinds = {"node evaluation", "encode",         "neuron step",
                                             "weight product",  "synapse filter", "probe recording"};
        QCOMPARE(summary.operatorProfile.size(), size_t(2));
        for (const char* phase : {"forward", "backward"}) {
            const auto& times = summary.operatorProfile.at(phase);
            std::set<std::string> listed;
            double sum = 0.0;
            for (const auto& [kind, seconds] : times) {
                listed.insert(kind);
                QVERIFY2(seconds >= 0.0, kind.c_str());
                sum += seconds;
            }
            QCOMPARE(listed, kinds);
            QVERIFY2(sum <= summary.profile.at(phase) * (1 + 1e-9), phase);
            QVERIFY2(times.at("neuron step") > 0.0, phase);
        }
        options.profile = false;
        QVERIFY(trainer.train(task.data, Adam{0.01}, task.objectives, options).operatorProfile.empty());
    }
};

QTEST_APPLESS_MAIN(TrainingTest)
#include "test_training.moc"
