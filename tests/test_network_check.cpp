// checkNetwork lists every problem build() would meet, with build()'s own
// messages, and blames only the broken objects, not what attaches to them.
#include "build/builder.h"
#include "io/examples.h"
#include "io/project.h"
#include "random_network.h"

#include <QtTest>

using namespace core;

namespace {

// The ways an edit can break one object, each applied to a valid network.
using Breakage = std::function<std::string(Network&)>;  // returns the broken object's id

std::vector<std::pair<const char*, Breakage>> breakages() {
    return {
        {"negative neurons", [](Network& n) { n.ensembles.at(0).nNeurons = -3; return n.ensembles[0].id; }},
        {"zero radius", [](Network& n) { n.ensembles.at(0).radius = 0.0; return n.ensembles[0].id; }},
        {"bad node expression",
         [](Network& n) {
             Node& node = n.nodes.at(0);
             node.output = ExpressionOutput{std::vector<std::string>(node.sizeOut, "sin(t")};
             node.sizeIn = 0;
             return node.id;
         }},
        {"dangling post",
         [](Network& n) { n.connections.at(0).post.id = "nowhere"; return n.connections[0].id; }},
        {"transform shape",
         [](Network& n) {
             n.connections.at(0).transform = std::vector<double>(7, 1.0);
             return n.connections[0].id;
         }},
        {"probe on nothing", [](Network& n) { n.probes.at(0).target.id = "nowhere"; return n.probes[0].id; }},
    };
}

std::vector<Network> networks() {
    std::vector<Network> all;
    for (const std::string& f : exampleFiles(examplesDirectory(""))) all.push_back(loadProject(f).network);
    for (uint64_t seed = 1; seed <= 20; ++seed) all.push_back(randomNetwork(seed));
    return all;
}

}  // namespace

class NetworkCheckTest : public QObject {
    Q_OBJECT
private slots:
    void validNetworksHaveNoProblems() {
        for (const Network& n : networks()) {
            const auto problems = checkNetwork(n);
            if (!problems.empty()) qWarning() << problems.front().error.what();
            QVERIFY(problems.empty());
        }
    }

    // The check's problem for a broken object is exactly the error build() throws.
    void sameErrorsAsBuild() {
        int compared = 0;
        for (const Network& valid : networks()) {
            for (const auto& [what, breakIt] : breakages()) {
                Network n = valid;
                std::string id;
                try {
                    id = breakIt(n);
                } catch (const std::out_of_range&) {
                    continue;  // this network has no object of that kind at the top
                }
                std::optional<Error> thrown;
                try {
                    build(n);
                } catch (const Error& e) {
                    thrown = e;
                }
                const auto problems = checkNetwork(n);
                if (!thrown) {
                    // The breakage happened to be harmless here (e.g. a
                    // transform that already fit); the check must agree.
                    QVERIFY2(problems.empty(), what);
                    continue;
                }
                QVERIFY2(!problems.empty(), what);
                const auto it = std::find_if(problems.begin(), problems.end(), [&](const BuildProblem& p) {
                    return p.error.message() == thrown->message() && p.error.object() == thrown->object() &&
                           p.error.field() == thrown->field();
                });
                QVERIFY2(it != problems.end(), (std::string(what) + ": " + thrown->what()).c_str());
                ++compared;
            }
        }
        QVERIFY(compared > 50);
    }

    void listsEveryProblemButNotTheirDependents() {
        const Network valid = loadProject(examplesDirectory("") + "/communication_channel.nlproj").network;
        Network n = valid;
        n.ensembles.at(0).nNeurons = 0;     // broken: connections from it are not blamed
        n.probes.back().target.id = "nowhere";
        const auto problems = checkNetwork(n);
        QCOMPARE(problems.size(), size_t(2));
        QCOMPARE(problems[0].objectId, n.ensembles[0].id);
        QCOMPARE(problems[0].error.field(), std::string("n_neurons"));
        QCOMPARE(problems[1].objectId, n.probes.back().id);
        QCOMPARE(problems[1].error.field(), std::string("target"));
    }

    void loopsWithoutSynapseAreANetworkProblem() {
        Network n;
        n.id = "net";
        Node a{"a", "a", 1, 1, PassthroughOutput{}}, b{"b", "b", 1, 1, PassthroughOutput{}};
        n.nodes = {a, b};
        Connection ab, ba;
        ab.id = "ab";
        ab.pre = {"a", EndpointKind::Node};
        ab.post = {"b", EndpointKind::Node};
        ab.synapse = std::nullopt;
        ba = ab;
        ba.id = "ba";
        std::swap(ba.pre.id, ba.post.id);
        n.connections = {ab, ba};
        const auto problems = checkNetwork(n);
        QCOMPARE(problems.size(), size_t(1));
        QVERIFY(problems[0].objectId.empty());
        QVERIFY(std::string(problems[0].error.message()).find("loop") != std::string::npos);
    }
};

QTEST_MAIN(NetworkCheckTest)
#include "test_network_check.moc"
