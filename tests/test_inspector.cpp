// The inspector edits the shown object only through undoable commands, checks
// what is typed as it is typed (rejected input is marked with the reason and
// not committed) and follows the model on undo.
#include "common/error.h"
#include "editor/graph_model.h"
#include "editor/inspector.h"
#include "editor/property_widgets.h"
#include "io/examples.h"
#include "io/npy.h"
#include "io/project.h"

#include <QCheckBox>
#include <QComboBox>
#include <QLabel>
#include <QPushButton>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QUndoStack>
#include <QtTest>

#include <fstream>

using namespace ui;

namespace {

core::Project example(const std::string& file) { return core::loadProject(core::examplesDirectory("") + "/" + file); }

template <class T>
T objectOf(const GraphModel& model, const std::string& id) {
    return std::get<T>(*model.object(id));
}

// Replaces what an editor shows by typing, key by key, as a user does.
void retype(QWidget* editor, const QString& text) {
    editor->setFocus();
    if (auto* box = qobject_cast<QAbstractSpinBox*>(editor)) box->selectAll();
    if (auto* line = qobject_cast<QLineEdit*>(editor)) line->selectAll();
    QTest::keyClicks(editor, text);
}

CheckedField* fieldOf(QWidget* editor) { return qobject_cast<CheckedField*>(editor->parentWidget()); }

// The inspector in a window of a dock's size, with a model holding an example.
struct Fixture {
    explicit Fixture(const std::string& file) : original(example(file)) {
        model.setProject(original);
        inspector = new Inspector(&model);
        inspector->resize(400, 1100);
        inspector->show();
    }
    ~Fixture() { delete inspector; }
    template <class W>
    W* find(const char* name) const {
        W* w = inspector->findChild<W*>(name);
        if (!w) qFatal("no widget named %s", name);
        return w;
    }
    void screenshot(const QString& name) const {
        // For looking at it: NEUROLOOM_SCREENSHOT_DIR=/tmp ./test_inspector
        if (const QString dir = qEnvironmentVariable("NEUROLOOM_SCREENSHOT_DIR"); !dir.isEmpty())
            QVERIFY(inspector->grab().save(dir + "/" + name));
    }

    core::Project original;
    GraphModel model;
    Inspector* inspector;
};

}  // namespace

class InspectorTest : public QObject {
    Q_OBJECT
private slots:
    void neuronCountTypedIsOneUndoStep() {
        Fixture f("squaring.nlproj");
        f.inspector->showObject("A");
        auto* neurons = f.find<QDoubleSpinBox>("n_neurons");
        QCOMPARE(neurons->value(), 100.0);
        retype(neurons, "250");
        QCOMPARE(objectOf<core::Ensemble>(f.model, "A").nNeurons, 250);
        QCOMPARE(f.model.undoStack()->count(), 1);  // "2", "25", "250" merge
        f.model.undoStack()->undo();
        QVERIFY(f.model.project() == f.original);
        QCOMPARE(neurons->value(), 100.0);  // the inspector follows the model
        f.screenshot("inspector_ensemble.png");
    }

    void rejectedNumberIsMarkedAndNotCommitted() {
        Fixture f("squaring.nlproj");
        f.inspector->showObject("A");
        auto* radius = f.find<QDoubleSpinBox>("radius");
        retype(radius, "0");
        QCOMPARE(fieldOf(radius)->problem(), QString("must be positive"));
        QVERIFY(fieldOf(radius)->message()->isVisible());
        QVERIFY(f.model.project() == f.original);
        QTest::keyClicks(radius, ".5");
        QVERIFY(fieldOf(radius)->problem().isEmpty());
        QVERIFY(!fieldOf(radius)->message()->isVisible());
        QCOMPARE(objectOf<core::Ensemble>(f.model, "A").radius, 0.5);
    }

    void uniformLowEditCommits() {
        Fixture f("squaring.nlproj");
        f.inspector->showObject("A");
        auto* intercepts = f.find<DistributionPicker>("intercepts");
        auto* low = intercepts->findChild<QDoubleSpinBox*>("low");
        QVERIFY(low->isVisible());
        retype(low, "-0.5");
        const core::Uniform expected{-0.5, std::get<core::Uniform>(f.original.network.ensembles[0].intercepts).high};
        QVERIFY(objectOf<core::Ensemble>(f.model, "A").intercepts == core::Distribution(expected));
        QCOMPARE(f.model.undoStack()->count(), 1);
        f.model.undoStack()->undo();
        QVERIFY(f.model.project() == f.original);
    }

    void typeSwitchesKeepWhatBothTypesDescribe() {
        Fixture f("squaring.nlproj");
        f.inspector->showObject("A");
        QTest::keyClick(f.find<NeuronTypePicker>("neuron_type")->findChild<QComboBox*>("type"), Qt::Key_Down);
        QCOMPARE(objectOf<core::Ensemble>(f.model, "A").neuronType, core::NeuronType(core::LifRateNeurons{0.02, 0.002, 1.0}));

        auto* maxRates = f.find<DistributionPicker>("max_rates");
        QTest::keyClick(maxRates->findChild<QComboBox*>("type"), Qt::Key_Down);  // Uniform 200..400 -> Choice of both ends
        QCOMPARE(objectOf<core::Ensemble>(f.model, "A").maxRates, core::Distribution(core::Choice{{200.0, 400.0}, {}}));
        QTest::keyClick(maxRates->findChild<QComboBox*>("type"), Qt::Key_Down);  // -> explicit values sampled from it
        const auto explicitRates = std::get<core::ExplicitValues>(objectOf<core::Ensemble>(f.model, "A").maxRates).values;
        QCOMPARE(explicitRates.rows, 100);
        QCOMPARE(explicitRates.cols, 1);
        QVERIFY(std::all_of(explicitRates.values.begin(), explicitRates.values.end(), [](double r) { return r == 200.0 || r == 400.0; }));

        auto* values = maxRates->findChild<TableEditor*>("values");
        QVERIFY(fieldOf(values->grid())->message()->isHidden());
        retype(f.find<QDoubleSpinBox>("n_neurons"), "50");  // allowed; the explicit values no longer fit
        QCOMPARE(fieldOf(values->grid())->message()->text(), QString("100 × 1 values; 50 × 1 expected"));
        QVERIFY(fieldOf(values->grid())->message()->isVisible());
        f.screenshot("inspector_explicit_values.png");
    }

    void expressionsAreCheckedAsTyped() {
        Fixture f("squaring.nlproj");
        f.inspector->showObject("A_squared_to_B");
        auto* line = f.find<ExpressionListEditor>("function")->line(0);
        QCOMPARE(line->text(), QString("x^2"));
        line->setFocus();
        line->end(false);
        QTest::keyClicks(line, "+y");  // "x^2+" does not parse; y is no variable of a 1-D pre
        QCOMPARE(fieldOf(line)->problem(), expressionProblem("x^2+y", {"x0", "x"}));
        QVERIFY(!fieldOf(line)->problem().isEmpty());
        QVERIFY(fieldOf(line)->message()->isVisible());
        QVERIFY(f.model.project() == f.original);
        QCOMPARE(f.model.undoStack()->count(), 0);
        f.screenshot("inspector_connection_problem.png");

        QTest::keyClick(line, Qt::Key_Backspace);
        QTest::keyClicks(line, "x");
        QVERIFY(fieldOf(line)->problem().isEmpty());
        auto function = [&] { return std::get<core::FunctionExpression>(*objectOf<core::Connection>(f.model, "A_squared_to_B").function); };
        QCOMPARE(function().expressions, std::vector<std::string>{"x^2+x"});

        // A commit refreshes the form without moving the cursor of the field being typed in.
        line->setCursorPosition(1);
        QTest::keyClicks(line, "0");
        QCOMPARE(function().expressions, std::vector<std::string>{"x0^2+x"});
        QCOMPARE(line->cursorPosition(), 2);
        QCOMPARE(f.model.undoStack()->count(), 1);  // one field typed: one step
        f.screenshot("inspector_connection.png");
    }

    void sliceOutOfRangeIsRejected() {
        Fixture f("squaring.nlproj");
        f.inspector->showObject("A_squared_to_B");
        auto* postSlice = f.find<SliceEdit>("post_slice");
        retype(postSlice, "3");
        QCOMPARE(fieldOf(postSlice)->problem(), QString("index 3 is out of range for a vector of size 1"));
        QVERIFY(f.model.project() == f.original);
    }

    void synapseToAlphaAndBackByUndo() {
        Fixture f("squaring.nlproj");
        f.inspector->showObject("A_squared_to_B");
        auto* picker = f.find<SynapsePicker>("synapse");
        QCOMPARE(picker->typeBox()->currentText(), QString("Lowpass"));
        QTest::keyClick(picker->typeBox(), Qt::Key_Down);
        QCOMPARE(objectOf<core::Connection>(f.model, "A_squared_to_B").synapse, core::OptionalSynapse(core::AlphaSynapse{0.005}));
        QCOMPARE(picker->typeBox()->currentText(), QString("Alpha"));
        f.model.undoStack()->undo();
        QVERIFY(f.model.project() == f.original);
        QCOMPARE(picker->typeBox()->currentText(), QString("Lowpass"));
    }

    void dimensionChangeThatBreaksAConnectionIsAllowedAndShown() {
        Fixture f("squaring.nlproj");
        f.inspector->showObject("B");
        retype(f.find<QDoubleSpinBox>("dimensions"), "2");
        QCOMPARE(objectOf<core::Ensemble>(f.model, "B").dimensions, 2);
        f.inspector->showObject("A_squared_to_B");
        QCOMPARE(f.find<TransformEditor>("transform")->warning(), QString("delivers 1 values; the post takes 2"));
    }

    void explicitParametersAreClearedInOneStep() {
        core::Project p = example("squaring.nlproj");
        p.network.ensembles[0].gain = std::vector<double>(100, 2.0);
        p.network.ensembles[0].bias = std::vector<double>(100, 0.5);
        GraphModel model;
        model.setProject(p);
        Inspector inspector(&model);
        inspector.showObject("A");
        auto* clear = inspector.findChild<QPushButton*>("clear_explicit");
        QVERIFY(clear->isEnabled());
        QVERIFY(inspector.findChild<QLabel*>("explicit_summary")->text().contains("100"));
        clear->click();
        QVERIFY(!objectOf<core::Ensemble>(model, "A").gain && !objectOf<core::Ensemble>(model, "A").bias);
        QVERIFY(!clear->isEnabled());
        model.undoStack()->undo();
        QVERIFY(model.project() == p);
    }

    void pesLearnedConnectionIsNotTrainable() {
        Fixture f("pes_learning.nlproj");
        f.inspector->showObject("learned");
        auto* trainable = f.find<QCheckBox>("trainable");
        QVERIFY(!trainable->isEnabled());
        QVERIFY(!trainable->isChecked());
        auto* reason = f.find<QLabel>("trainable_reason");
        QVERIFY(reason->isVisible());
        QCOMPARE(reason->text(), QString("learned online by PES; not trained by backpropagation"));

        f.inspector->showObject("post_to_error");  // ensemble to ensemble, no rule: trainable
        trainable = f.find<QCheckBox>("trainable");
        QVERIFY(trainable->isEnabled());
        QVERIFY(trainable->isChecked());
        QVERIFY(!f.find<QLabel>("trainable_reason")->isVisible());
        trainable->click();
        QVERIFY(!objectOf<core::Connection>(f.model, "post_to_error").trainable);
    }

    void probeOffersTheAttributesOfItsTarget() {
        Fixture f("squaring.nlproj");
        f.inspector->showObject("p_A");
        auto* attr = f.find<QComboBox>("attr");
        QStringList items;
        for (int i = 0; i < attr->count(); ++i) items << attr->itemText(i);
        QCOMPARE(items, QStringList({"decoded_output", "input"}));
        QCOMPARE(attr->currentText(), QString("decoded_output"));
    }

    void nodeKindAndParameters() {
        Fixture f("squaring.nlproj");
        f.inspector->showObject("input");
        retype(f.find<QDoubleSpinBox>("amplitude"), "2");
        QCOMPARE(std::get<core::SineWave>(objectOf<core::Node>(f.model, "input").output).amplitude, 2.0);
        QTest::keyClick(f.find<QComboBox>("output_type"), Qt::Key_Down);  // sine -> square keeps the wave
        QCOMPARE(objectOf<core::Node>(f.model, "input").output, core::NodeOutput(core::SquareWave{2.0, 1.0, 0.0, 0.0}));
        retype(f.find<QDoubleSpinBox>("size_out"), "3");
        QCOMPARE(objectOf<core::Node>(f.model, "input").sizeOut, 3);
    }

    void projectSettingsWhenNothingIsShown() {
        Fixture f("squaring.nlproj");
        f.inspector->showObject({});
        retype(f.find<QDoubleSpinBox>("dt"), "0.0005");
        QCOMPARE(f.model.project().simulation.dt, 0.0005);
        f.model.undoStack()->undo();
        QVERIFY(f.model.project() == f.original);
    }

    void numbersAreShownShortAndReadBackExactly() {
        for (double v : {0.005, 1e-4, 0.1 + 0.2, -2.5e7, 200.0}) {
            bool ok = false;
            QCOMPARE(QLocale::c().toDouble(formatNumber(v), &ok), v);
            QVERIFY(ok);
        }
        QCOMPARE(formatNumber(1e-4), QString("1e-4"));
        QCOMPARE(formatNumber(0.005), QString("0.005"));
        std::vector<double> parsed;
        QVERIFY(parseNumbers("1, 2.5 -3", parsed).isEmpty());
        QCOMPARE(parsed, (std::vector<double>{1, 2.5, -3}));
        QCOMPARE(parseNumbers("1, x", parsed), QString("'x' is not a number"));
    }

    void slicesParseAsNengoWritesThem() {
        core::Slice s;
        QVERIFY(parseSlice("1:4", 5, true, s).isEmpty());
        QCOMPARE(s, core::Slice(std::vector<int>{1, 2, 3}));
        QVERIFY(parseSlice("::-2", 5, true, s).isEmpty());
        QCOMPARE(s, core::Slice(std::vector<int>{4, 2, 0}));
        QVERIFY(parseSlice("0, -1", 3, true, s).isEmpty());
        QCOMPARE(s, core::Slice(std::vector<int>{0, 2}));
        QVERIFY(parseSlice("", 3, true, s).isEmpty());
        QVERIFY(!s.has_value());
        QCOMPARE(parseSlice("1, 1", 3, false, s), QString("index 1 is repeated"));
    }

    void dataTablesImportFromNpyAndCsv() {
        QTemporaryDir dir;
        const std::string npy = dir.filePath("rows.npy").toStdString(), csv = dir.filePath("rows.csv").toStdString();
        core::writeNpy(npy, core::NpyArray{{3, 2}, {1, 2, 3, 4, 5, 6}});
        QCOMPARE(readTableFile(npy), (core::Table{3, 2, {1, 2, 3, 4, 5, 6}}));
        std::ofstream(csv) << "a,b\n1,2\n3,4.5\n";
        QCOMPARE(readTableFile(csv), (core::Table{2, 2, {1, 2, 3, 4.5}}));
        core::writeNpy(npy, core::NpyArray{{2, 2, 1}, {1, 2, 3, 4}});
        QVERIFY_THROWS_EXCEPTION(core::Error, readTableFile(npy));
    }
};

QTEST_MAIN(InspectorTest)
#include "test_inspector.moc"
