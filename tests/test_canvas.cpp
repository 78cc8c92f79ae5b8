// The network canvas: items follow the model, edits made with the mouse are
// undoable commands, clipboard copies remap ids, auto-layout goes left to right.
#include "editor/auto_layout.h"
#include "editor/clipboard.h"
#include "editor/edit_commands.h"
#include "editor/graph_scene.h"
#include "editor/graph_view.h"
#include "editor/object_factory.h"
#include "editor/palette.h"
#include "io/examples.h"
#include "io/project.h"
#include "random_network.h"

#include <QMimeData>
#include <QUndoStack>
#include <QtTest>

#include <filesystem>
#include <random>

using namespace ui;
using K = core::EndpointKind;

namespace {

// A model with a scene and a shown view over it.
struct Canvas {
    GraphModel model;
    GraphScene scene{&model};
    GraphView view{&scene};

    explicit Canvas(core::Project project) {
        model.setProject(std::move(project));
        view.resize(1000, 640);
        view.show();
        view.centerOn(0, 0);
    }
    QPoint at(QPointF scenePos) const { return view.mapFromScene(scenePos); }
    QPointF port(const std::string& id, K face, PortSide side) const {
        return scene.objectItem(id)->attachPoint(face, side);
    }
    // Presses at `from`, moves there in steps, releases: a mouse drag in the viewport.
    void drag(QPointF from, QPointF to) {
        QWidget* vp = view.viewport();
        QTest::mousePress(vp, Qt::LeftButton, {}, at(from));
        for (int i = 1; i <= 4; ++i) QTest::mouseMove(vp, at(from + (to - from) * i / 4.0));
        QTest::mouseRelease(vp, Qt::LeftButton, {}, at(to));
    }
};

template <class T>
T named(const std::string& id) {
    T object;
    object.id = id;
    object.label = id;
    return object;
}

core::Connection connection(const std::string& id, core::Endpoint pre, core::Endpoint post) {
    auto c = named<core::Connection>(id);
    c.pre = std::move(pre);
    c.post = std::move(post);
    return c;
}

// A sine source, an ensemble and a constant, placed.
core::Project sourceAndEnsemble() {
    core::Project p;
    p.network.id = "net";
    auto source = named<core::Node>("source");
    source.output = core::SineWave{};
    p.network.nodes = {source, named<core::Node>("constant")};
    auto ens = named<core::Ensemble>("ens");
    ens.dimensions = 2;
    p.network.ensembles = {ens};
    p.layout.positions = {{"source", {-200, 0}}, {"ens", {100, 0}}, {"constant", {100, 200}}};
    return p;
}

int placeableCount(const core::Network& net) {
    int n = static_cast<int>(net.nodes.size() + net.ensembles.size() + net.probes.size() + net.subnetworks.size());
    for (const auto& s : net.subnetworks) n += placeableCount(s);
    return n;
}

int connectionCount(const core::Network& net) {
    int n = static_cast<int>(net.connections.size());
    for (const auto& s : net.subnetworks) n += connectionCount(s);
    return n;
}

template <class T>
int itemsOfType(const QGraphicsScene& scene) {
    int n = 0;
    for (QGraphicsItem* item : scene.items()) n += qgraphicsitem_cast<T*>(item) ? 1 : 0;
    return n;
}

std::vector<core::Connection> connectionsOf(const GraphModel& model) {
    std::vector<core::Connection> out;
    for (const std::string& id : model.objectIds())
        if (model.kind(id) == ObjectKind::Connection) out.push_back(std::get<core::Connection>(*model.object(id)));
    return out;
}

// "n3" and the like (built this way: GCC 12 warns falsely, -Wrestrict, about "n" + std::to_string(i)).
std::string indexedId(const char* prefix, int i) {
    std::string id = prefix;
    id += std::to_string(i);
    return id;
}

QRectF boxAt(core::Point centre, core::Point size) {
    return {centre.x - size.x / 2, centre.y - size.y / 2, size.x, size.y};
}

}  // namespace

class CanvasTest : public QObject {
    Q_OBJECT
private slots:
    void everyObjectAndConnectionHasOneItem() {
        std::vector<core::Project> projects;
        for (const std::string& file : core::exampleFiles(core::examplesDirectory(""))) projects.push_back(core::loadProject(file));
        QVERIFY(projects.size() >= 6);
        core::Project random;
        random.network = randomNetwork(7);  // every feature: subnetwork, PES, probes of every kind
        projects.push_back(random);
        for (const core::Project& project : projects) {
            Canvas c(project);
            QCOMPARE(itemsOfType<ObjectItem>(c.scene), placeableCount(project.network));
            QCOMPARE(itemsOfType<ConnectionItem>(c.scene), connectionCount(project.network));
            for (const std::string& id : c.model.objectIds()) {
                const bool isConnection = c.model.kind(id) == ObjectKind::Connection;
                QVERIFY2(isConnection ? c.scene.edgeItem(id) != nullptr : c.scene.objectItem(id) != nullptr, id.c_str());
            }
            for (const auto& conn : connectionsOf(c.model)) {
                const EdgeItem* edge = c.scene.edgeItem(conn.id);
                QVERIFY2(edge->isVisible(), conn.id.c_str());
                QVERIFY(edge->from() != edge->to() || conn.pre.id == conn.post.id);
            }
        }
    }

    void draggingFromAnOutputToAnInputConnectsAndUndoRemovesIt() {
        Canvas c(sourceAndEnsemble());
        QUndoStack* undo = c.model.undoStack();
        c.drag(c.port("source", K::Node, PortSide::Out), c.port("ens", K::Ensemble, PortSide::In));
        QCOMPARE(undo->count(), 1);
        auto added = connectionsOf(c.model);
        QCOMPARE(added.size(), size_t(1));
        QCOMPARE(added[0].pre, (core::Endpoint{"source", K::Node}));
        QCOMPARE(added[0].post, (core::Endpoint{"ens", K::Ensemble}));
        QCOMPARE(added[0].synapse, core::OptionalSynapse(core::LowpassSynapse{0.005}));
        const EdgeItem* edge = c.scene.edgeItem(added[0].id);
        QVERIFY(edge && edge->isVisible());
        QCOMPARE(edge->to(), c.port("ens", K::Ensemble, PortSide::In));

        undo->undo();
        QVERIFY(connectionsOf(c.model).empty());
        QCOMPARE(c.scene.edgeItem(added[0].id), nullptr);
        QCOMPARE(itemsOfType<ConnectionItem>(c.scene), 0);
    }

    void neuronPortsMakeNeuronConnectionsAndNodesWithoutInputRefuse() {
        Canvas c(sourceAndEnsemble());
        QSignalSpy messages(&c.scene, &GraphScene::statusMessage);
        // Ensemble neurons out to its own neurons in: a recurrent neuron connection.
        c.drag(c.port("ens", K::Neurons, PortSide::Out), c.port("ens", K::Neurons, PortSide::In));
        auto added = connectionsOf(c.model);
        QCOMPARE(added.size(), size_t(1));
        QCOMPARE(added[0].pre, (core::Endpoint{"ens", K::Neurons}));
        QCOMPARE(added[0].post, (core::Endpoint{"ens", K::Neurons}));
        QVERIFY(c.scene.edgeItem(added[0].id)->isVisible());

        // A constant takes no input: dropping on it adds nothing and says why.
        messages.clear();
        c.drag(c.port("source", K::Node, PortSide::Out), c.scene.objectItem("constant")->pos());
        QCOMPARE(connectionsOf(c.model).size(), size_t(1));
        QVERIFY(!messages.isEmpty());
        QVERIFY(messages.last().at(0).toString().contains("takes no input"));
    }

    void movingAnItemIsOneSnappedUndoableCommand() {
        Canvas c(core::loadProject(core::examplesDirectory("") + "/product.nlproj"));
        QUndoStack* undo = c.model.undoStack();
        ObjectItem* item = c.scene.objectItem("combined");
        const QPointF start = item->pos(), header = start + QPointF(0, -30);
        c.drag(header, header + QPointF(53, 27));
        QCOMPARE(undo->count(), 1);
        QCOMPARE(item->pos(), QPointF(-20, 20));  // (-27, 27) on the 20 px grid
        QCOMPARE(*c.model.position("combined"), (core::Point{-20, 20}));
        // The connections followed the box.
        QCOMPARE(c.scene.edgeItem("multiply")->from(), item->attachPoint(K::Ensemble, PortSide::Out));

        undo->undo();
        QCOMPARE(*c.model.position("combined"), (core::Point{start.x(), start.y()}));
        QCOMPARE(item->pos(), start);
        QCOMPARE(c.scene.edgeItem("multiply")->from(), item->attachPoint(K::Ensemble, PortSide::Out));

        c.scene.setSnapToGrid(false);
        c.drag(header, header + QPointF(53, 27));
        QCOMPARE(item->pos(), start + QPointF(53, 27));

        // A probe's link follows the probe.
        const ObjectItem* probe = c.scene.objectItem("p_result");
        c.drag(probe->pos() + QPointF(0, -12), probe->pos() + QPointF(60, 80));
        QCOMPARE(c.scene.edgeItem("p_result")->to(), probe->attachPoint(K::Node, PortSide::In));
    }

    void pasteGivesFreshIdsAndRemapsInternalConnections() {
        Canvas c(core::loadProject(core::examplesDirectory("") + "/product.nlproj"));
        const core::Project before = c.model.project();
        const auto idsBefore = c.model.objectIds();
        c.scene.selectOnly({"a", "combined"});
        c.scene.copySelection();
        c.scene.paste();
        QCOMPARE(c.model.undoStack()->count(), 1);

        std::map<std::string, std::string> copyOf;  // original -> copy, by what the copies are
        std::vector<core::Connection> pastedConnections;
        for (const std::string& id : c.model.objectIds()) {
            if (std::find(idsBefore.begin(), idsBefore.end(), id) != idsBefore.end()) continue;
            const auto object = *c.model.object(id);
            if (const auto* n = std::get_if<core::Node>(&object)) copyOf["a"] = n->id;
            if (const auto* e = std::get_if<core::Ensemble>(&object)) copyOf["combined"] = e->id;
            if (const auto* p = std::get_if<core::Connection>(&object)) pastedConnections.push_back(*p);
            if (const auto* p = std::get_if<core::Probe>(&object)) {
                copyOf["p_a"] = p->id;
                copyOf["p_a target"] = p->target.id;
            }
        }
        QCOMPARE(copyOf.size(), size_t(4));
        QCOMPARE(pastedConnections.size(), size_t(1));  // a_in; b_in and multiply reach outside
        QCOMPARE(pastedConnections[0].pre.id, copyOf["a"]);
        QCOMPARE(pastedConnections[0].post.id, copyOf["combined"]);
        QCOMPARE(pastedConnections[0].postSlice, (core::Slice{{0}}));
        QCOMPARE(copyOf["p_a target"], copyOf["a"]);
        QCOMPARE(*c.model.position(copyOf["a"]), (core::Point{-300 + 40, -60 + 40}));
        // The copies are what is selected now, and they are drawn.
        auto selected = c.scene.selectedIds();
        QCOMPARE(selected.size(), size_t(4));
        QVERIFY(c.scene.edgeItem(pastedConnections[0].id)->isVisible());

        // A second paste numbers on and moves further.
        c.scene.paste();
        QCOMPARE(c.model.objectIds().size(), idsBefore.size() + 8);

        c.model.undoStack()->undo();
        c.model.undoStack()->undo();
        QVERIFY(c.model.project() == before);

        // Cut takes the selection and what attaches to it; undo brings it back.
        c.scene.selectOnly({"b"});
        c.scene.cutSelection();
        QVERIFY(!c.model.contains("b") && !c.model.contains("b_in") && !c.model.contains("p_b"));
        QVERIFY(c.scene.canPaste());
        c.model.undoStack()->undo();
        QVERIFY(c.model.project() == before);
    }

    void copiedObjectsArePlainValues() {
        GraphModel model;
        model.setProject(core::loadProject(core::examplesDirectory("") + "/product.nlproj"));
        // A connection copied on its own keeps pointing at the originals.
        const CopiedObjects alone = copyObjects(model, {"multiply"});
        const auto placed = pasteObjects(alone, model, "", {0, 0});
        QCOMPARE(placed.size(), size_t(1));
        const auto& conn = std::get<core::Connection>(placed[0].object);
        QCOMPARE(conn.pre.id, std::string("combined"));
        QVERIFY(conn.id != "multiply" && !model.contains(conn.id));
    }

    void autoLayoutPutsEveryPreLeftOfItsPost() {
        std::mt19937 random(11);
        core::Network net;
        for (int i = 0; i < 30; ++i) {
            if (i % 3 == 0)
                net.nodes.push_back(named<core::Node>(indexedId("n", i)));
            else
                net.ensembles.push_back(named<core::Ensemble>(indexedId("n", i)));
        }
        auto kindOf = [](int i) { return i % 3 == 0 ? K::Node : K::Ensemble; };
        for (int k = 0; k < 60; ++k) {
            int a = static_cast<int>(random() % 30), b = static_cast<int>(random() % 30);
            if (a == b) continue;
            if (a > b) std::swap(a, b);
            net.connections.push_back(connection(indexedId("c", k), {indexedId("n", a), kindOf(a)}, {indexedId("n", b), kindOf(b)}));
        }
        auto probe = named<core::Probe>("probe");
        probe.target = {"n29", kindOf(29)};
        net.probes.push_back(probe);

        const auto at = autoLayout(net);
        QCOMPARE(static_cast<int>(at.size()), placeableCount(net));
        for (const auto& c : net.connections)
            QVERIFY2(at.at(c.pre.id).x < at.at(c.post.id).x, c.id.c_str());
        QVERIFY(at.at("n29").x < at.at("probe").x);
        std::vector<QRectF> boxes;
        for (const auto& n : net.nodes) boxes.push_back(boxAt(at.at(n.id), BoxSizes::node));
        for (const auto& e : net.ensembles) boxes.push_back(boxAt(at.at(e.id), BoxSizes::ensemble));
        for (size_t i = 0; i < boxes.size(); ++i)
            for (size_t j = i + 1; j < boxes.size(); ++j) QVERIFY(!boxes[i].intersects(boxes[j]));
    }

    void autoLayoutIgnoresEdgesClosingCyclesAndKeepsSubnetworksTogether() {
        core::Network net;
        net.ensembles = {named<core::Ensemble>("a"), named<core::Ensemble>("b"), named<core::Ensemble>("c")};
        auto sub = named<core::Network>("sub");
        sub.ensembles = {named<core::Ensemble>("x"), named<core::Ensemble>("y")};
        sub.connections = {connection("x_y", {"x", K::Ensemble}, {"y", K::Ensemble})};
        net.subnetworks = {sub};
        net.connections = {connection("a_b", {"a", K::Ensemble}, {"b", K::Ensemble}),
                           connection("b_c", {"b", K::Ensemble}, {"c", K::Ensemble}),
                           connection("c_a", {"c", K::Ensemble}, {"a", K::Ensemble}),  // feedback
                           connection("b_b", {"b", K::Ensemble}, {"b", K::Ensemble}),  // recurrent
                           connection("c_x", {"c", K::Ensemble}, {"x", K::Ensemble})};
        const auto at = autoLayout(net);
        QVERIFY(at.at("a").x < at.at("b").x && at.at("b").x < at.at("c").x);
        QVERIFY(at.at("c").x < at.at("x").x && at.at("x").x < at.at("y").x);
        // The subnetwork's frame (its children plus padding) stays clear of the others.
        QRectF frame = boxAt(at.at("x"), BoxSizes::ensemble) | boxAt(at.at("y"), BoxSizes::ensemble);
        frame.adjust(-BoxSizes::framePadding, -BoxSizes::framePadding - BoxSizes::frameHeader, BoxSizes::framePadding,
                     BoxSizes::framePadding);
        for (const char* id : {"a", "b", "c"}) QVERIFY(!frame.intersects(boxAt(at.at(id), BoxSizes::ensemble)));
    }

    void objectsWithoutPositionsArePlacedBesideWhatIsThere() {
        const core::Project product = core::loadProject(core::examplesDirectory("") + "/product.nlproj");
        const auto placed = placeUnpositioned(product.network, product.layout.positions);
        QCOMPARE(placed.size(), size_t(3));  // the three probes
        std::vector<QRectF> boxes;
        for (const auto& [id, p] : product.layout.positions)
            boxes.push_back(boxAt(p, id == "a" || id == "b" ? BoxSizes::node : BoxSizes::ensemble));
        for (const auto& [id, p] : placed) {
            const auto& probe = *std::find_if(product.network.probes.begin(), product.network.probes.end(),
                                              [&](const core::Probe& x) { return x.id == id; });
            QVERIFY2(p.x > product.layout.positions.at(probe.target.id).x, id.c_str());  // right of its target
            const QRectF box = boxAt(p, BoxSizes::probe);
            for (const QRectF& other : boxes) QVERIFY2(!box.intersects(other), id.c_str());
            boxes.push_back(box);
        }
        QVERIFY(placeUnpositioned(product.network, [&] {
                    auto all = product.layout.positions;
                    all.insert(placed.begin(), placed.end());
                    return all;
                }()).empty());
    }

    void problemsMarkItemsWithTheirReason() {
        Canvas c(core::loadProject(core::examplesDirectory("") + "/product.nlproj"));
        c.scene.setProblems({{"combined", "receives 3 values where 2 are taken"}, {"multiply", "x3 is not defined"}});
        QCOMPARE(c.scene.objectItem("combined")->problem(), QString("receives 3 values where 2 are taken"));
        QVERIFY(c.scene.objectItem("combined")->toolTip().contains("receives 3 values"));
        QCOMPARE(c.scene.edgeItem("multiply")->problem(), QString("x3 is not defined"));
        QVERIFY(c.scene.objectItem("result")->problem().isEmpty());
        c.scene.setProblems({});
        QVERIFY(c.scene.objectItem("combined")->problem().isEmpty());
        QVERIFY(c.scene.edgeItem("multiply")->problem().isEmpty());
    }

    void collapsedSubnetworksShowAsOneBoxWithConnectionsOnTheirBorder() {
        core::Project p;
        p.network.id = "top";
        p.network.nodes = {named<core::Node>("source")};
        auto sub = named<core::Network>("sub");
        sub.ensembles = {named<core::Ensemble>("inner")};
        p.network.subnetworks = {sub};
        p.network.connections = {connection("source_inner", {"source", K::Node}, {"inner", K::Ensemble})};
        p.layout.positions = {{"source", {-200, 0}}, {"inner", {100, 0}}, {"sub", {100, 0}}};
        Canvas c(p);
        const core::Project before = c.model.project();
        QVERIFY(c.scene.objectItem("sub")->isFrame());
        QVERIFY(c.scene.objectItem("sub")->sceneBoundingRect().contains(c.scene.objectItem("inner")->sceneBoundingRect()));
        QCOMPARE(c.scene.edgeItem("source_inner")->to(), c.port("inner", K::Ensemble, PortSide::In));

        // Dragging the frame by its header takes the contents along, in one command.
        const QRectF frame = c.scene.objectItem("sub")->mapRectToScene(c.scene.objectItem("sub")->boxRect());
        const QPointF header(frame.left() + 60, frame.top() + 12);
        c.drag(header, header + QPointF(40, 20));
        QCOMPARE(c.model.undoStack()->count(), 1);
        QCOMPARE(*c.model.position("sub"), (core::Point{140, 20}));
        QCOMPARE(*c.model.position("inner"), (core::Point{140, 20}));
        QCOMPARE(c.scene.edgeItem("source_inner")->to(), c.port("inner", K::Ensemble, PortSide::In));
        c.model.undoStack()->undo();
        QCOMPARE(c.scene.objectItem("inner")->pos(), QPointF(100, 0));

        c.scene.setCollapsed("sub", true);
        QVERIFY(c.model.project().layout.collapsed.count("sub"));
        const ObjectItem* box = c.scene.objectItem("sub");
        QVERIFY(!box->isFrame());
        QVERIFY(!c.scene.objectItem("inner")->isVisible());
        QVERIFY(c.scene.edgeItem("source_inner")->isVisible());
        QCOMPARE(c.scene.edgeItem("source_inner")->to(), box->borderPoint(PortSide::In));
        c.scene.setProblems({{"inner", "nothing reaches it"}});
        QVERIFY(box->problem().contains("nothing reaches it"));
        QVERIFY(box->problem().contains("inner"));

        c.model.undoStack()->undo();
        QVERIFY(c.model.project() == before);
        QVERIFY(c.scene.objectItem("sub")->isFrame());
        QVERIFY(c.scene.objectItem("inner")->isVisible());
        QCOMPARE(c.scene.edgeItem("source_inner")->to(), c.port("inner", K::Ensemble, PortSide::In));
    }

    void groupingIsFollowedItemByItem() {
        Canvas c(core::loadProject(core::examplesDirectory("") + "/product.nlproj"));
        const core::Project before = c.model.project();
        core::Network group;
        group.id = "g";
        group.label = "multiplier";
        c.model.undoStack()->push(new GroupCommand(&c.model, {"combined", "result", "multiply"}, group, {0, 0}));
        const ObjectItem* frame = c.scene.objectItem("g");
        QVERIFY(frame && frame->isFrame());
        for (const char* inside : {"combined", "result"})
            QVERIFY(frame->sceneBoundingRect().contains(c.scene.objectItem(inside)->sceneBoundingRect()));
        QCOMPARE(c.scene.edgeItem("a_in")->to(), c.port("combined", K::Ensemble, PortSide::In));
        c.scene.setCollapsed("g", true);
        QCOMPARE(c.scene.edgeItem("a_in")->to(), c.scene.objectItem("g")->borderPoint(PortSide::In));
        QCOMPARE(c.scene.edgeItem("p_result")->from(), c.scene.objectItem("g")->borderPoint(PortSide::Out));
        QVERIFY(!c.scene.edgeItem("multiply")->isVisible());  // both ends inside
        c.model.undoStack()->undo();
        c.model.undoStack()->undo();
        QVERIFY(c.model.project() == before);
        QCOMPARE(c.scene.objectItem("g"), nullptr);
        QCOMPARE(itemsOfType<ObjectItem>(c.scene), placeableCount(before.network));
        QVERIFY(c.scene.edgeItem("multiply")->isVisible());
    }

    void droppingPaletteEntriesAddsObjectsAndProbesNeedATarget() {
        Canvas c(sourceAndEnsemble());
        QSignalSpy messages(&c.scene, &GraphScene::statusMessage);
        auto drop = [&](const char* key, QPointF scenePos) {
            QMimeData data;
            data.setData(paletteMimeType, key);
            const QPoint at = c.at(scenePos);
            QDragEnterEvent enter(at, Qt::CopyAction, &data, Qt::LeftButton, Qt::NoModifier);
            QApplication::sendEvent(c.view.viewport(), &enter);
            QDragMoveEvent move(at, Qt::CopyAction, &data, Qt::LeftButton, Qt::NoModifier);
            QApplication::sendEvent(c.view.viewport(), &move);
            QDropEvent dropped(at, Qt::CopyAction, &data, Qt::LeftButton, Qt::NoModifier);
            QApplication::sendEvent(c.view.viewport(), &dropped);
        };
        const size_t count = c.model.objectIds().size();
        drop("ensemble", {-195, 305});
        QCOMPARE(c.model.objectIds().size(), count + 1);
        QCOMPARE(*c.model.position("ensemble_1"), (core::Point{-200, 300}));
        QCOMPARE(c.model.object("ensemble_1").has_value(), true);
        QCOMPARE(labelOf(*c.model.object("ensemble_1")), std::string("ensemble 1"));

        drop("probe", {-400, -300});  // on nothing
        QCOMPARE(c.model.objectIds().size(), count + 1);
        QVERIFY(messages.last().at(0).toString().contains("Drop a probe onto"));

        drop("probe", c.scene.objectItem("ens")->pos());
        const auto probe = std::get<core::Probe>(*c.model.object("probe_1"));
        QCOMPARE(probe.target, (core::Endpoint{"ens", K::Ensemble}));
        QCOMPARE(probe.attribute, core::ProbeAttribute::DecodedOutput);
        QVERIFY(c.scene.edgeItem("probe_1")->isVisible());
    }

    void keysAddObjectsAtTheCursor() {
        Canvas c(sourceAndEnsemble());
        c.view.setFocus();
        auto pressAt = [&](Qt::Key key, QPointF scenePos) {
            QTest::mouseMove(c.view.viewport(), c.at(scenePos));  // no button: moves the cursor
            QTest::keyClick(&c.view, key);
        };
        const size_t count = c.model.objectIds().size();
        pressAt(Qt::Key_E, {-200, 300});
        pressAt(Qt::Key_N, {-200, -200});
        QCOMPARE(c.model.objectIds().size(), count + 2);
        QCOMPARE(c.model.kind("ensemble_1"), std::optional(ObjectKind::Ensemble));
        QCOMPARE(*c.model.position("ensemble_1"), (core::Point{-200, 300}));
        QCOMPARE(c.model.kind("constant_1"), std::optional(ObjectKind::Node));
        // P probes what is under the cursor, else the selected object.
        pressAt(Qt::Key_P, c.scene.objectItem("ens")->pos());
        QCOMPARE(std::get<core::Probe>(*c.model.object("probe_1")).target, (core::Endpoint{"ens", K::Ensemble}));
        c.scene.selectOnly({"source"});
        pressAt(Qt::Key_P, {-400, -300});
        QCOMPARE(std::get<core::Probe>(*c.model.object("probe_2")).target, (core::Endpoint{"source", K::Node}));
        c.model.undoStack()->undo();
        QVERIFY(!c.model.contains("probe_2"));
    }

    void selectAllContextMenuAndSparkline() {
        Canvas c(core::loadProject(core::examplesDirectory("") + "/product.nlproj"));
        c.scene.selectAllObjects();
        QCOMPARE(c.scene.selectedIds().size(), c.model.objectIds().size());  // every object and connection

        c.scene.clearSelection();
        QSignalSpy menus(&c.scene, &GraphScene::contextMenuRequested);
        const QPoint at = c.at(c.scene.objectItem("result")->pos());
        QContextMenuEvent event(QContextMenuEvent::Mouse, at, c.view.viewport()->mapToGlobal(at));
        QApplication::sendEvent(c.view.viewport(), &event);
        QCOMPARE(menus.count(), 1);
        QCOMPARE(qvariant_cast<std::string>(menus.at(0).at(0)), std::string("result"));
        QCOMPARE(c.scene.selectedIds(), std::vector<std::string>{"result"});

        ObjectItem* item = c.scene.objectItem("result");
        const qreal height = item->boxRect().height();
        QPainterPath trace;
        trace.moveTo(0, item->sparklineSize().height());
        trace.lineTo(item->sparklineSize().width(), 0);
        item->setSparkline(trace);
        QVERIFY(item->hasSparkline() && item->boxRect().height() > height);
        item->setSparkline({});
        QCOMPARE(item->boxRect().height(), height);
    }

    void arrangingIsOneUndoableMove() {
        core::Project random;
        random.network = randomNetwork(3);
        Canvas c(random);
        c.scene.arrangeAll();
        QCOMPARE(c.model.undoStack()->count(), 1);
        const auto laid = autoLayout(random.network);
        QCOMPARE(c.model.project().layout.positions, laid);
        for (const auto& [id, p] : laid)
            if (ObjectItem* item = c.scene.objectItem(id)) QCOMPARE(item->pos(), QPointF(p.x, p.y));
        c.model.undoStack()->undo();
        QVERIFY(c.model.project().layout.positions.empty());
    }

    void paletteOffersEveryEntryAsDragData() {
        Palette palette;
        int entries = 0;
        for (int row = 0; row < palette.count(); ++row) {
            QListWidgetItem* item = palette.item(row);
            const auto entry = Palette::entryOf(item);
            if (!entry) continue;
            ++entries;
            std::unique_ptr<QMimeData> data(palette.model()->mimeData({palette.indexFromItem(item)}));
            QCOMPARE(paletteEntryFromKey(data->data(paletteMimeType).toStdString()), entry);
        }
        QCOMPARE(entries, static_cast<int>(paletteEntries().size()));
    }

    void viewZoomsAroundTheCursorFitsAndShowsAMinimapOnRequest() {
        Canvas c(core::loadProject(core::examplesDirectory("") + "/product.nlproj"));
        const QPoint at = c.at(c.scene.objectItem("result")->pos());
        const QPointF under = c.view.mapToScene(at);
        QWheelEvent wheel(at, c.view.viewport()->mapToGlobal(at), {}, {0, 120}, Qt::NoButton, Qt::NoModifier,
                          Qt::NoScrollPhase, false);
        QApplication::sendEvent(c.view.viewport(), &wheel);
        QVERIFY(c.view.zoom() > 1.1);
        QVERIFY(QLineF(c.view.mapToScene(at), under).length() < 2);

        c.view.fitToContents();
        const QRectF visible = c.view.mapToScene(c.view.viewport()->rect()).boundingRect();
        for (const ObjectItem* item : c.scene.objectItems()) QVERIFY(visible.contains(item->sceneBoundingRect()));

        QVERIFY(!c.view.minimap()->isVisible());  // a small graph
        c.view.setMinimapMode(GraphView::MinimapMode::Shown);
        QVERIFY(c.view.minimap()->isVisible());
    }

    void paletteDefaultsAreValidModels() {
        GraphModel model;
        core::Project project;
        project.network.id = "net";
        model.setProject(project);
        std::vector<PlacedObject> all;
        for (const PaletteEntryInfo& info : paletteEntries())
            if (info.entry != PaletteEntry::Probe) {
                all.push_back(makeDefault(info.entry, model, {0, 0}, ""));
                model.insert(all.back());
            }
        model.insert(makeProbe(model, {"ensemble_1", K::Ensemble}, {0, 0}, ""));
        // The builder's checks, through the project file.
        const core::Project loaded = core::projectFromJson(core::projectToJson(model.project()), "defaults.nlproj");
        QCOMPARE(placeableCount(loaded.network), static_cast<int>(paletteEntries().size()));
    }

    void screenshotOfExamples() {
        const QString dir = qEnvironmentVariable("NEUROLOOM_SCREENSHOT_DIR");
        if (dir.isEmpty()) QSKIP("set NEUROLOOM_SCREENSHOT_DIR to save pictures of the canvas");
        for (const char* name : {"product", "integrator_2d", "pes_learning"}) {
            Canvas c(core::loadProject(core::examplesDirectory("") + "/" + name + ".nlproj"));
            c.view.resize(1100, 560);
            c.view.fitToContents();
            QVERIFY(c.view.grab().save(dir + "/canvas_" + name + ".png"));
        }
        core::Project random;  // nothing placed: auto-layout, a subnetwork, a learning rule
        random.network = randomNetwork(7);
        Canvas c(random);
        c.view.resize(1100, 700);
        c.view.fitToContents();
        QVERIFY(c.view.grab().save(dir + "/canvas_random.png"));

        Canvas grouped(core::loadProject(core::examplesDirectory("") + "/product.nlproj"));
        core::Network group;
        group.id = "g";
        group.label = "multiplier";
        grouped.model.undoStack()->push(new GroupCommand(&grouped.model, {"combined", "result", "multiply"}, group, {40, 0}));
        grouped.view.resize(1100, 560);
        grouped.view.fitToContents();
        QVERIFY(grouped.view.grab().save(dir + "/canvas_group_expanded.png"));
        grouped.scene.setCollapsed("g", true);
        QVERIFY(grouped.view.grab().save(dir + "/canvas_group_collapsed.png"));
    }
};

QTEST_MAIN(CanvasTest)
#include "test_canvas.moc"
