// Exports with every built parameter explicit. Nengo cannot run here, so the
// Nengo script is checked for its structure: it is well-formed Python that
// imports nengo and numpy, names every object, and carries every number the
// build produced (checked number by number). The JSON export must reload and
// simulate to exactly the original probe data.
#include "build/builder.h"
#include "common/error.h"
#include "io/atomic_file.h"
#include "io/examples.h"
#include "io/nengo_export.h"
#include "io/probe_npz.h"
#include "io/python_expression.h"
#include "random_network.h"
#include "sim/node_function.h"
#include "sim/simulator.h"

#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

#include <charconv>
#include <cmath>
#include <cstring>
#include <functional>
#include <set>

using namespace core;

namespace {

// Random networks (every model feature) as projects; these seeds give finite
// values throughout, so that probe data compare without NaN.
std::vector<Project> randomProjects() {
    std::vector<Project> out;
    for (uint64_t seed : {1, 2, 4, 7}) {
        Project p;
        p.title = "random " + std::to_string(seed);
        p.network = randomNetwork(seed);
        p.simulation = {0.001, 0.2};
        out.push_back(p);
    }
    return out;
}

std::vector<Project> allProjects() {
    std::vector<Project> out;
    for (const auto& f : exampleFiles(examplesDirectory(""))) out.push_back(loadProject(f));
    for (auto& p : randomProjects()) out.push_back(std::move(p));
    return out;
}

BuiltModel built(const Project& p) { return build(p.network, {p.simulation.dt, {}}); }

// Brackets balance outside strings and comments; what went wrong, or empty.
std::string bracketProblem(const std::string& text) {
    std::string open;
    for (size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (c == '#') {
            i = text.find('\n', i);
            if (i == std::string::npos) break;
        } else if (c == '"' || c == '\'') {
            const std::string quote = text.compare(i, 3, std::string(3, c)) == 0 ? std::string(3, c) : std::string(1, c);
            size_t j = i + quote.size();
            while (j < text.size() && text.compare(j, quote.size(), quote) != 0) j += text[j] == '\\' ? 2 : 1;
            if (j >= text.size()) return "unterminated string at " + std::to_string(i);
            i = j + quote.size() - 1;
        } else if (c == '(' || c == '[' || c == '{') {
            open += c;
        } else if (c == ')' || c == ']' || c == '}') {
            const char expected = c == ')' ? '(' : c == ']' ? '[' : '{';
            if (open.empty() || open.back() != expected) return std::string("unmatched ") + c + " at " + std::to_string(i);
            open.pop_back();
        }
    }
    return open.empty() ? std::string() : "unclosed " + open;
}

// Every numeric literal in the text, sign included.
std::set<double> numbersIn(const std::string& text) {
    std::set<double> out;
    auto isWord = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.'; };
    for (size_t i = 0; i < text.size(); ++i) {
        const bool sign = text[i] == '-' && i + 1 < text.size() && std::isdigit(static_cast<unsigned char>(text[i + 1]));
        if (!sign && !std::isdigit(static_cast<unsigned char>(text[i]))) continue;
        if (i > 0 && isWord(text[i - 1])) continue;
        double v = 0.0;
        const auto r = std::from_chars(text.data() + i, text.data() + text.size(), v);
        if (r.ec == std::errc()) out.insert(v);
        i = static_cast<size_t>(r.ptr - text.data());
    }
    return out;
}

// The values of a matrix missing from the numbers, as a message (empty: none).
std::string missing(const std::set<double>& numbers, const Matrix& m, const std::string& what) {
    for (Eigen::Index i = 0; i < m.size(); ++i)
        if (!numbers.count(m.data()[i])) return what + ": " + std::to_string(m.data()[i]) + " is not in the script";
    return {};
}

double synapseTau(const Synapse& s) {
    return std::visit([](const auto& syn) { return syn.tau; }, s);
}

// Every number the build produced for the network, by what it is (node
// outputs where the script has them as a table rather than a function).
std::vector<std::pair<std::string, Matrix>> builtNumbers(const Project& p, const BuiltModel& b, long steps) {
    std::vector<std::pair<std::string, Matrix>> out{{"dt", Matrix::Constant(1, 1, b.dt)}};
    for (const BuiltNode& n : b.nodes) {
        if (n.passthrough() || pythonNodeOutput(n.output, n.sizeOut)) continue;
        const auto f = makeNodeFunction(n.output, n.sizeOut, b.dt);
        Matrix table(n.sizeOut, steps);
        for (long k = 1; k <= steps; ++k) f->evaluate(static_cast<double>(k) * b.dt, table.col(k - 1).data());
        out.push_back({n.id + " output", table});
    }
    for (const BuiltEnsemble& e : b.ensembles) {
        out.push_back({e.id + " gain", e.gain});
        out.push_back({e.id + " bias", e.bias});
        out.push_back({e.id + " encoders", e.encoders});
        out.push_back({e.id + " eval points", e.evalPoints / e.radius});
        out.push_back({e.id + " radius", Matrix::Constant(1, 1, e.radius)});
        if (hasVoltage(e.neuronType)) out.push_back({e.id + " initial voltage", e.initialVoltage});
        if (hasRefractoryTime(e.neuronType)) out.push_back({e.id + " initial refractory time", e.initialRefractoryTime});
    }
    for (const BuiltConnection& c : b.connections) out.push_back({c.id + " weights", c.weights});
    for (const BuiltProbe& pr : b.probes)
        if (pr.signal == ProbedSignal::DecodedOutput) out.push_back({pr.id + " decoders", pr.decoders});
    std::vector<double> scalars;
    auto addSynapse = [&](const OptionalSynapse& s) {
        if (s) scalars.push_back(synapseTau(*s));
    };
    std::function<void(const Network&)> walk = [&](const Network& net) {
        for (const auto& c : net.connections) {
            addSynapse(c.synapse);
            if (c.learningRule) addSynapse(c.learningRule->preSynapse), scalars.push_back(c.learningRule->learningRate);
        }
        for (const auto& pr : net.probes) {
            addSynapse(pr.synapse);
            if (pr.sampleEvery) scalars.push_back(*pr.sampleEvery);
        }
        for (const auto& sub : net.subnetworks) walk(sub);
    };
    walk(p.network);
    out.push_back({"synapses, learning rates and sample periods", Eigen::Map<Vector>(scalars.data(), scalars.size())});
    return out;
}

// Bit-identical probe data (NaN equal to NaN), or what differs.
std::string dataDifference(const NpzArrays& a, const NpzArrays& b) {
    if (a.size() != b.size()) return "different probe counts";
    for (size_t i = 0; i < a.size(); ++i) {
        if (a[i].first != b[i].first || a[i].second.shape != b[i].second.shape) return "probe " + a[i].first + " differs in shape";
        const auto& x = a[i].second.values;
        const auto& y = b[i].second.values;
        if (std::memcmp(x.data(), y.data(), x.size() * sizeof(double)) != 0) return "probe " + a[i].first + " differs";
    }
    return {};
}

// A python3 that has numpy (the first on PATH may not), or empty.
QString pythonWithNumpy() {
    for (const QString& candidate : {QStandardPaths::findExecutable("python3"), QString("/usr/bin/python3")}) {
        if (candidate.isEmpty()) continue;
        QProcess p;
        p.start(candidate, {"-c", "import numpy"});
        if (p.waitForFinished(30000) && p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0) return candidate;
    }
    return {};
}

// One node of each kind that has an output function, size 2 (expressions: one per element).
std::vector<NodeOutput> waveformsAndExpressions() {
    return {SineWave{0.7, 2.5, 0.3, -0.1},
            SquareWave{1.5, 3.0, 1.0, 0.25},
            StepFunction{0.0125, -1.0, 2.5},
            Piecewise{{0.0, 0.01, 0.01, 0.03}, Table{4, 2, {1.0, -1.0, 2.0, 0.5, 3.0, 0.25, -4.0, 8.0}}},
            WhiteNoise{10.0, 5.0, 0.5, 0},
            WhiteNoise{0.5, 37.0, 2.0, 12345},
            ExpressionOutput{{"cos(2*pi*0.5*t)", "t^3 - 0.3*t^2 + t*3*7"}},
            // every operator, at its precedence and with its edge cases
            ExpressionOutput{{"-t^2 + 2^-t - 2^3^t", "t > 0.01 ? 1/t : t < 0.005 ? -t : 2"}},
            ExpressionOutput{{"(t >= 0.01) + (t <= 0.01) * 2 + (t == 0) * 4 + (t != 0) * 8 + (t < 0.02 && t > 0.005) * 16",
                              "(t < 0.005 || t > 0.02) + 1/(t - 0.01) - 1/0 + 0/0 * 0 + (-8)^(1/3)"}},
            // every function, within and outside its domain
            ExpressionOutput{{"sin(t) + cos(t) + tan(t) + asin(t) + acos(t) + atan(t) + atan2(t, -1)",
                              "sinh(t) + cosh(t) + tanh(t) + asinh(t) + acosh(1 + t) + atanh(t)"}},
            ExpressionOutput{{"log2(t) + log10(t) + log(t) + ln(1 + t) + exp(1000 * t) + sqrt(t - 0.01)",
                              "sign(t - 0.01) + rint(100 * t - 0.5) + abs(-t) + abs(-0) + floor(-t) + ceil(t) + mod(-t, 0.007)"}},
            ExpressionOutput{{"sum(t, 1, -t) + avg(t, 2*t, 4*t) + min(3, t, -t) + max(t, 0/0, 1)",
                              "_pi + _e + pi + e + 1e-3 + .5 + 5. + 1.e2 + t**2 + 2E-2"}}};
}

NpzArrays simulated(const Project& p) {
    Simulator sim(built(p));
    sim.run(std::lround(p.simulation.duration / p.simulation.dt));
    return probeArrays(sim);
}

}  // namespace

class NengoExportTest : public QObject {
    Q_OBJECT
private slots:
    void scriptIsWellFormedPython() {
        for (const Project& p : allProjects()) {
            const std::string script = exportProject(p, ExportFormat::Nengo, p.simulation.duration);
            QVERIFY2(script.find("\nimport nengo\n") != std::string::npos, p.title.c_str());
            QVERIFY2(script.find("\nimport numpy as np\n") != std::string::npos, p.title.c_str());
            QVERIFY2(script.find("\ndef main():\n") != std::string::npos, p.title.c_str());
            const std::string problem = bracketProblem(script);
            QVERIFY2(problem.empty(), (p.title + ": " + problem).c_str());
            for (const std::string& line : {std::string("\t"), std::string(" \n")})
                QVERIFY2(script.find(line) == std::string::npos, (p.title + ": tab or trailing space").c_str());
        }
    }

    void scriptNamesEveryObject() {
        for (const Project& p : allProjects()) {
            const std::string script = exportProject(p, ExportFormat::Nengo, p.simulation.duration);
            const BuiltModel b = built(p);
            auto has = [&](const std::string& text) {
                QVERIFY2(script.find(text) != std::string::npos, (p.title + ": no " + text).c_str());
            };
            for (const auto& n : b.nodes) has("objs[\"" + n.id + "\"] = nengo.Node(");
            for (const auto& e : b.ensembles) has("objs[\"" + e.id + "\"] = nengo.Ensemble(");
            for (const auto& e : b.ensembles) has("neuron_type=nengo." + neuronTypeName(e.neuronType) + "(");
            for (const auto& c : b.connections) has("objs[\"" + c.id + "\"] = nengo.Connection(");
            for (const auto& c : b.connections)
                if (c.pes) has("objs[\"" + c.id + "\"].learning_rule");
            for (const auto& c : b.connections)
                if (c.apply == Apply::NeuronInput) has("solver=FullWeights(");
            for (const auto& n : b.nodes) has("label=\"" + n.label + "\"");
            for (const auto& e : b.ensembles) has("label=\"" + e.label + "\"");
            for (const auto& c : b.connections) has("label=\"" + c.label + "\"");
            for (const auto& pr : b.probes) has("label=\"" + pr.label + "\"");
            for (const auto& [key, array] : probeArrays(Simulator(built(p)))) has("probes[\"" + key + "\"] = (probe, ");
        }
    }

    void scriptCarriesEveryBuiltNumber() {
        for (const Project& p : allProjects()) {
            const long steps = std::lround(p.simulation.duration / p.simulation.dt);
            const std::string script = exportProject(p, ExportFormat::Nengo, p.simulation.duration);
            const std::set<double> numbers = numbersIn(script);
            for (const auto& [what, values] : builtNumbers(p, built(p), steps)) {
                const std::string problem = missing(numbers, values, what);
                QVERIFY2(problem.empty(), (p.title + ": " + problem).c_str());
            }
        }
    }

    void scriptQuotesLabelsAndSlices() {
        Project p;
        p.network.label = "quote \" and backslash \\";
        p.network.nodes.push_back(Node{"in-1", "line\nbreak", 0, 3, ConstantOutput{{0.5, -1.0, 2.0}}});
        Ensemble e;
        e.id = e.label = "A";
        e.nNeurons = 10;
        e.dimensions = 4;
        p.network.ensembles.push_back(e);
        Connection c;
        c.id = "c";
        c.pre = {"in-1", EndpointKind::Node};
        c.post = {"A", EndpointKind::Ensemble};
        c.preSlice = std::vector<int>{2, 0};
        c.postSlice = std::vector<int>{0, 2};
        p.network.connections.push_back(c);
        Probe probe;
        probe.id = "p";
        probe.target = {"c", EndpointKind::Connection};
        probe.slice = std::vector<int>{1};
        p.network.probes.push_back(probe);
        const std::string script = exportProject(p, ExportFormat::Nengo, 0.01);
        QVERIFY(bracketProblem(script).empty());
        QVERIFY(script.find("label=\"quote \\\" and backslash \\\\\"") != std::string::npos);
        QVERIFY(script.find("label=\"line\\x0abreak\"") != std::string::npos);
        QVERIFY(script.find("objs[\"in-1\"][[2, 0]]") != std::string::npos);  // not a rising run: a list
        QVERIFY(script.find("objs[\"A\"][0:3:2]") != std::string::npos);       // a rising run: a slice
        QVERIFY(script.find("probes[\"p\"] = (probe, [1])") != std::string::npos);  // sliced after the run
        QVERIFY(script.find("nengo.Node(\n            vector([0.5, -1.0, 2.0])") != std::string::npos);
    }

    void pythonParsesTheScript() {
        const QString python = QStandardPaths::findExecutable("python3");
        if (python.isEmpty()) QSKIP("no python3 to parse the script with");
        QTemporaryDir dir;
        QStringList arguments{"-c", "import ast, sys\nfor f in sys.argv[1:]: ast.parse(open(f).read(), f)"};
        for (const Project& p : allProjects()) {
            arguments << dir.filePath(QString("model%1.py").arg(arguments.size()));
            writeFileAtomically(arguments.back().toStdString(), exportProject(p, ExportFormat::Nengo, p.simulation.duration));
        }
        QProcess process;
        process.start(python, arguments);  // one interpreter for all: starting one can take a second
        QVERIFY(process.waitForFinished(60000));
        QVERIFY2(process.exitCode() == 0, process.readAllStandardError().constData());
    }

    void nodesAreFunctionsNotTables() {
        Project p;
        for (const NodeOutput& output : waveformsAndExpressions())
            p.network.nodes.push_back(Node{"n" + std::to_string(p.network.nodes.size()), "node", 0, 2, output});
        std::string script = exportProject(p, ExportFormat::Nengo, 0.05);
        for (const char* kind : {"# sine\n", "# square\n", "# step\n", "# piecewise\n", "# white_noise\n",
                                 "# expression cos(2*pi*0.5*t), t^3"})
            QVERIFY2(script.find(kind) != std::string::npos, kind);
        QCOMPARE(std::count(script.begin(), script.end(), '\n') < 400, true);  // no tables of 50 rows each
        QVERIFY(script.find("table_output(") == std::string::npos);
        QVERIFY(script.find("STEPS = None") != std::string::npos);  // runs of any length
        QVERIFY(script.find("lambda t: vector([") != std::string::npos && script.find("class mu:") != std::string::npos);

        // Data and what has no exact translation (muParser's comma: the last value) stay tables.
        p.network.nodes.push_back(Node{"data", "data", 0, 2, DataOutput{Table{1, 2, {1.0, 2.0}}, 0.0}});
        p.network.nodes.push_back(Node{"comma", "comma", 0, 1, ExpressionOutput{{"t, 2*t"}}});
        script = exportProject(p, ExportFormat::Nengo, 0.05);
        QVERIFY(script.find("# data (recorded rows), as a table") != std::string::npos);
        QVERIFY(script.find("# expression t, 2*t (no exact Python translation), as a table") != std::string::npos);
        QVERIFY(script.find("STEPS = 50  # the input tables") != std::string::npos);
        QVERIFY(bracketProblem(script).empty());
    }

    // Python evaluates each translated node output (waveforms with math, the
    // expressions with class mu) to exactly NeuroLoom's values, at t = k dt and
    // at t = 0, where Nengo calls it once to learn its size.
    void translatedOutputsGiveNeuroLoomsValues() {
        const QString python = pythonWithNumpy();
        if (python.isEmpty()) QSKIP("no python3 with numpy to evaluate the translations");
        const std::vector<NodeOutput> outputs = waveformsAndExpressions();
        std::vector<double> times{0.0};
        for (int k = 1; k <= 40; ++k) times.push_back(k * 0.001);
        for (double t : {0.4999, 0.5, 1.2345, 10.0, 1000.001}) times.push_back(t);  // later periods of the noise
        std::string program = "import bisect\nimport functools\nimport math\n\nimport numpy as np\n" + nodeOutputHelpers() +
                              "\n\noutputs = [\n";
        for (const NodeOutput& output : outputs) {
            const auto function = pythonNodeOutput(output, 2);
            QVERIFY(function.has_value());
            program += *function + ",\n";
        }
        program += "]\nfor t in [";
        for (double t : times) program += pythonFloat(t) + ", ";
        program += "]:\n    for f in outputs:\n        print(*(repr(float(v)) for v in f(t)))\n";
        QTemporaryDir dir;
        writeFileAtomically(dir.filePath("outputs.py").toStdString(), program);
        QProcess process;
        process.start(python, {dir.filePath("outputs.py")});
        QVERIFY(process.waitForFinished(60000));
        QVERIFY2(process.exitCode() == 0, process.readAllStandardError().constData());
        const QStringList lines = QString(process.readAllStandardOutput()).split('\n', Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), static_cast<qsizetype>(times.size() * outputs.size()));
        for (size_t i = 0; i < times.size(); ++i)
            for (size_t o = 0; o < outputs.size(); ++o) {
                double expected[2];
                makeNodeFunction(outputs[o], 2, 0.001)->evaluate(times[i], expected);
                const QStringList got = lines[static_cast<qsizetype>(i * outputs.size() + o)].split(' ');
                QCOMPARE(got.size(), 2);
                for (int j = 0; j < 2; ++j) {
                    const double value = got[j].toDouble();
                    const bool same = value == expected[j] || (std::isnan(value) && std::isnan(expected[j]));
                    QVERIFY2(same, qPrintable(QString("output %1, element %2, t = %3: Python %4, NeuroLoom %5")
                                                  .arg(o).arg(j).arg(times[i]).arg(got[j]).arg(expected[j], 0, 'g', 17)));
                }
            }
    }

    void jsonExportSimulatesIdentically() {
        for (const Project& p : allProjects()) {
            const std::string text = exportProject(p, ExportFormat::Json, p.simulation.duration);
            const Project again = projectFromJson(text, p.title);
            const std::string problem = dataDifference(simulated(p), simulated(again));
            QVERIFY2(problem.empty(), (p.title + ": " + problem).c_str());
        }
    }

    void jsonExportLeavesNothingToSampleOrSolve() {
        for (const Project& p : allProjects()) {
            const Project out = explicitProject(p, built(p));
            const BuiltModel b = built(out);
            std::function<void(const Network&)> check = [&](const Network& net) {
                for (const auto& e : net.ensembles) {
                    QVERIFY(e.gain && e.bias);
                    QVERIFY(std::holds_alternative<ExplicitValues>(e.encoders));
                    QVERIFY(std::holds_alternative<ExplicitValues>(e.evalPoints));
                    QVERIFY(!e.normalizeEncoders);
                }
                for (const auto& c : net.connections)
                    if (b.connections[b.connectionIndex(c.id)].decoded) QVERIFY(c.decoders && c.evalPoints);
                for (const auto& pr : net.probes)
                    if (b.probes[b.probeIndex(pr.id)].signal == ProbedSignal::DecodedOutput) QVERIFY(pr.decoders);
                for (const auto& sub : net.subnetworks) check(sub);
            };
            check(out.network);
            QVERIFY2(explicitProject(out, b) == out, p.title.c_str());  // nothing left to make explicit
        }
    }

    void unknownFormatIsAnError() {
        QCOMPARE(exportFormat("nengo"), ExportFormat::Nengo);
        QCOMPARE(exportFormat("json"), ExportFormat::Json);
        try {
            exportFormat("matlab");
            QFAIL("no error");
        } catch (const Error& e) {
            QCOMPARE(e.field(), std::string("format"));
            QVERIFY(e.message().find("'matlab'") != std::string::npos);
            QVERIFY(e.message().find("nengo, json") != std::string::npos);
        }
    }

    void runShorterThanOneStepIsAnError() {
        const Project p = randomProjects().front();
        QVERIFY_THROWS_EXCEPTION(Error, exportProject(p, ExportFormat::Nengo, 0.0004));
    }
};

QTEST_GUILESS_MAIN(NengoExportTest)
#include "test_nengo_export.moc"
