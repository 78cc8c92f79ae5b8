#include "io/nengo_export.h"

#include "io/probe_npz.h"
#include "io/python_expression.h"

#include "build/builder.h"
#include "common/error.h"
#include "sim/node_function.h"

#include <cmath>
#include <cstdio>
#include <map>
#include <set>
#include <sstream>

namespace core {

ExportFormat exportFormat(const std::string& name) {
    if (name == "nengo") return ExportFormat::Nengo;
    if (name == "json") return ExportFormat::Json;
    throw Error("unknown export format '" + name + "' (nengo, json)", {}, {}, "format");
}

namespace {

// ---------------------------------------------------------------- Python text

std::string pyString(const std::string& s) {
    std::string out = "\"";
    for (const unsigned char c : s) {
        if (c == '"' || c == '\\') {
            out += '\\';
            out += static_cast<char>(c);
        } else if (c < 0x20 || c == 0x7f) {
            char escaped[8];
            std::snprintf(escaped, sizeof escaped, "\\x%02x", c);
            out += escaped;
        } else {
            out += static_cast<char>(c);
        }
    }
    return out + "\"";
}

std::string join(const std::vector<std::string>& items, const std::string& separator) {
    std::string out;
    for (size_t i = 0; i < items.size(); ++i) out += (i ? separator : "") + items[i];
    return out;
}

std::string intList(const std::vector<int>& v) {
    std::vector<std::string> items;
    for (int i : v) items.push_back(std::to_string(i));
    return "[" + join(items, ", ") + "]";
}

// Numbers as a Python list, wrapped to lines of about 100 characters.
std::string pyList(const double* v, size_t n, const std::string& indent) {
    std::string out = "[", line;
    for (size_t i = 0; i < n; ++i) {
        const std::string item = pythonFloat(v[i]) + (i + 1 < n ? "," : "");
        if (!line.empty() && indent.size() + line.size() + item.size() + 1 > 100) {
            out += line + "\n" + indent;
            line.clear();
        }
        line += (line.empty() ? "" : " ") + item;
    }
    return out + line + "]";
}

std::string vectorExpr(const Vector& v, const std::string& indent) {
    if ((v.array() == 0.0).all()) return "np.zeros(" + std::to_string(v.size()) + ")";
    return "vector(" + pyList(v.data(), static_cast<size_t>(v.size()), indent) + ")";
}

std::string matrixExpr(const Matrix& m, const std::string& indent) {
    const RowMajorMatrix rowMajor = m;
    return "matrix(" + std::to_string(m.rows()) + ", " + std::to_string(m.cols()) + ", " +
           pyList(rowMajor.data(), static_cast<size_t>(rowMajor.size()), indent) + ")";
}

// An index list as a Python subscript: a slice when the indices step evenly
// upwards (Nengo's PES takes only those on connections into neurons), else a list.
std::string subscript(const std::vector<int>& idx) {
    const int step = idx.size() > 1 ? idx[1] - idx[0] : 1;
    bool even = step >= 1;
    for (size_t i = 1; even && i < idx.size(); ++i) even = idx[i] - idx[i - 1] == step;
    if (!even) return intList(idx);
    return std::to_string(idx.front()) + ":" + std::to_string(idx.back() + 1) +
           (step == 1 ? "" : ":" + std::to_string(step));
}

std::string synapseExpr(const OptionalSynapse& s) {
    if (!s) return "None";
    return std::visit(
        [](const auto& syn) {
            using S = std::decay_t<decltype(syn)>;
            return std::string(std::is_same_v<S, LowpassSynapse> ? "nengo.Lowpass(" : "nengo.Alpha(") +
                   pythonFloat(syn.tau) + ")";
        },
        *s);
}

std::string endpointExpr(const Endpoint& e, const Slice& slice) {
    std::string s = "objs[" + pyString(e.id) + "]";
    if (e.kind == EndpointKind::Neurons) s += ".neurons";
    if (e.kind == EndpointKind::LearningRule) s += ".learning_rule";
    if (slice) s += "[" + subscript(*slice) + "]";
    return s;
}

// Indents in build(): statements sit in its `with` block, their arguments one
// level deeper, and wrapped numbers or nested arguments one more.
const std::string statementIndent(8, ' '), argumentIndent(12, ' '), innerIndent(16, ' ');

// One statement: `head(` then the arguments one per line, then `)`.
std::string call(const std::string& head, const std::vector<std::string>& args) {
    return statementIndent + head + "(\n" + argumentIndent + join(args, ",\n" + argumentIndent) + ",\n" +
           statementIndent + ")\n";
}

// ---------------------------------------------------------------- the model

// The described objects by id: the built model keeps no synapse time constants,
// slices as written or endpoint kinds, which the script states as Nengo takes them.
struct Described {
    std::map<std::string, const Connection*> connections;
    std::map<std::string, const Probe*> probes;

    explicit Described(const Network& net) { add(net); }
    void add(const Network& net) {
        for (const auto& c : net.connections) connections[c.id] = &c;
        for (const auto& p : net.probes) probes[p.id] = &p;
        for (const auto& sub : net.subnetworks) add(sub);
    }
};

const char* nodeKind(const NodeOutput& o) {
    static const char* names[] = {"constant", "sine",       "square", "step",       "piecewise",
                                  "white_noise", "expression", "data",   "passthrough"};
    return names[o.index()];
}

// The node's output at t = k dt for k = 1..steps, from NeuroLoom's own node
// function: the script then feeds Nengo exactly these numbers.
Matrix nodeTable(const BuiltNode& n, double dt, long steps) {
    const auto f = makeNodeFunction(n.output, n.sizeOut, dt);
    Matrix table(steps, n.sizeOut);
    Vector row(n.sizeOut);
    for (long k = 1; k <= steps; ++k) {
        f->evaluate(static_cast<double>(k) * dt, row.data());
        table.row(k - 1) = row.transpose();
    }
    return table;
}

// What a node's comment says it computes, on one line whatever the expressions hold.
std::string nodeDescription(const NodeOutput& output) {
    const auto e = std::get_if<ExpressionOutput>(&output);
    if (!e) return nodeKind(output);
    std::string text = "expression " + join(e->expressions, ", ");
    std::replace_if(text.begin(), text.end(), [](unsigned char c) { return std::iscntrl(c); }, ' ');
    return text;
}

// Why a node is a table: only NeuroLoom's own code computes these values.
std::string tableReason(const NodeOutput& output) {
    if (std::holds_alternative<DataOutput>(output)) return "recorded rows";
    return "no exact Python translation";
}

std::string nodeStatement(const BuiltNode& n, double dt, long steps) {
    const std::string target = "objs[" + pyString(n.id) + "] = nengo.Node";
    const std::string label = "label=" + pyString(n.label);
    if (n.passthrough()) return call(target, {"size_in=" + std::to_string(n.sizeIn), label});
    if (auto c = std::get_if<ConstantOutput>(&n.output)) {
        const Vector value = Eigen::Map<const Vector>(c->value.data(), static_cast<Eigen::Index>(c->value.size()));
        return call(target, {vectorExpr(value, innerIndent), label});
    }
    const std::string comment = statementIndent + "# " + nodeDescription(n.output);
    if (const auto function = pythonNodeOutput(n.output, n.sizeOut))
        return comment + "\n" + call(target, {*function, label});
    return comment + " (" + tableReason(n.output) + "), as a table of its output at t = k*DT\n" +
           call(target, {"table_output(" + matrixExpr(nodeTable(n, dt, steps), innerIndent) + ")", label});
}

std::string neuronParameters(const NeuronType& type) {
    return std::visit(
        [](const auto& n) -> std::string {
            using N = std::decay_t<decltype(n)>;
            if constexpr (std::is_same_v<N, LifNeurons>)
                return "tau_rc=" + pythonFloat(n.tauRc) + ", tau_ref=" + pythonFloat(n.tauRef) +
                       ", min_voltage=" + pythonFloat(n.minVoltage) + ", amplitude=" + pythonFloat(n.amplitude);
            else if constexpr (std::is_same_v<N, LifRateNeurons>)
                return "tau_rc=" + pythonFloat(n.tauRc) + ", tau_ref=" + pythonFloat(n.tauRef) +
                       ", amplitude=" + pythonFloat(n.amplitude);
            else if constexpr (std::is_same_v<N, RectifiedLinearNeurons> || std::is_same_v<N, SpikingRectifiedLinearNeurons>)
                return "amplitude=" + pythonFloat(n.amplitude);
            else
                return "tau_ref=" + pythonFloat(n.tauRef);
        },
        type);
}

// Nengo starts LIF and SpikingRectifiedLinear voltages at Uniform(0, 1) unless
// told otherwise, so the state is always given.
std::string neuronTypeExpr(const BuiltEnsemble& e) {
    const std::string indent = innerIndent + "    ";
    std::vector<std::string> state;
    if (hasVoltage(e.neuronType)) state.push_back("\"voltage\": " + vectorExpr(e.initialVoltage, indent));
    if (hasRefractoryTime(e.neuronType))
        state.push_back("\"refractory_time\": " + vectorExpr(e.initialRefractoryTime, indent));
    std::string text = "nengo." + neuronTypeName(e.neuronType) + "(\n" + innerIndent + neuronParameters(e.neuronType);
    if (!state.empty())
        text += ",\n" + innerIndent + "initial_state={\n" + indent + join(state, ",\n" + indent) + ",\n" + innerIndent + "}";
    return text + ",\n" + argumentIndent + ")";
}

std::string ensembleStatement(const BuiltEnsemble& e) {
    return call("objs[" + pyString(e.id) + "] = nengo.Ensemble",
                {std::to_string(e.nNeurons), std::to_string(e.dimensions), "radius=" + pythonFloat(e.radius),
                 "neuron_type=" + neuronTypeExpr(e), "gain=" + vectorExpr(e.gain, innerIndent),
                 "bias=" + vectorExpr(e.bias, innerIndent), "encoders=" + matrixExpr(e.encoders, innerIndent),
                 "normalize_encoders=False",
                 "# NeuroLoom's points divided by the radius: Nengo multiplies them by it\n" + argumentIndent +
                     "eval_points=" + matrixExpr(e.evalPoints / e.radius, innerIndent),
                 "label=" + pyString(e.label)});
}

std::string functionComment(const Connection& c) {
    if (!c.function) return "identity";
    if (auto e = std::get_if<FunctionExpression>(&*c.function)) return join(e->expressions, ", ");
    return "given by its values at the eval points";
}

// A decoded connection carries NeuroLoom's matrix through a solver that solves
// nothing: the decoders with the transform folded in (exactly the matrix
// NeuroLoom applies) or, in weights mode, the whole weight matrix. The
// function is a stand-in of the right output size; NoSolver never evaluates it.
std::vector<std::string> decodedArguments(const BuiltConnection& b, const Connection& c, const BuiltModel& built) {
    const bool weightsMode = b.apply == Apply::NeuronInput;
    const long sizeOut = !weightsMode ? b.weights.rows()
                         : c.postSlice ? static_cast<long>(c.postSlice->size())
                                       : built.ensembles[b.postIndex].dimensions;
    const std::string solver = weightsMode ? "FullWeights(" : "nengo.solvers.NoSolver(";
    return {"function=output_size(" + std::to_string(sizeOut) + ")",
            "solver=" + solver + matrixExpr(b.weights, innerIndent) + (weightsMode ? ".T, weights=True)" : ".T)")};
}

std::string decodedComment(const BuiltConnection& b, const Connection& c) {
    return statementIndent + "# decoded: function " + functionComment(c) + "; transform" +
           (b.apply == Apply::NeuronInput ? " and post encoders" : "") + " folded into the solver's matrix\n";
}

std::string connectionStatement(const BuiltConnection& b, const Connection& c, const BuiltModel& built) {
    std::vector<std::string> args{endpointExpr(c.pre, c.preSlice), endpointExpr(c.post, c.postSlice)};
    if (b.decoded) {
        const auto decoded = decodedArguments(b, c, built);
        args.insert(args.end(), decoded.begin(), decoded.end());
    } else {
        args.push_back("transform=" + matrixExpr(b.weights, innerIndent));
    }
    args.push_back("synapse=" + synapseExpr(c.synapse));
    if (c.learningRule)
        args.push_back("learning_rule_type=nengo.PES(learning_rate=" + pythonFloat(c.learningRule->learningRate) +
                       ", pre_synapse=" + synapseExpr(c.learningRule->preSynapse) + ")");
    args.push_back("label=" + pyString(c.label));
    return (b.decoded ? decodedComment(b, c) : "") + call("objs[" + pyString(c.id) + "] = nengo.Connection", args);
}

const char* probedAttribute(ProbedSignal s) {
    switch (s) {
        case ProbedSignal::DecodedOutput: return "decoded_output";
        case ProbedSignal::EnsembleInput:
        case ProbedSignal::NeuronInput: return "input";
        case ProbedSignal::Voltage: return "voltage";
        case ProbedSignal::RefractoryTime: return "refractory_time";
        case ProbedSignal::Weights: return "weights";
        case ProbedSignal::PesError: return "error";
        case ProbedSignal::PesActivities: return "activities";
        case ProbedSignal::PesDelta: return "delta";
        default: return "output";
    }
}

// Nengo cannot slice a connection, so a sliced connection probe records the
// whole signal and the script keeps the listed elements (filters act on each
// element alone, so this is the same).
std::string probeStatement(const BuiltProbe& b, const Probe& p, const std::string& key) {
    const bool connection = p.target.kind == EndpointKind::Connection;
    std::vector<std::string> args{endpointExpr(p.target, connection ? Slice{} : p.slice),
                                  pyString(probedAttribute(b.signal)), "synapse=" + synapseExpr(p.synapse),
                                  "sample_every=" + (p.sampleEvery ? pythonFloat(*p.sampleEvery) : std::string("None"))};
    if (b.signal == ProbedSignal::DecodedOutput)
        args.push_back("solver=nengo.solvers.NoSolver(" + matrixExpr(b.decoders, innerIndent) + ".T)");
    args.push_back("label=" + pyString(p.label));
    const std::string keep = connection && p.slice ? intList(*p.slice) : "None";
    return call("probe = nengo.Probe", args) + statementIndent + "probes[" + pyString(key) + "] = (probe, " + keep + ")\n";
}

// Text as comment lines of about 88 characters at most, broken between words.
std::string commentLines(const std::string& text) {
    std::string out, paragraph;
    std::istringstream paragraphs(text);
    while (std::getline(paragraphs, paragraph)) {
        std::istringstream words(paragraph);
        std::string word, line = "#";
        while (words >> word) {
            if (line.size() > 1 && line.size() + 1 + word.size() > 88) {
                out += line + "\n";
                line.resize(1);  // back to "#"
            }
            line += " " + word;
        }
        out += line + "\n";
    }
    return out;
}

// What the arrays and the node functions of pythonNodeOutput use.
const char* scriptFunctionHelpers = R"py(

def vector(values):
    return np.array(values, dtype=float)


def matrix(rows, cols, values):
    return np.array(values, dtype=float).reshape(rows, cols)


def piecewise(times, values):
    """Nengo's Piecewise: row i of values from times[i] on, zeros before times[0]."""

    def output(t):
        row = bisect.bisect_right(times, t) - 1
        return values[row] if row >= 0 else np.zeros(values.shape[1])

    return output


def white_noise(period, components):
    """NeuroLoom's white noise, a periodic band-limited signal: per dimension,
    given (cosines, sines), the sum over k = 1, 2, ... of
    cosines[k-1] cos(k w) + sines[k-1] sin(k w), w = 2 pi t / period, added in
    that order (NeuroLoom's order, so the values are the same to the last bit)."""

    def output(t):
        w = 2.0 * math.pi * t / period
        values = []
        for cosines, sines in components:
            v = 0.0
            for k, (c, s) in enumerate(zip(cosines, sines), start=1):
                v += c * math.cos(k * w) + s * math.sin(k * w)
            values.append(v)
        return np.array(values)

    return output
)py";

const char* scriptTableHelper = R"py(

def table_output(table):
    """A node output given as one row per step: row k-1 during step k (t = k*DT).
    Nengo also calls it once at t = 0 to learn its size; any row does then."""

    def output(t):
        return table[int(np.rint(t / DT)) - 1]

    return output
)py";

const char* scriptSolverHelpers = R"py(

def output_size(n):
    """Stands in for a decoded function: its values are in the decoders given
    to the solver, and Nengo only needs its output size."""
    return lambda x: np.zeros(n)


class FullWeights(nengo.solvers.NoSolver):
    """The whole weight matrix (n_pre x n_post), post encoders and transform
    included. Being non-compositional, Nengo applies it as it is."""

    compositional = False

)py";

const char* scriptMain = R"py(

def main():
    parser = argparse.ArgumentParser(description="Run the exported network with Nengo.")
    parser.add_argument("--duration", type=float, default=DURATION, help="seconds to simulate")
    parser.add_argument("--out", default="probes.npz", help="where to save the probe data (.npz)")
    args = parser.parse_args()
    steps = int(np.floor(args.duration / DT + 0.5))
    if steps < 1:
        parser.error("--duration is shorter than one step")
    if STEPS is not None and steps > STEPS:
        parser.error(f"the input tables cover {STEPS} steps ({DURATION} s); export with a longer --duration")
    net, probes = build()
    with nengo.Simulator(net, dt=DT, progress_bar=False) as sim:
        sim.run_steps(steps)
    arrays = {}
    for key, (probe, keep) in probes.items():
        data = sim.data[probe]
        arrays[key] = (data if keep is None else data[..., keep])[np.newaxis]
    np.savez(args.out, **arrays)


if __name__ == "__main__":
    main()
)py";

// Which helpers the nodes need: tables where a node has no Python function,
// class mu where an expression has one.
struct NodeNeeds {
    bool tables = false, expressions = false;
};

NodeNeeds nodeNeeds(const BuiltModel& built) {
    NodeNeeds needs;
    for (const BuiltNode& n : built.nodes) {
        if (n.passthrough() || std::holds_alternative<ConstantOutput>(n.output)) continue;
        const bool function = pythonNodeOutput(n.output, n.sizeOut).has_value();
        needs.tables = needs.tables || !function;
        needs.expressions = needs.expressions || (function && std::holds_alternative<ExpressionOutput>(n.output));
    }
    return needs;
}

std::string scriptHeader(const Project& project, long steps, NodeNeeds needs) {
    const double dt = project.simulation.dt;
    std::string text = "#!/usr/bin/env python3\n";
    text += commentLines((project.title.empty() ? std::string("NeuroLoom model") : project.title) +
                         ", exported from NeuroLoom for Nengo 4.0 (needs numpy and nengo only).");
    if (!project.description.empty()) text += commentLines(project.description);
    text += "#\n"
            "# Every parameter NeuroLoom built is given explicitly (gains, biases, unit encoders,\n"
            "# eval points, initial neuron state, decoders or weights, transforms), so that\n"
            "# Nengo's reference simulator runs the network `neuroloom-cli simulate` runs, and\n"
            "# saves every probe under the same key and in the same layout:\n"
            "#     python3 model.py [--duration S] [--out probes.npz]\n"
            "import argparse\nimport bisect\nimport functools\nimport math\n\nimport nengo\nimport numpy as np\n\n";
    text += "DT = " + pythonFloat(dt) + "\n";
    text += needs.tables ? "STEPS = " + std::to_string(steps) + "  # the input tables cover this many steps\n"
                         : "STEPS = None  # no input tables: runs of any length\n";
    text += "DURATION = " + pythonFloat(static_cast<double>(steps) * dt) + "\n";
    text += scriptFunctionHelpers;
    if (needs.expressions) text += pythonExpressionHelpers;
    if (needs.tables) text += scriptTableHelper;
    return text + scriptSolverHelpers;
}

std::string buildFunction(const Project& project, const BuiltModel& built, long steps) {
    const Described described(project.network);
    std::string text = "\ndef build():\n"
                       "    \"\"\"The network, and its probes by npz key: (probe, elements to keep or None).\"\"\"\n"
                       "    objs = {}\n    probes = {}\n"
                       "    with nengo.Network(label=" + pyString(project.network.label) + ") as net:\n";
    for (const BuiltNode& n : built.nodes) text += nodeStatement(n, built.dt, steps);
    for (const BuiltEnsemble& e : built.ensembles) text += ensembleStatement(e);
    // Error connections name a learning rule, which exists once its connection does.
    for (const bool errors : {false, true})
        for (const BuiltConnection& c : built.connections)
            if ((c.apply == Apply::LearningRuleError) == errors)
                text += connectionStatement(c, *described.connections.at(c.id), built);
    const auto keys = probeKeys(built);
    for (size_t i = 0; i < built.probes.size(); ++i)
        text += probeStatement(built.probes[i], *described.probes.at(built.probes[i].id), keys[i]);
    return text + "    return net, probes\n";
}

// ---------------------------------------------------------------- explicit JSON

std::vector<double> values(const Vector& v) { return {v.data(), v.data() + v.size()}; }

void makeExplicit(Ensemble& e, const BuiltEnsemble& b) {
    e.gain = values(b.gain);
    e.bias = values(b.bias);
    if (b.maxRates.size() > 0) {
        e.maxRates = ExplicitValues{Table::column(values(b.maxRates))};
        e.intercepts = ExplicitValues{Table::column(values(b.intercepts))};
    }
    e.encoders = ExplicitValues{Table::fromMatrix(b.encoders)};
    e.normalizeEncoders = false;  // already unit length: renormalising could change the last bit
    e.evalPoints = ExplicitValues{Table::fromMatrix(b.evalPoints)};
    e.nEvalPoints.reset();
    if (hasVoltage(b.neuronType)) e.initialState.voltage = values(b.initialVoltage);
    if (hasRefractoryTime(b.neuronType)) e.initialState.refractoryTime = values(b.initialRefractoryTime);
}

void makeExplicit(Network& net, const BuiltModel& built) {
    for (Ensemble& e : net.ensembles) makeExplicit(e, built.ensembles[built.ensembleIndex(e.id)]);
    for (Connection& c : net.connections) {
        const BuiltConnection& b = built.connections[built.connectionIndex(c.id)];
        // A decoded connection given as a weight matrix has no decoders: it is explicit already.
        if (!b.decoded || b.decoders.size() == 0) continue;
        c.evalPoints = Table::fromMatrix(b.evalPoints);
        c.decoders = Table::fromMatrix(b.decoders);
    }
    for (Probe& p : net.probes) {
        const BuiltProbe& b = built.probes[built.probeIndex(p.id)];
        if (b.signal == ProbedSignal::DecodedOutput) p.decoders = Table::fromMatrix(b.decoders);
    }
    for (Network& sub : net.subnetworks) makeExplicit(sub, built);
}

}  // namespace

std::optional<std::string> pythonNodeOutput(const NodeOutput& output, int sizeOut) {
    const std::string size = std::to_string(sizeOut);
    // Each as node_function.cpp computes it, operation for operation.
    auto phaseOf = [](double frequency, double phase) {
        return "2.0 * math.pi * " + pythonFloat(frequency) + " * t + " + pythonFloat(phase);
    };
    if (auto s = std::get_if<SineWave>(&output))
        return "lambda t: np.full(" + size + ", " + pythonFloat(s->offset) + " + " + pythonFloat(s->amplitude) +
               " * math.sin(" + phaseOf(s->frequency, s->phase) + "))";
    if (auto s = std::get_if<SquareWave>(&output))
        return "lambda t: np.full(" + size + ", " + pythonFloat(s->offset) + " + (" + pythonFloat(s->amplitude) +
               " if math.sin(" + phaseOf(s->frequency, s->phase) + ") >= 0.0 else " + pythonFloat(-s->amplitude) + "))";
    if (auto s = std::get_if<StepFunction>(&output))
        return "lambda t: np.full(" + size + ", " + pythonFloat(s->before) + " if t < " + pythonFloat(s->time) +
               " else " + pythonFloat(s->after) + ")";
    if (auto p = std::get_if<Piecewise>(&output))
        return "piecewise(\n" + innerIndent + pyList(p->times.data(), p->times.size(), innerIndent) + ",\n" +
               innerIndent + matrixExpr(p->values.toMatrix(), innerIndent) + ",\n" + argumentIndent + ")";
    if (auto e = std::get_if<ExpressionOutput>(&output)) {
        std::vector<std::string> elements;
        for (const std::string& text : e->expressions) {
            const auto python = pythonExpression(text, "t");
            if (!python) return std::nullopt;
            elements.push_back(*python);
        }
        return "lambda t: vector([\n" + innerIndent + join(elements, ",\n" + innerIndent) + ",\n" + argumentIndent + "])";
    }
    if (auto w = std::get_if<WhiteNoise>(&output)) {
        const std::string listIndent = innerIndent + "    ";
        std::vector<std::string> dimensions;
        for (const auto& components : whiteNoiseComponents(*w, sizeOut)) {
            std::vector<double> cosines, sines;
            for (const WhiteNoiseComponent& c : components) {
                cosines.push_back(c.cosine);
                sines.push_back(c.sine);
            }
            dimensions.push_back("(\n" + listIndent + pyList(cosines.data(), cosines.size(), listIndent) + ",\n" +
                                 listIndent + pyList(sines.data(), sines.size(), listIndent) + ")");
        }
        return "white_noise(\n" + innerIndent + pythonFloat(w->period) + ",\n" + innerIndent + "[" +
               join(dimensions, ", ") + "],\n" + argumentIndent + ")";
    }
    return std::nullopt;  // data: recorded rows, only a table gives them
}

std::string nodeOutputHelpers() { return std::string(scriptFunctionHelpers) + pythonExpressionHelpers; }

std::string nengoScript(const Project& project, const BuiltModel& built, long steps) {
    return scriptHeader(project, steps, nodeNeeds(built)) + buildFunction(project, built, steps) + scriptMain;
}

Project explicitProject(const Project& project, const BuiltModel& built) {
    Project out = project;
    makeExplicit(out.network, built);
    return out;
}

std::string exportProject(const Project& project, ExportFormat format, double duration) {
    const BuiltModel built = build(project.network, {project.simulation.dt, {}});
    if (format == ExportFormat::Json) {
        Project out = explicitProject(project, built);
        out.simulation.duration = duration;
        return projectToJson(out);
    }
    const long steps = std::lround(duration / project.simulation.dt);
    if (steps < 1) throw Error("the run is shorter than one step", {}, {}, "duration");
    return nengoScript(project, built, steps);
}

}  // namespace core
