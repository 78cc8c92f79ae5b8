// The NIR export, read back with libhdf5 as NIR's own reader would read it
// (nir/serialization.py): the graph's nodes, their types and edges, and every
// parameter array equal to what the builder made. Models NIR cannot express
// are refused with every offending object listed.
#include "build/builder.h"
#include "common/error.h"
#include "io/nir_export.h"

#include <hdf5.h>

#include <QTemporaryDir>
#include <QtTest>

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>
#include <sstream>
#include <tuple>

using namespace core;

namespace {

// ---------------------------------------------------------------- models

Connection connection(const std::string& id, Endpoint pre, Endpoint post, OptionalSynapse synapse) {
    Connection c;
    c.id = id;
    c.label = id;
    c.pre = std::move(pre);
    c.post = std::move(post);
    c.synapse = synapse;
    return c;
}

Probe probe(const std::string& id, const std::string& label, Endpoint target, ProbeAttribute attribute,
            OptionalSynapse synapse) {
    Probe p;
    p.id = id;
    p.label = label;
    p.target = std::move(target);
    p.attribute = attribute;
    p.synapse = synapse;
    return p;
}

Ensemble lifEnsemble(const std::string& id, const std::string& label, int n, double tauRef) {
    Ensemble e;
    e.id = id;
    e.label = label;
    e.nNeurons = n;
    e.neuronType = LifNeurons{0.02, tauRef, 0.0, 1.0};
    return e;
}

// stimulus (data) -> A -> B (decoded x^2) -> probe of B's decoded value, all
// through lowpass synapses, and a probe of two of A's neurons through an Alpha synapse.
Network lifChain(double tauRef) {
    Network net;
    net.seed = 3;
    net.nodes.push_back(Node{"x", "stimulus", 0, 1, DataOutput{Table::column({0.0, 0.5, -0.5}), 0.0}});
    net.ensembles = {lifEnsemble("A", "first", 20, tauRef), lifEnsemble("B", "second", 15, tauRef)};
    net.connections.push_back(connection("x_A", {"x", EndpointKind::Node}, {"A", EndpointKind::Ensemble},
                                         LowpassSynapse{0.005}));
    Connection ab =
        connection("A_B", {"A", EndpointKind::Ensemble}, {"B", EndpointKind::Ensemble}, LowpassSynapse{0.01});
    ab.function = FunctionExpression{{"x^2"}};
    net.connections.push_back(ab);
    net.probes.push_back(probe("p", "squared", {"B", EndpointKind::Ensemble}, ProbeAttribute::DecodedOutput,
                               LowpassSynapse{0.02}));
    net.probes.push_back(
        probe("s", "spikes", {"A", EndpointKind::Neurons}, ProbeAttribute::Output, AlphaSynapse{0.004}));
    net.probes.back().slice = std::vector<int>{3, 7};
    return net;
}

// ---------------------------------------------------------------- reading HDF5

// An HDF5 identifier closed at the end of its scope.
struct Hid {
    hid_t id;
    herr_t (*close)(hid_t);
    ~Hid() {
        if (id >= 0) close(id);
    }
    operator hid_t() const { return id; }
};

struct Array {
    std::vector<hsize_t> dims;
    std::vector<double> values;
    Matrix matrix() const {  // rows x cols, or a column for 1-D
        const auto cols = dims.size() == 2 ? static_cast<Eigen::Index>(dims[1]) : 1;
        return Eigen::Map<const RowMajorMatrix>(values.data(), static_cast<Eigen::Index>(values.size()) / cols, cols);
    }
};

class NirFile {
public:
    explicit NirFile(const std::string& path) : file_{H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose} {
        if (file_ < 0) throw std::runtime_error("cannot open " + path);
    }

    bool exists(const std::string& path) const { return H5Lexists(file_, path.c_str(), H5P_DEFAULT) > 0; }

    std::vector<std::string> strings(const std::string& path, std::vector<hsize_t>* dims = nullptr) const {
        const Hid set{H5Dopen2(file_, path.c_str(), H5P_DEFAULT), H5Dclose};
        const Hid stored{H5Dget_type(set), H5Tclose};
        if (set < 0 || H5Tget_class(stored) != H5T_STRING || H5Tis_variable_str(stored) <= 0 ||
            H5Tget_cset(stored) != H5T_CSET_UTF8)
            throw std::runtime_error(path + " is not a variable-length UTF-8 string dataset");
        const std::vector<hsize_t> shape = this->dims(set);
        size_t n = 1;
        for (hsize_t d : shape) n *= d;
        std::vector<char*> pointers(n);
        const Hid memory{H5Tcopy(H5T_C_S1), H5Tclose};
        H5Tset_size(memory, H5T_VARIABLE);
        H5Tset_cset(memory, H5T_CSET_UTF8);
        if (n > 0 && H5Dread(set, memory, H5S_ALL, H5S_ALL, H5P_DEFAULT, pointers.data()) < 0)
            throw std::runtime_error("cannot read " + path);
        std::vector<std::string> out;
        for (char* p : pointers) {
            out.emplace_back(p);
            H5free_memory(p);
        }
        if (dims) *dims = shape;
        return out;
    }

    std::string string(const std::string& path) const { return strings(path).at(0); }

    // A numeric dataset; `fileType` is what it must be stored as.
    Array array(const std::string& path, hid_t fileType = H5T_IEEE_F64LE) const {
        const Hid set{H5Dopen2(file_, path.c_str(), H5P_DEFAULT), H5Dclose};
        if (set < 0) throw std::runtime_error("no dataset " + path);
        const Hid stored{H5Dget_type(set), H5Tclose};
        if (H5Tequal(stored, fileType) <= 0) throw std::runtime_error(path + " is stored in another type");
        Array a{dims(set), {}};
        size_t n = 1;
        for (hsize_t d : a.dims) n *= d;
        a.values.resize(n);
        if (H5Dread(set, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, a.values.data()) < 0)
            throw std::runtime_error("cannot read " + path);
        return a;
    }

    std::set<std::string> children(const std::string& path) const {
        std::set<std::string> names;
        const Hid group{H5Gopen2(file_, path.c_str(), H5P_DEFAULT), H5Gclose};
        H5Literate(
            group, H5_INDEX_NAME, H5_ITER_INC, nullptr,
            [](hid_t, const char* name, const H5L_info_t*, void* out) {
                static_cast<std::set<std::string>*>(out)->insert(name);
                return herr_t{0};
            },
            &names);
        return names;
    }

private:
    static std::vector<hsize_t> dims(hid_t set) {
        const Hid space{H5Dget_space(set), H5Sclose};
        std::vector<hsize_t> d(static_cast<size_t>(H5Sget_simple_extent_ndims(space)));
        H5Sget_simple_extent_dims(space, d.data(), nullptr);
        return d;
    }

    Hid file_;
};

std::string node(const std::string& name) { return "node/nodes/" + name; }

std::set<std::pair<std::string, std::string>> edges(const NirFile& f) {
    std::vector<hsize_t> dims;
    const auto ends = f.strings("node/edges", &dims);
    if (dims.size() != 2 || dims[1] != 2) throw std::runtime_error("edges are not n x 2");
    std::set<std::pair<std::string, std::string>> out;
    for (size_t i = 0; i < ends.size(); i += 2) out.emplace(ends[i], ends[i + 1]);
    return out;
}

Matrix constant(Eigen::Index n, double v) { return Matrix::Constant(n, 1, v); }

std::string exportMessage(const Network& net, const std::string& path, const NirOptions& options = {}) {
    try {
        writeNir(net, build(net), path, options);
    } catch (const Error& e) {
        return e.message();
    }
    return {};
}

}  // namespace

class NirExportTest : public QObject {
    Q_OBJECT
private slots:
    void lifChainIsAGraphOfTheBuiltParameters() {
        QTemporaryDir dir;
        const std::string path = (dir.path() + "/chain.nir").toStdString();
        const Network net = lifChain(0.0);
        const BuiltModel built = build(net);
        writeNir(net, built, path);

        const NirFile f(path);
        QVERIFY(!f.string("version").empty());
        QCOMPARE(f.string("node/type"), std::string("NIRGraph"));
        const std::map<std::string, std::string> types{
            {"x", "Input"},        {"x_A", "Linear"},      {"x_A:synapse", "LI"}, {"A:input", "Affine"},
            {"A", "LIF"},          {"A_B", "Linear"},      {"A_B:synapse", "LI"}, {"B:input", "Affine"},
            {"B", "LIF"},          {"p:decoders", "Linear"}, {"p:synapse", "LI"}, {"p", "Output"},
            {"s:slice", "Linear"}, {"s:synapse", "LI"},    {"s:synapse2", "LI"},  {"s", "Output"}};
        std::set<std::string> expectedNames;
        for (const auto& [name, type] : types) {
            expectedNames.insert(name);
            QCOMPARE(f.string(node(name) + "/type"), type);
        }
        QCOMPARE(f.children("node/nodes"), expectedNames);
        const std::set<std::pair<std::string, std::string>> expectedEdges{
            {"x", "x_A"},           {"x_A", "x_A:synapse"},   {"x_A:synapse", "A:input"}, {"A:input", "A"},
            {"A", "A_B"},           {"A_B", "A_B:synapse"},   {"A_B:synapse", "B:input"}, {"B:input", "B"},
            {"B", "p:decoders"},    {"p:decoders", "p:synapse"}, {"p:synapse", "p"},       {"A", "s:slice"},
            {"s:slice", "s:synapse"}, {"s:synapse", "s:synapse2"}, {"s:synapse2", "s"}};
        QCOMPARE(edges(f), expectedEdges);

        // Ports carry their sizes as int64, as NIR's Input and Output do.
        QCOMPARE(f.array(node("x") + "/shape", H5T_STD_I64LE).values, std::vector<double>{1.0});
        QCOMPARE(f.array(node("p") + "/shape", H5T_STD_I64LE).values, std::vector<double>{1.0});
        QCOMPARE(f.array(node("s") + "/shape", H5T_STD_I64LE).values, std::vector<double>{2.0});

        for (int e = 0; e < 2; ++e) {
            const BuiltEnsemble& ens = built.ensembles[e];
            const std::string lif = node(ens.id);
            QCOMPARE(f.array(lif + "/tau").matrix(), constant(ens.nNeurons, 0.02));
            QCOMPARE(f.array(lif + "/r").matrix(), constant(ens.nNeurons, 1.0));
            QCOMPARE(f.array(lif + "/v_leak").matrix(), constant(ens.nNeurons, 0.0));
            QCOMPARE(f.array(lif + "/v_threshold").matrix(), constant(ens.nNeurons, 1.0));
            QCOMPARE(f.array(lif + "/v_reset").matrix(), constant(ens.nNeurons, 0.0));
            QCOMPARE(f.string(lif + "/metadata/label"), ens.label);
            const Array weight = f.array(node(ens.id + ":input") + "/weight");
            QCOMPARE(weight.dims, (std::vector<hsize_t>{static_cast<hsize_t>(ens.nNeurons), 1}));
            QCOMPARE(weight.matrix(), ens.scaledEncoders);
            QCOMPARE(f.array(node(ens.id + ":input") + "/bias").matrix(), Matrix(ens.bias));
        }
        QCOMPARE(f.array(node("x_A") + "/weight").matrix(), built.connections[0].weights);
        const Array decoded = f.array(node("A_B") + "/weight");
        QCOMPARE(decoded.dims, (std::vector<hsize_t>{1, 20}));
        QCOMPARE(decoded.matrix(), built.connections[1].weights);
        QCOMPARE(f.array(node("p:decoders") + "/weight").matrix(), built.probes[0].decoders);
        Matrix pick = Matrix::Zero(2, 20);
        pick(0, 3) = pick(1, 7) = 1.0;
        QCOMPARE(f.array(node("s:slice") + "/weight").matrix(), pick);

        // Lowpass: one LI with r = 1 and v_leak = 0; Alpha: two in series.
        for (const auto& [name, tau, size] : std::vector<std::tuple<std::string, double, int>>{
                 {"x_A:synapse", 0.005, 1}, {"A_B:synapse", 0.01, 1}, {"p:synapse", 0.02, 1},
                 {"s:synapse", 0.004, 2}, {"s:synapse2", 0.004, 2}}) {
            QCOMPARE(f.array(node(name) + "/tau").matrix(), constant(size, tau));
            QCOMPARE(f.array(node(name) + "/r").matrix(), constant(size, 1.0));
            QCOMPARE(f.array(node(name) + "/v_leak").matrix(), constant(size, 0.0));
        }
    }

    void neuronInputsFoldSlicesAndGainsAndTheBiasIsTheLeak() {
        // A connection into neurons, no decoded input: NIR gets the whole
        // matrix (pre slice, post slice and gains folded in) straight into the
        // LIF, and the LIF's v_leak carries the bias as no Affine does.
        Network net;
        net.nodes.push_back(Node{"x", "", 0, 2, DataOutput{Table::fromRows({{0.1, 0.2}}), 0.0}});
        net.ensembles = {lifEnsemble("C", "", 6, 0.0)};
        Connection in = connection("x_C", {"x", EndpointKind::Node}, {"C", EndpointKind::Neurons}, std::nullopt);
        in.preSlice = std::vector<int>{1};
        in.postSlice = std::vector<int>{0, 3};
        in.transform = Table::column({0.5, 2.0});
        net.connections = {in};
        net.probes.push_back(probe("c", "", {"C", EndpointKind::Neurons}, ProbeAttribute::Output, std::nullopt));
        // A probe of the connection's own output (before slices and gains), sliced.
        net.probes.push_back(
            probe("q", "", {"x_C", EndpointKind::Connection}, ProbeAttribute::Output, LowpassSynapse{0.003}));
        net.probes.back().slice = std::vector<int>{1};
        const BuiltModel built = build(net);
        QTemporaryDir dir;
        const std::string path = (dir.path() + "/neurons.nir").toStdString();
        writeNir(net, built, path);

        const NirFile f(path);
        QCOMPARE(f.children("node/nodes"),
                 (std::set<std::string>{"x", "x_C", "C", "c", "q:connection", "q:slice", "q:synapse", "q"}));
        QCOMPARE(edges(f), (std::set<std::pair<std::string, std::string>>{{"x", "x_C"},
                                                                          {"x_C", "C"},
                                                                          {"C", "c"},
                                                                          {"x", "q:connection"},
                                                                          {"q:connection", "q:slice"},
                                                                          {"q:slice", "q:synapse"},
                                                                          {"q:synapse", "q"}}));
        const Vector& gain = built.ensembles[0].gain;
        Matrix whole = Matrix::Zero(6, 2);
        whole(0, 1) = gain[0] * 0.5;
        whole(3, 1) = gain[3] * 2.0;
        QCOMPARE(f.array(node("x_C") + "/weight").matrix(), whole);
        Matrix output = Matrix::Zero(2, 2);
        output(0, 1) = 0.5;
        output(1, 1) = 2.0;
        QCOMPARE(f.array(node("q:connection") + "/weight").matrix(), output);
        QCOMPARE(f.array(node("q:slice") + "/weight").matrix(), (Matrix(1, 2) << 0.0, 1.0).finished());
        QCOMPARE(f.array(node("q:synapse") + "/tau").matrix(), constant(1, 0.003));
        QCOMPARE(f.array(node("C") + "/v_leak").matrix(), Matrix(built.ensembles[0].bias));
        QVERIFY(!f.exists(node("C") + "/metadata/label"));  // no label, no metadata entry
    }

    void refractoryPeriodIsRefusedUnlessDropped() {
        QTemporaryDir dir;
        const std::string path = (dir.path() + "/refractory.nir").toStdString();
        const Network net = lifChain(0.002);
        const std::string message = exportMessage(net, path);
        QVERIFY2(message.find("ensemble 'first' (id A): refractory period") != std::string::npos, message.c_str());
        QVERIFY2(message.find("ensemble 'second' (id B): refractory period") != std::string::npos, message.c_str());
        QVERIFY(!std::filesystem::exists(path));

        QCOMPARE(exportMessage(net, path, {true}), std::string());
        const NirFile f(path);
        QCOMPARE(f.array(node("A") + "/metadata/nengo_tau_ref").values, std::vector<double>{0.002});
        QCOMPARE(f.array(node("A") + "/tau").matrix(), constant(20, 0.02));
    }

    void refusalListsEveryInexpressibleObject() {
        Network net = lifChain(0.0);
        net.nodes.push_back(Node{"wave", "carrier", 0, 1, SineWave{}});
        Ensemble sig = lifEnsemble("S", "squash", 10, 0.0);
        sig.neuronType = SigmoidNeurons{};
        net.ensembles.push_back(sig);
        net.connections.push_back(connection("wave_S", {"wave", EndpointKind::Node}, {"S", EndpointKind::Ensemble},
                                             LowpassSynapse{0.005}));
        net.connections[1].learningRule = PesRule{};  // A_B learns
        net.connections.push_back(connection("err", {"B", EndpointKind::Ensemble}, {"A_B", EndpointKind::LearningRule},
                                             LowpassSynapse{0.005}));
        net.probes.push_back(probe("v", "", {"A", EndpointKind::Neurons}, ProbeAttribute::Voltage, std::nullopt));
        QTemporaryDir dir;
        const std::string path = (dir.path() + "/refused.nir").toStdString();
        const std::string message = exportMessage(net, path);

        const std::vector<std::string> expected{"node 'carrier' (id wave): ", "ensemble 'squash' (id S): Sigmoid",
                                                "connection 'A_B' (id A_B): learns online (PES)",
                                                "connection 'err' (id err): carries a learning rule's error",
                                                "probe v: records voltages"};
        std::vector<std::string> lines;
        std::istringstream text(message);
        for (std::string line; std::getline(text, line);) lines.push_back(line);
        QCOMPARE(lines.size(), expected.size() + 1);  // a heading, then one line per object
        QVERIFY2(lines[0].find(std::to_string(expected.size()) + " objects") != std::string::npos, message.c_str());
        for (const auto& e : expected) {
            const bool listed = std::any_of(lines.begin() + 1, lines.end(),
                                            [&](const std::string& l) { return l.find("  " + e) == 0; });
            QVERIFY2(listed, ("not listed: " + e + "\n" + message).c_str());
        }
        QVERIFY(!std::filesystem::exists(path));
    }
};

QTEST_GUILESS_MAIN(NirExportTest)
#include "test_nir_export.moc"
