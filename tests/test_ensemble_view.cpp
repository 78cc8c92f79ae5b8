// The ensemble teaching view on the squaring example: one tuning curve per
// neuron of A, A's decoded x^2 against its target with the core's RMS error,
// edits from the controls emitted (debounced) and recomputed, the newest
// computation winning.
#include "ensemble_view.h"

#include "io/examples.h"
#include "io/project.h"

#include <QComboBox>
#include <QLabel>
#include <QSignalSpy>
#include <QSpinBox>
#include <QThreadPool>
#include <QtTest>
#include <qcustomplot.h>

namespace {

core::Network squaringExample() { return core::loadProject(core::examplesDirectory("") + "/squaring.nlproj").network; }

QString titleOf(QCustomPlot* plot) { return static_cast<QCPTextElement*>(plot->plotLayout()->element(0, 0))->text(); }

// Shows `id` and waits for its analysis.
bool showAndWait(ui::EnsembleView& view, const core::Network& network, const std::string& id) {
    QSignalSpy shown(&view, &ui::EnsembleView::analysisShown);
    view.setEnsemble(network, id);
    return shown.wait(20000) && !view.isComputing();
}

}  // namespace

class EnsembleViewTest : public QObject {
    Q_OBJECT
private slots:
    void showsTuningCurvesAndDecodedSquare() {
        const core::Network net = squaringExample();
        ui::EnsembleView view;
        view.resize(1150, 860);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        QVERIFY(showAndWait(view, net, "A"));

        QCustomPlot* tuning = view.tuningPlot();
        QCOMPARE(tuning->graphCount(), core::findEnsemble(net, "A")->nNeurons);
        QCOMPARE(tuning->xAxis->label(), QString("x (represented value)"));
        QCOMPARE(tuning->yAxis->label(), QString("firing rate (Hz)"));
        QVERIFY(titleOf(tuning).contains("Tuning curves of A"));

        QCOMPARE(view.decodingPlots().size(), size_t(1));
        QCustomPlot* decoding = view.decodingPlots()[0];
        const core::DecodingQuality expected = core::analyseEnsemble(net, "A").decoding[0];
        const QString rms = QString::number(expected.rmsError, 'g', 3);
        QVERIFY2(titleOf(decoding).contains("RMS error " + rms), qPrintable(titleOf(decoding)));
        QVERIFY(titleOf(decoding).contains("x^2"));
        QCOMPARE(decoding->graphCount(), 2);  // target and decoded estimate
        QCOMPARE(decoding->graph(0)->dataCount(), int(expected.target.rows()));
        QCOMPARE(decoding->graph(1)->data()->at(0)->value, expected.decoded(0, 0));
        QCOMPARE(decoding->legend->itemCount(), 2);

        // For looking at it: NEUROLOOM_SCREENSHOT_DIR=/tmp ./test_ensemble_view
        if (const QString dir = qEnvironmentVariable("NEUROLOOM_SCREENSHOT_DIR"); !dir.isEmpty())
            QVERIFY(view.grab().save(dir + "/ensemble_view.png"));
    }

    void twoDimensionalEnsembleShowsCurvesAlongEncodersAndEstimateAgainstTarget() {
        const core::Network net =
            core::loadProject(core::examplesDirectory("") + "/product.nlproj").network;
        ui::EnsembleView view;
        view.resize(1150, 860);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        QVERIFY(showAndWait(view, net, "combined"));
        QCOMPARE(view.tuningPlot()->graphCount(), 300);
        QVERIFY(view.tuningPlot()->xAxis->label().startsWith("x · encoder"));
        QCOMPARE(view.decodingPlots().size(), size_t(1));
        QCustomPlot* decoding = view.decodingPlots()[0];
        QVERIFY(titleOf(decoding).contains("x[0] * x[1]"));
        QCOMPARE(decoding->xAxis->label(), QString("target f(x)"));
        QCOMPARE(decoding->graph(0)->lineStyle(), QCPGraph::lsNone);  // a scatter of estimate against target
        QCOMPARE(decoding->graphCount(), 2);  // and the line of perfect decoding
        if (const QString dir = qEnvironmentVariable("NEUROLOOM_SCREENSHOT_DIR"); !dir.isEmpty())
            QVERIFY(view.grab().save(dir + "/ensemble_view_2d.png"));
    }

    void neuronCountEditIsEmittedOnceAndRecomputed() {
        const core::Network net = squaringExample();
        ui::EnsembleView view;
        QVERIFY(showAndWait(view, net, "A"));
        std::vector<core::Ensemble> edits;
        connect(&view, &ui::EnsembleView::ensembleEdited, this, [&](const core::Ensemble& e) { edits.push_back(e); });
        QSignalSpy shown(&view, &ui::EnsembleView::analysisShown);

        auto* count = view.findChild<QSpinBox*>("neuronCount");
        QVERIFY(count);
        for (int n : {60, 50, 40}) count->setValue(n);  // a student holding the arrow key
        QVERIFY(edits.empty());  // debounced
        QTRY_COMPARE(edits.size(), size_t(1));
        core::Ensemble expected = *core::findEnsemble(net, "A");
        expected.nNeurons = 40;
        QVERIFY(edits[0] == expected);  // only the changed field

        QTRY_COMPARE_WITH_TIMEOUT(shown.count(), 1, 20000);
        QCOMPARE(view.tuningPlot()->graphCount(), 40);
        QVERIFY(titleOf(view.tuningPlot()).contains("40 LIF neurons"));
        core::Network edited = net;
        *core::findEnsemble(edited, "A") = expected;
        const double rms = core::analyseEnsemble(edited, "A").decoding[0].rmsError;
        QVERIFY(titleOf(view.decodingPlots()[0]).contains(QString::number(rms, 'g', 3)));

        // The editor's command sends the edited network back: nothing to redo.
        view.setEnsemble(edited, "A");
        QVERIFY(!view.isComputing());
        QCOMPARE(edits.size(), size_t(1));
    }

    void neuronTypeEditChangesOnlyTheType() {
        const core::Network net = squaringExample();
        ui::EnsembleView view;
        QVERIFY(showAndWait(view, net, "A"));
        std::vector<core::Ensemble> edits;
        connect(&view, &ui::EnsembleView::ensembleEdited, this, [&](const core::Ensemble& e) { edits.push_back(e); });
        view.findChild<QComboBox*>("neuronType")->setCurrentText("RectifiedLinear");
        QTRY_COMPARE(edits.size(), size_t(1));
        core::Ensemble expected = *core::findEnsemble(net, "A");
        expected.neuronType = core::RectifiedLinearNeurons{};
        QVERIFY(edits[0] == expected);
        QTRY_VERIFY(titleOf(view.tuningPlot()).contains("100 RectifiedLinear neurons"));
        QVERIFY(!titleOf(view.tuningPlot()).contains("spiking"));
    }

    void newestComputationWins() {
        core::Network big = squaringExample(), small = big;
        core::findEnsemble(big, "A")->nNeurons = 1500;
        core::findEnsemble(small, "A")->nNeurons = 20;
        ui::EnsembleView view;
        QSignalSpy shown(&view, &ui::EnsembleView::analysisShown);
        view.setEnsemble(big, "A");
        view.setEnsemble(small, "A");
        QVERIFY(shown.wait(20000));
        QThreadPool::globalInstance()->waitForDone();  // the older, bigger one finishes too
        QTest::qWait(100);
        QCOMPARE(shown.count(), 1);
        QCOMPARE(view.tuningPlot()->graphCount(), 20);
    }

    void ensembleWithoutOutgoingConnectionsHasOnlyTuningCurves() {
        ui::EnsembleView view;
        QVERIFY(showAndWait(view, squaringExample(), "B"));
        QCOMPARE(view.tuningPlot()->graphCount(), 100);
        QVERIFY(view.decodingPlots().empty());
    }

    void buildErrorIsShownNamingObjectAndField() {
        core::Network net = squaringExample();
        core::findEnsemble(net, "A")->maxRates = core::Uniform{600.0, 700.0};  // above LIF's 1/tau_ref
        ui::EnsembleView view;
        QVERIFY(showAndWait(view, net, "A"));
        const QString status = view.findChild<QLabel*>("status")->text();
        QVERIFY2(status.startsWith("A (max_rates)"), qPrintable(status));
        QCOMPARE(view.tuningPlot()->graphCount(), 0);
        QVERIFY(view.decodingPlots().empty());
    }
};

QTEST_MAIN(EnsembleViewTest)
#include "test_ensemble_view.moc"
