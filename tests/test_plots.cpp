// The live plots: each kind draws the window of its series it should, the
// slider drives its node, the docks follow a running simulation, and
// pictures and data export to files that read back.
#include "common/error.h"
#include "io/examples.h"
#include "io/npy.h"
#include "io/project.h"
#include "plots/plot_dock.h"
#include "plots/plot_export.h"
#include "plots/sparkline.h"
#include "plots/spike_raster.h"
#include "plots/value_plot.h"
#include "plots/value_slider.h"
#include "plots/voltage_plot.h"
#include "plots/xy_plot.h"
#include "simulation/simulation_controller.h"
#include "simulation/simulation_toolbar.h"

#include <QComboBox>
#include <QFile>
#include <QImage>
#include <QMainWindow>
#include <QSlider>
#include <QTemporaryDir>
#include <QtTest>
#include <qcustomplot.h>

#include <cmath>
#include <functional>

using namespace ui;

namespace {

constexpr double kDt = 0.001;

// `samples` steps of dt; element i of sample k is f(k, i).
ProbeSeries makeSeries(int size, long samples, const std::function<double(long, int)>& f) {
    ProbeSeries s;
    s.size = size;
    for (long k = 1; k <= samples; ++k) {
        s.times.push_back(static_cast<double>(k) * kDt);
        for (int i = 0; i < size; ++i) s.values.push_back(f(k, i));
    }
    return s;
}

ProbeInfo info(int size, core::ProbedSignal signal = core::ProbedSignal::DecodedOutput) {
    return {"p_x", "x", "x key", signal, size};
}

// A wave per dimension, different in each.
double wave(long k, int i) { return std::sin(2.0 * M_PI * (i + 1) * k * kDt) * (1.0 + 0.2 * i); }

// LIF-like spikes: neuron i fires every i + 2 steps (value 1/dt).
double spikes(long k, int i) { return k % (i + 2) == 0 ? 1.0 / kDt : 0.0; }

core::Probe probe(const std::string& id, const std::string& label, const core::Endpoint& target,
                  core::ProbeAttribute attribute = core::ProbeAttribute::Output) {
    core::Probe p;
    p.id = id;
    p.label = label;
    p.target = target;
    p.attribute = attribute;
    return p;
}

QString screenshotDir() { return qEnvironmentVariable("NEUROLOOM_SCREENSHOT_DIR"); }

void savePicture(QWidget& w, const QString& name) {
    if (const QString dir = screenshotDir(); !dir.isEmpty()) QVERIFY(w.grab().save(dir + "/" + name + ".png"));
}

}  // namespace

class PlotsTest : public QObject {
    Q_OBJECT
private slots:
    void valuePlotDrawsTheWindowOneLinePerDimension() {
        ValuePlot plot;
        plot.setProbe(info(3));
        const ProbeSeries series = makeSeries(3, 2000, wave);
        plot.showSeries(series, 1.0);
        QCustomPlot* p = plot.customPlot();
        QCOMPARE(p->graphCount(), 3);
        QCOMPARE(p->legend->itemCount(), 3);
        QCOMPARE(p->graph(2)->name(), QString("x[2]"));
        const long first = series.firstAtOrAfter(1.0);
        for (int i = 0; i < 3; ++i) {
            QCOMPARE(p->graph(i)->data()->size(), static_cast<int>(series.samples() - first));
            QCOMPARE(p->graph(i)->data()->at(0)->key, series.times[first]);
            QCOMPARE(p->graph(i)->data()->at(5)->value, series.at(first + 5, i));
        }
        QCOMPARE(p->xAxis->range().lower, 1.0);
        QCOMPARE(p->xAxis->range().upper, 2.0);
        QVERIFY(p->yAxis->range().contains(1.4) && p->yAxis->range().contains(-1.4));
        // A run shorter than the window: all of it, from 0.
        plot.showSeries(series, 5.0);
        QCOMPARE(p->graph(0)->data()->size(), 2000);
        QCOMPARE(p->xAxis->range().lower, 0.0);
        QCOMPARE(p->xAxis->range().upper, 5.0);
        // Rebuilt for a probe of another size.
        plot.setProbe(info(1));
        QCOMPARE(p->graphCount(), 1);
        QCOMPARE(p->graph(0)->name(), QString("x"));
    }

    void xyPlotDrawsAFadingTrajectory() {
        XyPlot plot;
        plot.setProbe(info(2));
        const ProbeSeries circle = makeSeries(2, 1500, [](long k, int i) {
            return i == 0 ? std::cos(2.0 * M_PI * k * kDt) : std::sin(2.0 * M_PI * k * kDt);
        });
        plot.showSeries(circle, 1.0);
        QCOMPARE(plot.customPlot()->plottableCount(), XyPlot::kTailSegments + 1);
        const long first = circle.firstAtOrAfter(0.5);
        int points = 0;
        for (QCPCurve* piece : plot.tail()) points += piece->data()->size();
        // Consecutive pieces share an end point.
        QCOMPARE(points - (XyPlot::kTailSegments - 1), static_cast<int>(circle.samples() - first));
        QCOMPARE(plot.tail().first()->data()->at(0)->key, circle.at(first, 0));
        QCOMPARE(plot.tail().last()->data()->at(plot.tail().last()->data()->size() - 1)->value, circle.at(1499, 1));
        QVERIFY(plot.tail().first()->pen().color().alpha() < plot.tail().last()->pen().color().alpha());
        QCOMPARE(plot.head()->data()->size(), 1);
        QCOMPARE(plot.head()->data()->at(0)->key, circle.at(1499, 0));
        QCOMPARE(plot.head()->data()->at(0)->value, circle.at(1499, 1));

        // Three dimensions: the chosen two.
        plot.setProbe(info(3));
        QSignalSpy redraw(&plot, &ProbePlot::redrawRequested);
        plot.setDimensions(2, 0);
        QCOMPARE(redraw.count(), 1);
        const ProbeSeries three = makeSeries(3, 100, wave);
        plot.showSeries(three, 1.0);
        QCOMPARE(plot.head()->data()->at(0)->key, three.at(99, 2));
        QCOMPARE(plot.head()->data()->at(0)->value, three.at(99, 0));
        QCOMPARE(plot.customPlot()->xAxis->label(), QString("x[2]"));

        // One dimension: nothing to draw, and it says why.
        plot.setProbe(info(1));
        QCOMPARE(plot.customPlot()->plottableCount(), 0);
        QCOMPARE(plot.customPlot()->itemCount(), 1);
        plot.showSeries(makeSeries(1, 10, wave), 1.0);
    }

    void spikeRasterMarksEverySpikeInTheWindow() {
        SpikeRaster raster;
        raster.setProbe(info(10, core::ProbedSignal::NeuronOutput));
        const ProbeSeries series = makeSeries(10, 1000, spikes);
        raster.showSeries(series, 0.5);
        QCOMPARE(raster.customPlot()->graphCount(), 1);
        const QCPGraph* g = raster.customPlot()->graph(0);
        int expected = 0;
        for (long k = series.firstAtOrAfter(0.5); k < series.samples(); ++k)
            for (int n = 0; n < 10; ++n) expected += series.at(k, n) != 0.0;
        QCOMPARE(g->data()->size(), expected);
        for (int j = 0; j < g->data()->size(); ++j) {
            const auto d = g->data()->at(j);
            const long k = std::lround(d->key / kDt);
            QVERIFY(k % (static_cast<int>(d->value) + 2) == 0);
        }
        // Large populations: the first neurons only.
        SpikeRaster few(nullptr, 4);
        few.setProbe(info(10, core::ProbedSignal::NeuronOutput));
        few.showSeries(series, 0.5);
        QCOMPARE(few.shownNeurons(), 4);
        int firstFour = 0;
        for (long k = series.firstAtOrAfter(0.5); k < series.samples(); ++k)
            for (int n = 0; n < 4; ++n) firstFour += series.at(k, n) != 0.0;
        QCOMPARE(few.customPlot()->graph(0)->data()->size(), firstFour);
        QVERIFY(few.customPlot()->yAxis->label().contains("first 4 of 10"));
    }

    void voltagePlotOffsetsTheFirstNeurons() {
        VoltagePlot plot;
        plot.setProbe(info(8, core::ProbedSignal::Voltage));
        const ProbeSeries series = makeSeries(8, 300, [](long k, int i) { return std::fmod(k * 0.01 * (i + 1), 1.0); });
        plot.showSeries(series, 1.0);
        QCOMPARE(plot.customPlot()->graphCount(), 5);
        for (int i = 0; i < 5; ++i) {
            const QCPGraph* g = plot.customPlot()->graph(i);
            QCOMPARE(g->data()->size(), 300);
            // Neuron 0 on top: each row one spacing below the previous.
            QCOMPARE(g->data()->at(7)->value, series.at(7, i) + (4 - i) * VoltagePlot::kRowSpacing);
        }
    }

    void sparklineFollowsTheLastSecond() {
        const ProbeSeries series = makeSeries(2, 2500, wave);
        const QRectF rect(10, 20, 100, 30);
        const QPainterPath path = sparklinePath(series, rect, 1.0);
        QCOMPARE(path.elementCount(), static_cast<int>(series.samples() - series.firstAtOrAfter(1.5)));
        QCOMPARE(path.elementAt(path.elementCount() - 1).x, rect.right());
        QVERIFY(std::abs(path.elementAt(0).x - rect.left()) < 1e-9);
        QVERIFY(rect.adjusted(0, -1e-9, 0, 1e-9).contains(path.boundingRect()));
        // Zero is in the middle of the default -1..1 range.
        const QPainterPath zero = sparklinePath(makeSeries(1, 10, [](long, int) { return 0.0; }), rect);
        QCOMPARE(zero.elementAt(0).y, rect.center().y());
        QVERIFY(sparklinePath(ProbeSeries{}, rect).isEmpty());
    }

    void exportsPictures() {
        QTemporaryDir dir;
        ValuePlot plot;
        plot.resize(640, 400);
        plot.setProbe(info(2));
        plot.showSeries(makeSeries(2, 500, wave), 5.0);
        QCustomPlot& p = *plot.customPlot();
        for (const char* suffix : {"png", "svg", "pdf"}) {
            const QString path = dir.filePath(QString("plot.") + suffix);
            savePlotImage(p, path);
            QVERIFY2(QFileInfo(path).size() > 1000, suffix);
        }
        QImage png(dir.filePath("plot.png"));
        QCOMPARE(png.size(), p.size());
        QFile svg(dir.filePath("plot.svg"));
        QVERIFY(svg.open(QIODevice::ReadOnly));
        QVERIFY(svg.readAll().contains("<svg"));
        QFile pdf(dir.filePath("plot.pdf"));
        QVERIFY(pdf.open(QIODevice::ReadOnly));
        QVERIFY(pdf.read(5) == "%PDF-");
        QVERIFY_THROWS_EXCEPTION(core::Error, savePlotImage(p, dir.filePath("plot.bmp")));
    }

    void exportsDataAsCsv() {
        QTemporaryDir dir;
        const ProbeSeries series = makeSeries(3, 250, wave);
        const QString path = dir.filePath("x.csv");
        saveSeriesCsv(series, dimensionNames(info(3)), path);
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly | QIODevice::Text));
        const QStringList lines = QString::fromUtf8(file.readAll()).split('\n', Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), 251);
        QCOMPARE(lines[0], QString("t,x[0],x[1],x[2]"));
        for (long k = 0; k < series.samples(); ++k) {
            const QStringList fields = lines[k + 1].split(',');
            QCOMPARE(fields.size(), 4);
            QCOMPARE(fields[0].toDouble(), series.times[k]);
            for (int i = 0; i < 3; ++i) QCOMPARE(fields[i + 1].toDouble(), series.at(k, i));  // exact round trip
        }
        QVERIFY_THROWS_EXCEPTION(core::Error, saveSeriesCsv(series, {"a"}, path));
    }

    void exportsDataAsNpz() {
        QTemporaryDir dir;
        const ProbeSeries series = makeSeries(3, 250, wave);
        const QString path = dir.filePath("x.npz");
        saveSeriesNpz(series, "x key", path);
        const core::NpzArrays arrays = core::readNpz(path.toStdString());
        QCOMPARE(arrays.size(), size_t{1});
        QCOMPARE(arrays[0].first, std::string("x key"));
        QCOMPARE(arrays[0].second.shape, (std::vector<size_t>{1, 250, 3}));
        QVERIFY(arrays[0].second.values == series.values);
    }

    void sliderDrivesItsNode() {
        core::Project project;
        project.network.id = "net";
        project.network.nodes.push_back({"c", "c", 0, 2, core::ConstantOutput{{0.25, -2.5}}});
        project.network.probes.push_back(probe("p_c", "c", {"c"}));
        SimulationController controller;
        controller.setProject(project);
        ValueSlider slider(&controller, "c");
        QCOMPARE(slider.dimensions(), 2);
        QCOMPARE(slider.range(), 3.0);  // -1..1 widened to the constant's -2.5
        QCOMPARE(slider.value(), (std::vector<double>{0.25, -2.5}));
        QCOMPARE(slider.slider(0)->value(), std::lround(0.25 / 3.0 * ValueSlider::kSteps));
        QVERIFY(!slider.overriding());

        auto lastSample = [&] {
            const long before = controller.series("p_c").samples();
            controller.step();
            if (!QTest::qWaitFor([&] { return controller.series("p_c").samples() == before + 1; }, 10000)) return std::vector<double>{};
            const auto& v = controller.series("p_c").values;
            return std::vector<double>(v.end() - 2, v.end());
        };
        QCOMPARE(lastSample(), (std::vector<double>{0.25, -2.5}));
        slider.slider(1)->setValue(ValueSlider::kSteps / 2);  // as the user drags it
        QVERIFY(slider.overriding());
        QCOMPARE(slider.value(), (std::vector<double>{0.25, 1.5}));
        QCOMPARE(lastSample(), (std::vector<double>{0.25, 1.5}));
        slider.release();
        QCOMPARE(slider.value(), (std::vector<double>{0.25, -2.5}));
        QCOMPARE(lastSample(), (std::vector<double>{0.25, -2.5}));
        {
            ValueSlider closedSoon(&controller, "c");
            closedSoon.setValue({1.0, 1.0});
            QCOMPARE(lastSample(), (std::vector<double>{1.0, 1.0}));
        }
        QCOMPARE(lastSample(), (std::vector<double>{0.25, -2.5}));  // closing it released the node

        // A node that is gone: no sliders, a notice.
        project.network.nodes[0].id = "other";
        project.network.probes.clear();
        controller.setProject(project);
        QCOMPARE(slider.dimensions(), 0);
    }

    // Every view of a running simulation through the factory the main window uses.
    void docksFollowARunningSimulation() {
        core::Project project = core::loadProject(core::examplesDirectory("") + "/integrator_2d.nlproj");
        const core::Endpoint neurons{"A", core::EndpointKind::Neurons};
        project.network.probes.push_back(probe("p_spikes", "integrator spikes", neurons));
        project.network.probes.push_back(probe("p_voltage", "integrator voltage", neurons, core::ProbeAttribute::Voltage));
        SimulationController controller;
        controller.setProject(project);
        QMainWindow window;
        const std::vector<std::pair<PlotKind, QString>> views = {{PlotKind::Value, "p_A"},
                                                                 {PlotKind::Xy, "p_A"},
                                                                 {PlotKind::SpikeRaster, "p_spikes"},
                                                                 {PlotKind::Voltage, "p_voltage"},
                                                                 {PlotKind::Slider, "input"}};
        std::vector<QDockWidget*> docks;
        for (const auto& [kind, id] : views) {
            docks.push_back(makePlotDock(kind, &controller, id, &window));
            window.addDockWidget(docks.size() % 2 ? Qt::LeftDockWidgetArea : Qt::RightDockWidgetArea, docks.back());
        }
        window.resize(1100, 900);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        controller.run();
        QVERIFY(QTest::qWaitFor([&] { return controller.time() >= 1.5; }, 15000));
        controller.pause();
        QVERIFY(QTest::qWaitFor([&] { return controller.state() == SimulationController::State::Paused; }, 5000));

        auto* value = qobject_cast<PlotDock*>(docks[0]);
        QVERIFY(value);
        QCOMPARE(value->windowTitle(), QString("integrated — value"));
        // The last refresh shows everything recorded in the live window.
        const ProbeSeries& integrated = controller.series("p_A");
        const long samples = integrated.samples();
        const int shown = static_cast<int>(samples - integrated.firstAtOrAfter(integrated.lastTime() - controller.liveWindow()));
        QTRY_COMPARE(value->plot()->customPlot()->graph(0)->data()->size(), shown);
        QCOMPARE(value->plot()->customPlot()->graphCount(), 2);
        auto* raster = qobject_cast<PlotDock*>(docks[2]);
        QTRY_VERIFY(raster->plot()->customPlot()->graph(0)->data()->size() > 100);
        auto* voltage = qobject_cast<PlotDock*>(docks[3]);
        QCOMPARE(voltage->plot()->customPlot()->graphCount(), 5);
        QTRY_COMPARE(voltage->plot()->customPlot()->graph(0)->data()->size(), shown);
        auto* slider = docks[4]->findChild<ValueSlider*>();
        QVERIFY(slider);
        QCOMPARE(slider->dimensions(), 2);
        // Refreshing stops once no data comes.
        QTRY_VERIFY(!value->findChild<QTimer*>()->isActive());

        QTemporaryDir dir;
        value->exportData(dir.filePath("integrated.csv"));
        QFile csv(dir.filePath("integrated.csv"));
        QVERIFY(csv.open(QIODevice::ReadOnly));
        QCOMPARE(csv.readAll().count('\n'), samples + 1);
        value->exportData(dir.filePath("integrated.npz"));
        const core::NpzArrays npz = core::readNpz(dir.filePath("integrated.npz").toStdString());
        QCOMPARE(npz[0].first, std::string("integrated"));
        QVERIFY(npz[0].second.values == controller.series("p_A").values);
        value->exportImage(dir.filePath("integrated.svg"));
        QVERIFY(QFileInfo(dir.filePath("integrated.svg")).size() > 0);

        // Reset empties the plots.
        controller.reset();
        QTRY_COMPARE(value->plot()->customPlot()->graph(0)->data()->size(), 0);

        if (!screenshotDir().isEmpty()) {
            auto* controls = new SimulationToolBar(&controller);
            window.addToolBar(controls);
            controls->speedChoice()->setCurrentIndex(controls->speedChoice()->findData(5.0));  // stops inside the window
            controller.run();
            QVERIFY(QTest::qWaitFor([&] { return controller.time() >= 3.5; }, 15000));
            controller.pause();
            slider->slider(0)->setValue(ValueSlider::kSteps / 4);
            QTest::qWait(200);
            savePicture(window, "plots_window");
            const char* names[] = {"value_plot", "xy_plot", "spike_raster", "voltage_plot", "value_slider"};
            for (size_t i = 0; i < docks.size(); ++i) savePicture(*docks[i], names[i]);
            for (const char* suffix : {".svg", ".pdf"}) value->exportImage(screenshotDir() + "/value_export" + suffix);
        }
    }
};

QTEST_MAIN(PlotsTest)
#include "test_plots.moc"
