#include "io/nir_export.h"

#include "common/error.h"
#include "io/atomic_file.h"
#include "io/npy.h"

#include <hdf5.h>

#include <cstdint>
#include <map>
#include <set>
#include <sstream>
#include <variant>

namespace core {

namespace {

// The NIR release whose file layout this follows (nir/serialization.py).
constexpr const char* nirVersion = "1.0.7";

// ---------------------------------------------------------------- the graph

using MetadataValue = std::variant<std::string, double>;

// One NIR primitive as NIR's Python package stores it: its type name, its
// float64 parameters, and for Input and Output the size they carry.
struct NirNode {
    std::string type;
    std::vector<std::pair<std::string, NpyArray>> parameters;
    std::vector<int64_t> shape;
    std::vector<std::pair<std::string, MetadataValue>> metadata;  // never needed to run the graph
};

struct NirGraph {
    std::map<std::string, NirNode> nodes;
    std::vector<std::pair<std::string, std::string>> edges;  // (from, to); a node sums what arrives
};

NpyArray filled(Eigen::Index n, double value) { return {{static_cast<size_t>(n)}, std::vector<double>(n, value)}; }

NpyArray vectorArray(const Vector& v) { return {{static_cast<size_t>(v.size())}, {v.data(), v.data() + v.size()}}; }

NpyArray matrixArray(const Matrix& m) {
    const RowMajorMatrix rowMajor = m;
    return {{static_cast<size_t>(m.rows()), static_cast<size_t>(m.cols())},
            {rowMajor.data(), rowMajor.data() + rowMajor.size()}};
}

NirNode port(const char* type, Eigen::Index size) { return {type, {}, {static_cast<int64_t>(size)}, {}}; }

NirNode linear(const Matrix& weight) { return {"Linear", {{"weight", matrixArray(weight)}}, {}, {}}; }

NirNode affine(const Matrix& weight, const Vector& bias) {
    return {"Affine", {{"weight", matrixArray(weight)}, {"bias", vectorArray(bias)}}, {}, {}};
}

// tau dv/dt = (v_leak - v) + r I with r = 1 and v_leak = 0 is Nengo's Lowpass.
NirNode leakyIntegrator(double tau, Eigen::Index size) {
    return {"LI", {{"tau", filled(size, tau)}, {"r", filled(size, 1.0)}, {"v_leak", filled(size, 0.0)}}, {}, {}};
}

// Nengo's tau_rc dV/dt = -V + J, spiking at 1 and resetting to 0, is NIR's LIF
// with tau = tau_rc, r = 1, v_threshold = 1, v_reset = 0; v_leak carries the
// bias when no Affine does.
NirNode leakyIntegrateAndFire(const LifNeurons& n, const Vector& vLeak) {
    const Eigen::Index size = vLeak.size();
    return {"LIF",
            {{"tau", filled(size, n.tauRc)},
             {"r", filled(size, 1.0)},
             {"v_leak", vectorArray(vLeak)},
             {"v_threshold", filled(size, 1.0)},
             {"v_reset", filled(size, 0.0)}},
            {},
            {{"nengo_min_voltage", n.minVoltage}}};
}

// A matrix picking the listed elements of a signal of `size` elements.
Matrix selection(const std::vector<int>& indices, Eigen::Index size) {
    Matrix s = Matrix::Zero(static_cast<Eigen::Index>(indices.size()), size);
    for (size_t i = 0; i < indices.size(); ++i) s(static_cast<Eigen::Index>(i), indices[i]) = 1.0;
    return s;
}

// What the connection computes from the whole pre output (its pre slice folded
// in): the value its synapse filters, as a connection probe records it.
Matrix connectionMatrix(const BuiltConnection& c, Eigen::Index preSize) {
    return c.preIndices.empty() ? c.weights : Matrix(c.weights * selection(c.preIndices, preSize));
}

// What the connection adds to the whole post input: its post slice and the
// post gains (connections into neurons) folded in too. Filtering each element
// commutes with both, so they may come before the synapse.
Matrix deliveredMatrix(const BuiltConnection& c, Eigen::Index preSize, Eigen::Index postSize) {
    Matrix m = connectionMatrix(c, preSize);
    if (c.postGains.size() > 0) m = c.postGains.asDiagonal() * m;
    return c.postIndices.empty() ? m : Matrix(selection(c.postIndices, postSize).transpose() * m);
}

// A number as people write it (0.002, not 0.002000).
std::string number(double v) {
    std::ostringstream text;
    text << v;
    return text.str();
}

std::string joined(const std::vector<std::string>& items, const std::string& separator) {
    std::string out;
    for (size_t i = 0; i < items.size(); ++i) out += (i ? separator : "") + items[i];
    return out;
}

std::string described(const char* kind, const std::string& id, const std::string& label) {
    return std::string(kind) + (label.empty() ? " " + id : " '" + label + "' (id " + id + ")");
}

const char* probedSignalText(ProbedSignal s) {
    switch (s) {
        case ProbedSignal::EnsembleInput: return "an ensemble's decoded input";
        case ProbedSignal::NeuronInput: return "input currents";
        case ProbedSignal::Voltage: return "voltages";
        case ProbedSignal::RefractoryTime: return "refractory times";
        case ProbedSignal::Weights: return "connection weights";
        case ProbedSignal::PesError: return "a learning rule's error";
        case ProbedSignal::PesActivities: return "a learning rule's activities";
        case ProbedSignal::PesDelta: return "a learning rule's weight changes";
        default: return "a node's output";
    }
}

// The synapses as described: the built model keeps only their discretised coefficients.
std::map<std::string, OptionalSynapse> describedSynapses(const Network& net) {
    std::map<std::string, OptionalSynapse> out;
    for (const auto& c : net.connections) out[c.id] = c.synapse;
    for (const auto& p : net.probes) out[p.id] = p.synapse;
    for (const auto& sub : net.subnetworks) out.merge(describedSynapses(sub));
    return out;
}

// The NIR graph of a built model, or the list of everything NIR cannot express.
class GraphMaker {
public:
    GraphMaker(const Network& network, const BuiltModel& built, const NirOptions& options)
        : built_(built), synapses_(describedSynapses(network)), options_(options) {
        for (const auto& c : built.connections)
            if (c.apply == Apply::EnsembleInput) decodedInputs_.insert(c.postIndex);
        for (const auto& n : built.nodes) addNode(n);
        for (size_t i = 0; i < built.ensembles.size(); ++i) addEnsemble(static_cast<int>(i));
        for (const auto& c : built.connections) addConnection(c);
        for (const auto& p : built.probes) addProbe(p);
    }

    NirGraph graph() const {
        if (problems_.empty()) return graph_;
        throw Error("cannot be exported to NIR; " + std::to_string(problems_.size()) +
                    (problems_.size() == 1 ? " object" : " objects") + " cannot be expressed:\n  " +
                    joined(problems_, "\n  "));
    }

private:
    void add(const std::string& name, NirNode node, const std::string& label = {}) {
        if (name.find_first_of("/.") != std::string::npos)
            throw Error("'" + name + "' cannot name a NIR node ('/' and '.' have meanings there)", {}, name, "id");
        if (!label.empty()) node.metadata.emplace_back("label", label);
        if (!graph_.nodes.emplace(name, std::move(node)).second)
            throw Error("two objects would make NIR nodes named '" + name + "'", {}, name, "id");
    }

    void connect(const std::string& from, const std::string& to) { graph_.edges.emplace_back(from, to); }

    OptionalSynapse synapseOf(const std::string& id) const {
        const auto it = synapses_.find(id);
        if (it == synapses_.end()) throw Error("the network given is not the one that was built", {}, id);
        return it->second;
    }

    // Lowpass is one LI; Alpha, 1 / (tau s + 1)^2, is two in series, named
    // `name`, `name`2. Returns the node the filtered signal leaves from.
    std::string addSynapse(const std::string& from, const std::string& name, const OptionalSynapse& synapse,
                           Eigen::Index size) {
        if (!synapse) return from;
        const auto [tau, stages] = std::visit(
            [](const auto& s) {
                return std::pair{s.tau, std::is_same_v<std::decay_t<decltype(s)>, AlphaSynapse> ? 2 : 1};
            },
            *synapse);
        std::string last = from;
        for (int stage = 1; stage <= stages; ++stage) {
            const std::string stageName = name + (stage > 1 ? std::to_string(stage) : "");
            add(stageName, leakyIntegrator(tau, size));
            connect(last, stageName);
            last = stageName;
        }
        return last;
    }

    // A Linear node `name` fed from `from`; returns its name.
    std::string addLinear(const std::string& from, const std::string& name, const Matrix& weight) {
        add(name, linear(weight));
        connect(from, name);
        return name;
    }

    void addNode(const BuiltNode& n) {
        if (n.passthrough())
            add(n.id, linear(Matrix::Identity(n.sizeOut, n.sizeIn)), n.label);
        else if (std::holds_alternative<DataOutput>(n.output))
            add(n.id, port("Input", n.sizeOut), n.label);
        else
            problems_.push_back(described("node", n.id, n.label) +
                                ": its output is computed inside the network, and a NIR graph takes its inputs "
                                "from outside (make it a data node)");
    }

    void addEnsemble(int index) {
        const BuiltEnsemble& e = built_.ensembles[index];
        const std::string name = described("ensemble", e.id, e.label);
        const auto* lif = std::get_if<LifNeurons>(&e.neuronType);
        if (!lif) {
            problems_.push_back(name + ": " + neuronTypeName(e.neuronType) +
                                " neurons: NIR has no such neuron model (LIF ensembles are exported)");
            return;
        }
        std::vector<std::string> reasons;  // one line per object, however many reasons
        if (lif->amplitude != 1.0)
            reasons.push_back("amplitude " + number(lif->amplitude) + ": NIR's LIF emits unit spikes");
        if (lif->tauRef > 0.0 && !options_.dropRefractoryPeriod)
            reasons.push_back("refractory period tau_ref = " + number(lif->tauRef) +
                              " s: NIR's LIF has none, and it sets the firing rates the decoders were solved for "
                              "(set tau_ref to 0, or let the export drop it: --drop-refractory)");
        if (!reasons.empty()) problems_.push_back(name + ": " + joined(reasons, "; "));
        // With decoded input, the encoders and the bias are an Affine before the
        // LIF (NIR's usual Affine -> LIF); without, nothing carries the bias but v_leak.
        const bool decoded = decodedInputs_.count(index) > 0;
        NirNode neurons = leakyIntegrateAndFire(*lif, decoded ? Vector(Vector::Zero(e.nNeurons)) : e.bias);
        if (lif->tauRef > 0.0) neurons.metadata.emplace_back("nengo_tau_ref", lif->tauRef);
        add(e.id, std::move(neurons), e.label);
        if (!decoded) return;
        add(e.id + ":input", affine(e.scaledEncoders, e.bias));
        connect(e.id + ":input", e.id);
    }

    // The NIR node an object's output leaves from, and its size.
    std::pair<std::string, Eigen::Index> source(Source kind, int index) const {
        if (kind == Source::NodeOutput) return {built_.nodes[index].id, built_.nodes[index].sizeOut};
        return {built_.ensembles[index].id, built_.ensembles[index].nNeurons};
    }

    // The NIR node a connection delivers into, and its size.
    std::pair<std::string, Eigen::Index> target(const BuiltConnection& c) const {
        if (c.apply == Apply::NodeInput) return {built_.nodes[c.postIndex].id, built_.nodes[c.postIndex].sizeIn};
        const BuiltEnsemble& e = built_.ensembles[c.postIndex];
        if (c.apply == Apply::EnsembleInput) return {e.id + ":input", e.dimensions};
        return {e.id, e.nNeurons};
    }

    void addConnection(const BuiltConnection& c) {
        const std::string name = described("connection", c.id, c.label);
        if (c.apply == Apply::LearningRuleError) {
            problems_.push_back(name + ": carries a learning rule's error, and NIR has no learning rules");
            return;
        }
        if (c.pes) {
            problems_.push_back(name + ": learns online (PES), and NIR has no learning rules "
                                       "(freeze the learned weights and export that)");
            return;
        }
        const auto [from, preSize] = source(c.source, c.preIndex);
        const auto [to, postSize] = target(c);
        add(c.id, linear(deliveredMatrix(c, preSize, postSize)), c.label);
        connect(from, c.id);
        connect(addSynapse(c.id, c.id + ":synapse", synapseOf(c.id), postSize), to);
    }

    // The NIR node emitting what a probe records, with the size of that signal
    // before the probe's slice; an empty name when NIR has no such node.
    std::pair<std::string, Eigen::Index> probed(const BuiltProbe& p) {
        switch (p.signal) {
            case ProbedSignal::NodeOutput: return source(Source::NodeOutput, p.targetIndex);
            case ProbedSignal::NeuronOutput: return source(Source::NeuronOutput, p.targetIndex);
            case ProbedSignal::DecodedOutput:  // the slice is in the decoders already
                return {addLinear(built_.ensembles[p.targetIndex].id, p.id + ":decoders", p.decoders), p.size};
            case ProbedSignal::ConnectionOutput: {
                // A copy of the connection's path: its own Linear has the post
                // slice and gains folded in, which the connection's output has not.
                const BuiltConnection& c = built_.connections[p.targetIndex];
                const auto [from, preSize] = source(c.source, c.preIndex);
                const std::string weighted = addLinear(from, p.id + ":connection", connectionMatrix(c, preSize));
                return {addSynapse(weighted, p.id + ":connection_synapse", synapseOf(c.id), c.weights.rows()),
                        c.weights.rows()};
            }
            default: return {};
        }
    }

    void addProbe(const BuiltProbe& p) {
        auto [from, size] = probed(p);
        if (from.empty()) {
            problems_.push_back(described("probe", p.id, p.label) + ": records " + probedSignalText(p.signal) +
                                ", and NIR has no node emitting it");
            return;
        }
        if (p.signal != ProbedSignal::DecodedOutput && !p.indices.empty())
            from = addLinear(from, p.id + ":slice", selection(p.indices, size));
        add(p.id, port("Output", p.size), p.label);
        connect(addSynapse(from, p.id + ":synapse", synapseOf(p.id), p.size), p.id);
    }

    const BuiltModel& built_;
    const std::map<std::string, OptionalSynapse> synapses_;
    const NirOptions options_;
    std::set<int> decodedInputs_;  // ensembles receiving decoded input
    NirGraph graph_;
    std::vector<std::string> problems_;
};

// ---------------------------------------------------------------- HDF5

// HDF5's own messages go to stderr unless silenced; ours carry the context.
class QuietHdf5 {
public:
    QuietHdf5() {
        H5Eget_auto2(H5E_DEFAULT, &function_, &data_);
        H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
    }
    ~QuietHdf5() { H5Eset_auto2(H5E_DEFAULT, function_, data_); }
    QuietHdf5(const QuietHdf5&) = delete;
    QuietHdf5& operator=(const QuietHdf5&) = delete;

private:
    H5E_auto2_t function_ = nullptr;
    void* data_ = nullptr;
};

void check(herr_t status, const std::string& what) {
    if (status < 0) throw Error("HDF5 could not " + what);
}

// An HDF5 identifier, closed when it goes out of scope.
class Hid {
public:
    Hid(hid_t id, herr_t (*close)(hid_t), const std::string& what) : id_(id), close_(close) {
        if (id < 0) throw Error("HDF5 could not " + what);
    }
    ~Hid() { close_(id_); }
    Hid(const Hid&) = delete;
    Hid& operator=(const Hid&) = delete;
    operator hid_t() const { return id_; }

private:
    hid_t id_;
    herr_t (*close_)(hid_t);
};

Hid group(hid_t parent, const std::string& name) {
    return {H5Gcreate2(parent, name.c_str(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), H5Gclose,
            "create group '" + name + "'"};
}

// A dataset of `dims` (none: a scalar) written from `data` in memory type `memoryType`.
void dataset(hid_t parent, const std::string& name, hid_t fileType, hid_t memoryType, const std::vector<hsize_t>& dims,
             const void* data) {
    const int rank = static_cast<int>(dims.size());
    Hid space(rank == 0 ? H5Screate(H5S_SCALAR) : H5Screate_simple(rank, dims.data(), nullptr), H5Sclose,
              "describe the shape of '" + name + "'");
    Hid set(H5Dcreate2(parent, name.c_str(), fileType, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), H5Dclose,
            "create dataset '" + name + "'");
    check(H5Dwrite(set, memoryType, H5S_ALL, H5S_ALL, H5P_DEFAULT, data), "write dataset '" + name + "'");
}

// NIR's strings are h5py's: variable-length UTF-8.
void strings(hid_t parent, const std::string& name, const std::vector<std::string>& values,
             const std::vector<hsize_t>& dims) {
    Hid type(H5Tcopy(H5T_C_S1), H5Tclose, "make a string type");
    check(H5Tset_size(type, H5T_VARIABLE), "make a string type");
    check(H5Tset_cset(type, H5T_CSET_UTF8), "make a string type");
    std::vector<const char*> pointers;
    for (const auto& v : values) pointers.push_back(v.c_str());
    dataset(parent, name, type, type, dims, pointers.data());
}

void doubles(hid_t parent, const std::string& name, const NpyArray& a) {
    const std::vector<hsize_t> dims(a.shape.begin(), a.shape.end());
    dataset(parent, name, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, dims, a.values.data());
}

void writeNode(hid_t nodes, const std::string& name, const NirNode& node) {
    const Hid g = group(nodes, name);
    strings(g, "type", {node.type}, {});
    for (const auto& [key, array] : node.parameters) doubles(g, key, array);
    if (!node.shape.empty())
        dataset(g, "shape", H5T_STD_I64LE, H5T_NATIVE_INT64, {node.shape.size()}, node.shape.data());
    if (node.metadata.empty()) return;
    const Hid metadata = group(g, "metadata");
    for (const auto& [key, value] : node.metadata) {
        if (const auto* text = std::get_if<std::string>(&value))
            strings(metadata, key, {*text}, {});
        else
            doubles(metadata, key, NpyArray{{}, {std::get<double>(value)}});
    }
}

// nir.write's layout: a root "version" string and the graph in "node".
void writeGraph(hid_t file, const NirGraph& graph) {
    strings(file, "version", {nirVersion}, {});
    const Hid root = group(file, "node");
    strings(root, "type", {"NIRGraph"}, {});
    std::vector<std::string> ends;
    for (const auto& [from, to] : graph.edges) ends.insert(ends.end(), {from, to});
    strings(root, "edges", ends, {graph.edges.size(), 2});
    const Hid nodes = group(root, "nodes");
    for (const auto& [name, node] : graph.nodes) writeNode(nodes, name, node);
}

// The file's bytes, made in memory so that the shared atomic writer puts them on disk.
std::string fileImage(const NirGraph& graph) {
    const QuietHdf5 quiet;
    Hid access(H5Pcreate(H5P_FILE_ACCESS), H5Pclose, "make file access properties");
    check(H5Pset_fapl_core(access, 1 << 16, false), "keep the file in memory");
    std::string bytes;
    {
        Hid file(H5Fcreate("neuroloom.nir", H5F_ACC_TRUNC, H5P_DEFAULT, access), H5Fclose, "create the file in memory");
        writeGraph(file, graph);
        check(H5Fflush(file, H5F_SCOPE_GLOBAL), "finish the file");
        const ssize_t size = H5Fget_file_image(file, nullptr, 0);
        if (size < 0) throw Error("HDF5 could not measure the file");
        bytes.resize(static_cast<size_t>(size));
        if (H5Fget_file_image(file, bytes.data(), bytes.size()) < 0) throw Error("HDF5 could not copy the file");
    }
    return bytes;
}

}  // namespace

void writeNir(const Network& network, const BuiltModel& built, const std::string& path, const NirOptions& options) {
    const NirGraph graph = GraphMaker(network, built, options).graph();
    std::string bytes;
    try {
        bytes = fileImage(graph);
    } catch (const Error& e) {
        throw e.inFile(path);
    }
    writeFileAtomically(path, bytes);
}

}  // namespace core
