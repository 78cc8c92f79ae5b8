// The editor's graph model and its undo commands: every command undoes and
// redoes to an identical project, on every example and on random networks.
#include "editor/edit_commands.h"
#include "editor/graph_model.h"
#include "io/examples.h"
#include "io/project.h"
#include "random_network.h"

#include <QSignalSpy>
#include <QUndoStack>
#include <QtTest>

#include <random>

using namespace ui;

namespace {

core::Project example(const std::string& name) {
    return core::loadProject(core::examplesDirectory("") + "/" + name + ".nlproj");
}

std::vector<core::Project> projects() {
    std::vector<core::Project> all;
    for (const std::string& file : core::exampleFiles(core::examplesDirectory(""))) all.push_back(core::loadProject(file));
    for (uint64_t seed = 1; seed <= 12; ++seed) {
        core::Project p;
        p.network = randomNetwork(seed);
        GraphModel model;
        model.setProject(p);
        std::mt19937 rng(seed);
        for (const std::string& id : model.objectIds()) p.layout.positions[id] = {double(rng() % 500), 0.0};
        all.push_back(p);
    }
    return all;
}

// Pushes the command, then checks undo gives `before` back and redo gives the
// state right after the push.
void checkUndoRedo(GraphModel& model, QUndoCommand* command) {
    const core::Project before = model.project();
    model.undoStack()->push(command);
    const core::Project after = model.project();
    QVERIFY(!(after == before));
    model.undoStack()->undo();
    QVERIFY(model.project() == before);
    model.undoStack()->redo();
    QVERIFY(model.project() == after);
    model.undoStack()->undo();
    QVERIFY(model.project() == before);
}

}  // namespace

class GraphModelTest : public QObject {
    Q_OBJECT
private slots:
    void findsObjectsAcrossSubnetworks() {
        GraphModel model;
        model.setProject(example("integrator_2d"));
        const auto ids = model.objectIds();
        QVERIFY(!ids.empty());
        for (const std::string& id : ids) {
            QVERIFY(model.contains(id));
            QVERIFY(model.object(id).has_value());
            QCOMPARE(idOf(*model.object(id)), id);
        }
        QVERIFY(!model.contains("no_such_object"));
        QCOMPARE(model.uniqueId("ensemble").rfind("ensemble_", 0), size_t(0));
        QVERIFY(!model.contains(model.uniqueId("ensemble")));
    }

    void dependentsAreWhatAttaches() {
        GraphModel model;
        model.setProject(example("pes_learning"));
        const core::Network& net = model.project().network;
        // Deleting an ensemble takes every connection and probe touching it,
        // and what touches those in turn (probes on connections, error
        // connections into a learning rule).
        for (const core::Ensemble& e : net.ensembles) {
            const auto deps = model.dependents(e.id);
            for (const core::Connection& c : net.connections) {
                const bool touches = c.pre.id == e.id || c.post.id == e.id;
                if (touches) QVERIFY(std::find(deps.begin(), deps.end(), c.id) != deps.end());
            }
            for (const std::string& d : deps) {
                const auto k = model.kind(d);
                QVERIFY(k == ObjectKind::Connection || k == ObjectKind::Probe);
            }
        }
    }

    void addAndDeleteUndoExactly() {
        for (const core::Project& p : projects()) {
            GraphModel model;
            model.setProject(p);
            const auto ids = model.objectIds();
            for (size_t i = 0; i < ids.size(); i += 3) checkUndoRedo(model, new DeleteObjectsCommand(&model, {ids[i]}));
            if (ids.size() >= 2)
                checkUndoRedo(model, new DeleteObjectsCommand(&model, {ids.front(), ids.back()}));
            core::Node node;
            node.id = model.uniqueId("node");
            node.label = "new input";
            checkUndoRedo(model, new AddObjectsCommand(&model, {{node, {"", -1}, {{{node.id, {40, 60}}}, {}, {}}}},
                                                       "Add node"));
        }
    }

    void deleteRemovesDependentsAndLayout() {
        GraphModel model;
        model.setProject(example("squaring"));
        const std::string ens = model.project().network.ensembles.front().id;
        const auto deps = model.dependents(ens);
        QVERIFY(!deps.empty());
        model.undoStack()->push(new DeleteObjectsCommand(&model, {ens}));
        QVERIFY(!model.contains(ens));
        for (const std::string& d : deps) QVERIFY(!model.contains(d));
        QVERIFY(!model.position(ens).has_value());
        model.undoStack()->undo();
        QVERIFY(model.contains(ens));
        QVERIFY(model.position(ens).has_value());
    }

    void changeMovesAndMerges() {
        for (const core::Project& p : projects()) {
            GraphModel model;
            model.setProject(p);
            for (const std::string& id : model.objectIds()) {
                ModelObject changed = *model.object(id);
                setLabel(changed, labelOf(changed) + " renamed");
                checkUndoRedo(model, new ChangeObjectCommand(&model, changed, "label"));
                const auto before = model.position(id);
                checkUndoRedo(model, new MoveObjectsCommand(&model, {{id, before}}, {{id, core::Point{7, 9}}}));
            }
        }
        // Typing a label letter by letter is one undo step.
        GraphModel model;
        model.setProject(example("squaring"));
        const core::Project original = model.project();
        const std::string id = model.project().network.ensembles.front().id;
        for (const char* text : {"s", "sq", "squ"}) {
            ModelObject o = *model.object(id);
            setLabel(o, text);
            model.undoStack()->push(new ChangeObjectCommand(&model, o, "label"));
        }
        QCOMPARE(model.undoStack()->count(), 1);
        QCOMPARE(labelOf(*model.object(id)), std::string("squ"));
        model.undoStack()->undo();
        QVERIFY(model.project() == original);
    }

    void groupIntoSubnetwork() {
        for (const core::Project& p : projects()) {
            GraphModel model;
            model.setProject(p);
            std::vector<std::string> top;
            for (const core::Ensemble& e : model.project().network.ensembles) top.push_back(e.id);
            for (const core::Node& n : model.project().network.nodes) top.push_back(n.id);
            if (top.empty() || !canGroup(model, top)) continue;
            const size_t objects = model.objectIds().size();
            core::Network group;
            group.id = model.uniqueId("group");
            group.label = "group";
            checkUndoRedo(model, new GroupCommand(&model, top, group, {100, 100}));
            model.undoStack()->redo();
            for (const std::string& id : top) QCOMPARE(*model.parentOf(id), group.id);
            QCOMPARE(model.objectIds().size(), objects + 1);
        }
    }

    void projectSettingsUndo() {
        GraphModel model;
        model.setProject(example("squaring"));
        auto settings = ChangeProjectSettingsCommand::Settings{"New title", "text", {0.002, 3.0}, std::nullopt};
        checkUndoRedo(model, new ChangeProjectSettingsCommand(&model, settings, "Change settings"));
    }

    void signalsFollowEdits() {
        GraphModel model;
        model.setProject(example("squaring"));
        QSignalSpy added(&model, &GraphModel::objectAdded), removed(&model, &GraphModel::objectRemoved),
            changed(&model, &GraphModel::objectChanged);
        const std::string ens = model.project().network.ensembles.front().id;
        const size_t gone = 1 + model.dependents(ens).size();
        model.undoStack()->push(new DeleteObjectsCommand(&model, {ens}));
        QCOMPARE(size_t(removed.count()), gone);
        model.undoStack()->undo();
        QCOMPARE(size_t(added.count()), gone);
        QCOMPARE(changed.count(), 0);
    }
};

QTEST_MAIN(GraphModelTest)
#include "test_graph_model.moc"
