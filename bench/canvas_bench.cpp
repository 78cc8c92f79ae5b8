// neuroloom-bench-canvas: how responsive the network canvas stays with a
// large graph. Generates 500 objects (nodes, ensembles, probes) and 1000
// connections, auto-lays them out, and prints frame times (mean and worst, ms) of
// a 1600 x 1000 view for panning, zooming and adding an object through the
// undo stack. Runs offscreen unless QT_QPA_PLATFORM says otherwise; a frame
// is one synchronous repaint of the viewport.
#include "editor/auto_layout.h"
#include "editor/graph_scene.h"
#include "editor/graph_view.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QScrollBar>
#include <QUndoStack>

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <functional>
#include <random>
#include <string>

namespace {

constexpr int nodeCount = 100, ensembleCount = 330, probeCount = 70, connectionCount = 1000;
constexpr int framesPerCase = 120;

// "e3" and the like.
std::string indexedId(const char* prefix, int i) { return prefix + std::to_string(i); }

// A deep layered network, as models are built: input nodes feed the first of
// `layers` layers of ensembles; most connections join consecutive layers,
// some skip ahead, some are recurrent or neuron to neuron; probes record the last layers.
core::Project generatedProject(uint64_t seed) {
    constexpr int layers = 11, perLayer = ensembleCount / layers;
    std::mt19937_64 random(seed);
    auto pick = [&](int n) { return static_cast<int>(random() % static_cast<uint64_t>(n)); };
    auto ensemble = [&](int layer, int k) { return indexedId("e", layer * perLayer + k); };
    core::Project project;
    project.network.id = "bench";
    for (int i = 0; i < nodeCount; ++i) {
        core::Node node;
        node.id = indexedId("n", i);
        node.label = node.id;
        core::SineWave wave;
        wave.frequency = 0.5 + i % 5;
        node.output = wave;
        project.network.nodes.push_back(node);
    }
    for (int i = 0; i < layers * perLayer; ++i) {
        core::Ensemble e;
        e.id = indexedId("e", i);
        e.label = e.id;
        e.dimensions = 1 + i % 3;
        project.network.ensembles.push_back(e);
    }
    for (int i = 0; i < connectionCount; ++i) {
        core::Connection c;
        c.id = indexedId("c", i);
        const int kind = pick(20);
        const int layer = pick(layers - 1);
        const int ahead = kind < 2 ? 0 : kind < 4 ? std::min(layers - 1 - layer, 1 + pick(3)) : 1;  // recurrent, skip, next
        const bool neurons = kind == 19;
        const auto face = neurons ? core::EndpointKind::Neurons : core::EndpointKind::Ensemble;
        if (i < nodeCount)
            c.pre = {indexedId("n", i), core::EndpointKind::Node};
        else
            c.pre = {ensemble(layer, pick(perLayer)), face};
        c.post = {ensemble(i < nodeCount ? 0 : layer + ahead, pick(perLayer)), face};
        project.network.connections.push_back(c);
    }
    for (int i = 0; i < probeCount; ++i) {
        core::Probe p;
        p.id = indexedId("p", i);
        p.target = {indexedId("e", layers * perLayer - 1 - i), core::EndpointKind::Ensemble};
        p.attribute = core::ProbeAttribute::DecodedOutput;
        project.network.probes.push_back(p);
    }
    return project;
}

struct FrameTimes {
    double mean = 0.0, worst = 0.0;  // wall clock
    double cpuMean = 0.0;            // this process's CPU time: steadier on a busy machine
};

double cpuMs() { return 1000.0 * static_cast<double>(std::clock()) / CLOCKS_PER_SEC; }

// Runs `step(i)` then repaints the viewport, framesPerCase times.
FrameTimes measure(QGraphicsView& view, const std::function<void(int)>& step) {
    FrameTimes times;
    for (int i = 0; i < framesPerCase; ++i) {
        QElapsedTimer timer;
        timer.start();
        const double cpuStart = cpuMs();
        step(i);
        view.viewport()->repaint();
        const double ms = static_cast<double>(timer.nsecsElapsed()) / 1e6;
        times.mean += ms / framesPerCase;
        times.worst = std::max(times.worst, ms);
        times.cpuMean += (cpuMs() - cpuStart) / framesPerCase;
    }
    return times;
}

void print(const char* what, const FrameTimes& t) {
    std::printf("%-44s %9.2f %9.2f %9.2f\n", what, t.mean, t.worst, t.cpuMean);
    std::fflush(stdout);
}

double elapsedMs(const std::function<void()>& work) {
    QElapsedTimer timer;
    timer.start();
    work();
    return static_cast<double>(timer.nsecsElapsed()) / 1e6;
}

}  // namespace

int main(int argc, char** argv) {
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);

    core::Project project = generatedProject(1);
    const double layoutMs = elapsedMs([&] { project.layout.positions = ui::autoLayout(project.network); });
    ui::GraphModel model;
    ui::GraphScene scene(&model);
    ui::GraphView view(&scene);
    view.resize(1600, 1000);
    view.show();
    QApplication::processEvents();
    const double loadMs = elapsedMs([&] {
        model.setProject(project);
        view.viewport()->repaint();
    });

    std::printf("canvas with %d objects and %d connections, view 1600 x 1000, %d frames per case\n",
                nodeCount + ensembleCount + probeCount, connectionCount, framesPerCase);
    std::printf("auto-layout %.1f ms; scene built and first frame %.1f ms\n\n", layoutMs, loadMs);
    std::printf("%-44s %9s %9s %9s\n", "frame", "mean ms", "max ms", "cpu ms");

    // Back and forth, so the view stays over the graph.
    auto pan = [&](int i) {
        QScrollBar* bar = view.horizontalScrollBar();
        bar->setValue(bar->value() + ((i / 30) % 2 == 0 ? 12 : -12));
    };
    auto zoom = [&](int i) {
        if ((i / 10) % 2 == 0)
            view.zoomIn();
        else
            view.zoomOut();
    };
    view.resetZoom();
    view.centerOn(scene.contentsRect().center());
    print("pan at 100%", measure(view, pan));
    print("zoom around 100%", measure(view, zoom));
    view.fitToContents();
    print("pan with the whole graph in view", measure(view, pan));
    print("zoom with the whole graph in view", measure(view, zoom));

    view.resetZoom();
    view.centerOn(scene.contentsRect().center());
    std::mt19937 random(2);
    const QRectF area = scene.contentsRect();
    print("add an ensemble (AddObjectsCommand)", measure(view, [&](int) {
              const QPointF at(area.left() + random() % static_cast<unsigned>(area.width()),
                               area.top() + random() % static_cast<unsigned>(area.height()));
              scene.addObject(ui::PaletteEntry::Ensemble, at);
          }));
    print("undo an addition", measure(view, [&](int) { model.undoStack()->undo(); }));
    // For looking at it: NEUROLOOM_SCREENSHOT_DIR=/tmp neuroloom-bench-canvas
    if (const QString dir = qEnvironmentVariable("NEUROLOOM_SCREENSHOT_DIR"); !dir.isEmpty()) {
        view.fitToContents();
        view.grab().save(dir + "/canvas_bench_fit.png");
        view.resetZoom();
        view.centerOn(scene.contentsRect().center());
        view.grab().save(dir + "/canvas_bench_100.png");
    }
    return 0;
}
