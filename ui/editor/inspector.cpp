#include "inspector.h"

#include "build/builder.h"
#include "common/error.h"
#include "edit_commands.h"
#include "graph_model.h"
#include "property_widgets.h"

#include <QCheckBox>
#include <QComboBox>
#include <QEvent>
#include <QFileDialog>
#include <QFormLayout>
#include <QLabel>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QStandardItemModel>
#include <QUndoStack>
#include <QVBoxLayout>

#include <algorithm>
#include <map>

namespace ui {

namespace {

QString qs(const std::string& s) { return QString::fromStdString(s); }

// Read-only text in a field's place (what a connection attaches to).
QLabel* valueLabel() {
    auto* label = new QLabel;
    label->setWordWrap(true);
    label->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    return label;
}

// A grey line of explanation under or beside a field.
QLabel* noteLabel(const QString& text = {}) {
    QLabel* label = valueLabel();
    label->setText(text);
    QPalette palette = label->palette();
    QColor grey = palette.color(QPalette::WindowText);
    grey.setAlphaF(0.6);
    palette.setColor(QPalette::WindowText, grey);
    label->setPalette(palette);
    return label;
}

NumberSpinBox* numberBox(const char* name, const QString& unit = {}, NumberRule rule = {}) {
    auto* box = new NumberSpinBox(unit, std::move(rule));
    box->setObjectName(name);
    return box;
}

NumberSpinBox* countBox(const char* name, NumberRule rule) {
    NumberSpinBox* box = numberBox(name, {}, std::move(rule));
    box->setWholeNumbers(true);
    return box;
}

QCheckBox* checkBox(const char* name, const QString& text) {
    auto* box = new QCheckBox(text);
    box->setObjectName(name);
    return box;
}

void setVisibleRows(QFormLayout* form, const std::map<QWidget*, std::vector<int>>& rowsOfKinds, int kind) {
    for (const auto& [field, kinds] : rowsOfKinds)
        form->setRowVisible(field, std::find(kinds.begin(), kinds.end(), kind) != kinds.end());
}

// "A: ensemble, 1 dimension", what a connection or probe attaches to.
QString describeEndpoint(const GraphModel& model, const core::Endpoint& e) {
    const auto object = model.object(e.id);
    if (!object) return QObject::tr("%1 (missing)").arg(qs(e.id));
    const QString name = qs(displayName(*object));
    const auto size = model.outputSize(e);
    switch (e.kind) {
        case core::EndpointKind::Node: return QObject::tr("%1: node, size %2").arg(name).arg(size.value_or(0));
        case core::EndpointKind::Ensemble:
            return (size == 1 ? QObject::tr("%1: ensemble, 1 dimension") : QObject::tr("%1: ensemble, %2 dimensions").arg(size.value_or(0))).arg(name);
        case core::EndpointKind::Neurons:
            return (size == 1 ? QObject::tr("%1: neurons, 1 neuron") : QObject::tr("%1: neurons, %2 neurons").arg(size.value_or(0))).arg(name);
        case core::EndpointKind::Connection: return QObject::tr("%1: connection").arg(name);
        case core::EndpointKind::LearningRule: return QObject::tr("%1: its learning rule").arg(name);
    }
    return name;
}

std::optional<int> slicedSize(const core::Slice& slice, std::optional<int> size) {
    return slice ? std::optional(static_cast<int>(slice->size())) : size;
}

// The names a connection's function may use for its sliced pre value.
std::vector<std::string> functionVariables(int size) {
    std::vector<std::string> names;
    for (int i = 0; i < size; ++i) {
        std::string name(1, 'x');  // not "x" + ...: GCC 12 warns falsely (-Wrestrict) on that
        names.push_back(name += std::to_string(i));
    }
    if (size == 1) names.push_back("x");
    return names;
}

QString variablesNote(int size) {
    const QString functions = QObject::tr("functions such as sin, exp, sqrt, abs, min, max; pi, e");
    if (size == 1) return QObject::tr("Variables: x (also x0, x[0]); %1").arg(functions);
    return QObject::tr("Variables: x0 … x%1 (also x[0] … x[%1]); %2").arg(size - 1).arg(functions);
}

}  // namespace

// ---------------------------------------------------------------- forms

// One form: collapsible sections of labelled rows, refreshed from the model by load().
class InspectorForm : public QWidget {
public:
    explicit InspectorForm(GraphModel* model) : model_(model) {
        layout_ = new QVBoxLayout(this);
        layout_->setContentsMargins(0, 0, 0, 0);
        layout_->setSpacing(2);
    }
    virtual void load() = 0;
    virtual QString heading() const = 0;

protected:
    QFormLayout* addSection(const QString& title) {
        auto* section = new CollapsibleSection(title);
        section->setObjectName(title);
        layout_->addWidget(section);
        sections_.push_back(section);
        return section->form();
    }

    void setSectionVisible(QFormLayout* form, bool visible) {
        for (CollapsibleSection* s : sections_)
            if (s->form() == form) s->setVisible(visible);
    }

    // One label column width across sections, so the fields line up (rows
    // without a label get an empty one; rows spanning both columns stay).
    void finish() {
        layout_->addStretch(1);
        int width = 0;
        std::vector<QWidget*> labels;
        for (CollapsibleSection* s : sections_) {
            QFormLayout* form = s->form();
            for (int row = 0; row < form->rowCount(); ++row) {
                if (!form->itemAt(row, QFormLayout::LabelRole) && form->itemAt(row, QFormLayout::FieldRole))
                    form->setWidget(row, QFormLayout::LabelRole, new QLabel);
                if (QLayoutItem* label = form->itemAt(row, QFormLayout::LabelRole)) {
                    labels.push_back(label->widget());
                    width = std::max(width, label->widget()->sizeHint().width());
                }
            }
        }
        for (QWidget* label : labels) label->setMinimumWidth(width);
    }

    GraphModel* model_;

private:
    QVBoxLayout* layout_;
    std::vector<CollapsibleSection*> sections_;
};

// A form for one object of type T, which it edits through ChangeObjectCommand.
template <class T>
class ObjectForm : public InspectorForm {
public:
    ObjectForm(GraphModel* model, std::string id) : InspectorForm(model), id_(std::move(id)) {}

    QString heading() const override {
        const T o = current();
        return qs(o.label.empty() ? o.id : o.label);
    }

protected:
    T current() const { return std::get<T>(*model_->object(id_)); }

    // Applies `change` to the object as the model has it and commits the result
    // as one command named by `field` (a JSON field name); no change, no command.
    template <class Change>
    void edit(const QString& field, Change change) {
        const T before = current();
        T after = before;
        change(after);
        if (after == before) return;
        model_->undoStack()->push(new ChangeObjectCommand(model_, after, field));
    }

    void addLabelRow(QFormLayout* form) {
        label_ = new CheckedLineEdit;
        label_->setObjectName("label");
        label_->setPlaceholderText(tr("(none: the id names it)"));
        connect(label_, &CheckedLineEdit::edited, this,
                [this](const QString& text) { edit("label", [&](T& o) { o.label = text.toStdString(); }); });
        form->addRow(tr("Label"), label_);
        QLabel* id = valueLabel();
        id->setText(qs(id_));
        id->setObjectName("id");
        form->addRow(tr("Id"), id);
    }

    // The Explicit parameters section: a summary and a Clear action.
    void addExplicitSection(std::function<void(T&)> clear) {
        QFormLayout* form = addSection(tr("Explicit parameters"));
        explicitSummary_ = noteLabel();
        explicitSummary_->setObjectName("explicit_summary");
        form->addRow(explicitSummary_);
        clearExplicit_ = new QPushButton(tr("Clear"));
        clearExplicit_->setObjectName("clear_explicit");
        clearExplicit_->setToolTip(tr("Remove the explicit values so they are computed again when the model is built"));
        connect(clearExplicit_, &QPushButton::clicked, this, [this, clear] { edit("explicit", clear); });
        form->addRow(QString(), clearExplicit_);
    }

    void showExplicit(const QStringList& parts) {
        explicitSummary_->setText(parts.isEmpty() ? tr("None: everything is computed when the model is built.")
                                                  : parts.join("\n"));
        clearExplicit_->setEnabled(!parts.isEmpty());
    }

    std::string id_;
    CheckedLineEdit* label_ = nullptr;

private:
    QLabel* explicitSummary_ = nullptr;
    QPushButton* clearExplicit_ = nullptr;
};

// ---------------------------------------------------------------- nodes

namespace {

// core::NodeOutput's alternatives, in its order (the output box lists them so).
enum NodeKind { ConstantKind, SineKind, SquareKind, StepKind, PiecewiseKind, NoiseKind, ExpressionKind, DataKind, PassthroughKind };
static_assert(std::is_same_v<std::variant_alternative_t<NoiseKind, core::NodeOutput>, core::WhiteNoise>);
static_assert(std::is_same_v<std::variant_alternative_t<PassthroughKind, core::NodeOutput>, core::PassthroughOutput>);

// A node with size_out `size`, its output resized to match (new elements 0).
void resizeNode(core::Node& n, int size) {
    n.sizeOut = size;
    n.sizeIn = n.isPassthrough() ? size : 0;
    if (auto c = std::get_if<core::ConstantOutput>(&n.output)) c->value.resize(static_cast<size_t>(size), 0.0);
    if (auto p = std::get_if<core::Piecewise>(&n.output)) p->values = resizedTable(p->values, static_cast<int>(p->times.size()), size);
    if (auto e = std::get_if<core::ExpressionOutput>(&n.output)) e->expressions.resize(static_cast<size_t>(size), "0");
    if (auto d = std::get_if<core::DataOutput>(&n.output)) d->rows = resizedTable(d->rows, std::max(d->rows.rows, 1), size);
}

// A node switched to another kind of output; the waves keep their parameters.
core::Node withOutputKind(core::Node n, int kind) {
    const core::NodeOutput old = n.output;
    n.output = makeAlternative<core::NodeOutput>(static_cast<size_t>(kind));
    std::optional<core::SineWave> wave;
    if (auto s = std::get_if<core::SineWave>(&old)) wave = *s;
    if (auto q = std::get_if<core::SquareWave>(&old)) wave = core::SineWave{q->amplitude, q->frequency, q->phase, q->offset};
    if (auto s = std::get_if<core::SineWave>(&n.output); s && wave) *s = *wave;
    if (auto q = std::get_if<core::SquareWave>(&n.output); q && wave) *q = {wave->amplitude, wave->frequency, wave->phase, wave->offset};
    if (auto p = std::get_if<core::Piecewise>(&n.output)) p->times = {0.0};
    resizeNode(n, std::max(n.sizeOut, 1));
    return n;
}

// Piecewise rows as one table: the time, then the values.
core::Table piecewiseTable(const core::Piecewise& p, int sizeOut) {
    core::Table t = resizedTable({}, static_cast<int>(p.times.size()), sizeOut + 1);
    for (int r = 0; r < t.rows; ++r) {
        t.values[static_cast<size_t>(r) * t.cols] = p.times[static_cast<size_t>(r)];
        for (int c = 0; c < sizeOut && c < p.values.cols; ++c) t.values[static_cast<size_t>(r) * t.cols + c + 1] = p.values.at(r, c);
    }
    return t;
}

core::Piecewise piecewiseFrom(const core::Table& t) {
    core::Piecewise p{{}, resizedTable({}, t.rows, t.cols - 1)};
    for (int r = 0; r < t.rows; ++r) {
        p.times.push_back(t.at(r, 0));
        for (int c = 1; c < t.cols; ++c) p.values.values[static_cast<size_t>(r) * (t.cols - 1) + c - 1] = t.at(r, c);
    }
    return p;
}

}  // namespace

class NodeForm : public ObjectForm<core::Node> {
public:
    NodeForm(GraphModel* model, std::string id) : ObjectForm(model, std::move(id)) {
        QFormLayout* basics = addSection(tr("Basics"));
        addLabelRow(basics);
        kind_ = new QComboBox;
        kind_->setObjectName("output_type");
        kind_->addItems({tr("Constant"), tr("Sine wave"), tr("Square wave"), tr("Step"), tr("Piecewise"), tr("White noise"),
                         tr("Expressions of t"), tr("Data table"), tr("Passthrough")});
        basics->addRow(tr("Output"), kind_);
        sizeOut_ = countBox("size_out", atLeast(1));
        basics->addRow(tr("Size out"), checkedField(sizeOut_));
        sizeIn_ = new QLabel;
        sizeIn_->setObjectName("size_in");
        basics->addRow(tr("Size in"), sizeIn_);
        connect(kind_, &QComboBox::activated, this, [this](int kind) {
            if (kind != static_cast<int>(current().output.index())) edit("output", [&](core::Node& n) { n = withOutputKind(n, kind); });
        });
        connect(sizeOut_, &NumberSpinBox::edited, this,
                [this](double size) { edit("size_out", [&](core::Node& n) { resizeNode(n, static_cast<int>(size)); }); });

        output_ = addSection(tr("Output"));
        addConstantRows();
        addWaveRows();
        addNoiseRows();
        addTableRows();
        auto* passthrough = noteLabel(tr("Passes on the sum of its inputs (size in = size out)."));
        output_->addRow(passthrough);
        kinds_[passthrough] = {PassthroughKind};
        finish();
    }

    void load() override {
        const core::Node n = current();
        const int kind = static_cast<int>(n.output.index());
        label_->setTextQuietly(qs(n.label));
        kind_->setCurrentIndex(kind);
        sizeOut_->setNumber(n.sizeOut);
        sizeIn_->setText(n.isPassthrough() ? QString::number(n.sizeIn) : tr("0 (an output function takes no input)"));
        setVisibleRows(output_, kinds_, kind);
        std::visit([&](const auto& o) { show(o, n.sizeOut); }, n.output);
    }

private:
    template <class Change>
    void editOutput(const QString& field, Change change) {
        edit(field, [&](core::Node& n) { std::visit(change, n.output); });
    }

    template <class Widget>
    Widget* addOutputRow(const QString& label, Widget* widget, std::vector<int> kinds) {
        QWidget* field = widget;
        if constexpr (requires { &Widget::problemChanged; }) field = checkedField(widget);
        output_->addRow(label, field);
        kinds_[field] = std::move(kinds);
        return widget;
    }

    // A number of the output that the kinds with that member share (amplitude of sine and square, ...).
    void addParameter(const QString& label, const char* name, std::vector<int> kinds, const QString& unit,
                                NumberRule rule, std::function<double*(core::NodeOutput&)> member) {
        auto* box = addOutputRow(label, numberBox(name, unit, std::move(rule)), std::move(kinds));
        connect(box, &NumberSpinBox::edited, this, [this, name, member](double v) {
            edit(QStringLiteral("output.%1").arg(name), [&](core::Node& n) {
                if (double* target = member(n.output)) *target = v;
            });
        });
        parameters_.emplace_back(box, member);
    }

    void addConstantRows() {
        constant_ = addOutputRow(tr("Values"), new CheckedLineEdit([](const QString& t) {
                                     std::vector<double> v;
                                     return parseNumbers(t, v);
                                 }),
                                 {ConstantKind});
        constant_->setObjectName("value");
        constant_->setToolTip(tr("One value per output dimension, separated by commas"));
        connect(constant_, &CheckedLineEdit::edited, this, [this](const QString& text) {
            edit("output.value", [&](core::Node& n) {
                auto& c = std::get<core::ConstantOutput>(n.output);
                parseNumbers(text, c.value);
                n.sizeOut = static_cast<int>(c.value.size());
            });
        });
    }

    // Parameters are found by visiting the output, so one box serves every kind that has the member.
    void addWaveRows() {
        const std::vector<int> waves{SineKind, SquareKind};
        auto wave = [](auto pick) {
            return [pick](core::NodeOutput& o) -> double* {
                if (auto s = std::get_if<core::SineWave>(&o)) return pick(*s);
                if (auto q = std::get_if<core::SquareWave>(&o)) return pick(*q);
                return nullptr;
            };
        };
        addParameter(tr("Amplitude"), "amplitude", waves, {}, {}, wave([](auto& w) { return &w.amplitude; }));
        addParameter(tr("Frequency"), "frequency", waves, tr("Hz"), nonNegative(), wave([](auto& w) { return &w.frequency; }));
        addParameter(tr("Phase"), "phase", waves, tr("rad"), {}, wave([](auto& w) { return &w.phase; }));
        addParameter(tr("Offset"), "offset", waves, {}, {}, wave([](auto& w) { return &w.offset; }));
        auto step = [](auto pick) {
            return [pick](core::NodeOutput& o) -> double* {
                auto s = std::get_if<core::StepFunction>(&o);
                return s ? pick(*s) : nullptr;
            };
        };
        addParameter(tr("Time"), "time", {StepKind}, tr("s"), nonNegative(), step([](auto& s) { return &s.time; }));
        addParameter(tr("Before"), "before", {StepKind}, {}, {}, step([](auto& s) { return &s.before; }));
        addParameter(tr("After"), "after", {StepKind}, {}, {}, step([](auto& s) { return &s.after; }));
    }

    void addNoiseRows() {
        auto noise = [](auto pick) {
            return [pick](core::NodeOutput& o) -> double* {
                auto w = std::get_if<core::WhiteNoise>(&o);
                return w ? pick(*w) : nullptr;
            };
        };
        addParameter(tr("Period"), "period", {NoiseKind}, tr("s"), positive(), noise([](auto& w) { return &w.period; }));
        addParameter(tr("Highest freq."), "high", {NoiseKind}, tr("Hz"), positive(), noise([](auto& w) { return &w.high; }));
        addParameter(tr("RMS"), "rms", {NoiseKind}, {}, nonNegative(), noise([](auto& w) { return &w.rms; }));
        noiseSeed_ = addOutputRow(tr("Seed"), new SeedEdit(tr("0")), {NoiseKind});
        noiseSeed_->setObjectName("seed");
        connect(noiseSeed_, &SeedEdit::edited, this, [this] {
            editOutput("output.seed", [&](auto& o) {
                if constexpr (requires { o.seed; }) o.seed = noiseSeed_->seed().value_or(0);
            });
        });
    }

    void addTableRows() {
        expressions_ = addOutputRow(tr("Expressions"), new ExpressionListEditor, {ExpressionKind});
        expressions_->setObjectName("expressions");
        expressions_->setVariables({"t"});
        auto* tNote = noteLabel(tr("One per output dimension, of t (seconds)"));
        output_->addRow(QString(), tNote);
        kinds_[tNote] = {ExpressionKind};
        connect(expressions_, &ExpressionListEditor::edited, this, [this](const std::vector<std::string>& e) {
            edit("output.expressions", [&](core::Node& n) {
                std::get<core::ExpressionOutput>(n.output).expressions = e;
                n.sizeOut = static_cast<int>(e.size());
            });
        });

        piecewise_ = addOutputRow(tr("Values from"), new TableEditor, {PiecewiseKind});
        piecewise_->setObjectName("piecewise");
        connect(piecewise_, &TableEditor::edited, this, [this](const core::Table& t) {
            edit("output.values", [&](core::Node& n) { n.output = piecewiseFrom(t); });
        });

        data_ = addOutputRow(tr("Rows"), new TableEditor, {DataKind});
        data_->setObjectName("rows");
        connect(data_, &TableEditor::edited, this,
                [this](const core::Table& t) { edit("output.rows", [&](core::Node& n) { std::get<core::DataOutput>(n.output).rows = t; }); });
        auto* import = addOutputRow(QString(), new QPushButton(tr("Import .npy or CSV…")), {DataKind});
        import->setObjectName("import");
        connect(import, &QPushButton::clicked, this, &NodeForm::importData);
        presentation_ = addOutputRow(tr("Each row for"), numberBox("presentation_time", tr("s"), nonNegative()), {DataKind});
        connect(presentation_, &NumberSpinBox::edited, this, [this](double v) {
            edit("output.presentation_time", [&](core::Node& n) { std::get<core::DataOutput>(n.output).presentationTime = v; });
        });
        auto* presentationNote = noteLabel(tr("0 s: one row per time step; the rows repeat"));
        output_->addRow(QString(), presentationNote);
        kinds_[presentationNote] = {DataKind};
    }

    void importData() {
        const QString path = QFileDialog::getOpenFileName(this, tr("Import data rows"), {}, tr("Data (*.npy *.csv)"));
        if (path.isEmpty()) return;
        try {
            const core::Table rows = readTableFile(path.toStdString());
            edit("output.rows", [&](core::Node& n) {
                std::get<core::DataOutput>(n.output).rows = rows;
                n.sizeOut = rows.cols;
            });
        } catch (const core::Error& e) {
            QMessageBox::warning(this, tr("Import data rows"), QString::fromUtf8(e.what()));
        }
    }

    template <class O>
    void show(const O& o, int sizeOut) {
        core::NodeOutput output = o;
        for (auto& [box, member] : parameters_)
            if (const double* v = member(output)) box->setNumber(*v);
        if constexpr (std::is_same_v<O, core::ConstantOutput>) {
            std::vector<double> shown;
            if (!parseNumbers(constant_->text(), shown).isEmpty() || shown != o.value) constant_->setTextQuietly(formatNumbers(o.value));
        } else if constexpr (std::is_same_v<O, core::WhiteNoise>) {
            if (noiseSeed_->seed().value_or(0) != o.seed) noiseSeed_->setSeed(o.seed);
        } else if constexpr (std::is_same_v<O, core::ExpressionOutput>) {
            expressions_->setExpressions(o.expressions);
        } else if constexpr (std::is_same_v<O, core::Piecewise>) {
            QStringList names{tr("t (s)")};
            for (int c = 0; c < sizeOut; ++c) names << QString::number(c);
            piecewise_->setColumnNames(names);
            piecewise_->setFixedColumns(sizeOut + 1);
            piecewise_->setTable(piecewiseTable(o, sizeOut));
            piecewise_->setWarning(std::is_sorted(o.times.begin(), o.times.end()) ? QString() : tr("the times must increase"));
        } else if constexpr (std::is_same_v<O, core::DataOutput>) {
            data_->setFixedColumns(sizeOut);
            data_->setTable(o.rows);
            presentation_->setNumber(o.presentationTime);
        }
    }

    QComboBox* kind_;
    NumberSpinBox* sizeOut_;
    QLabel* sizeIn_;
    QFormLayout* output_;
    std::map<QWidget*, std::vector<int>> kinds_;  // output rows and the kinds that show them
    std::vector<std::pair<NumberSpinBox*, std::function<double*(core::NodeOutput&)>>> parameters_;
    CheckedLineEdit* constant_;
    SeedEdit* noiseSeed_;
    ExpressionListEditor* expressions_;
    TableEditor *piecewise_, *data_;
    NumberSpinBox* presentation_;
};

// ---------------------------------------------------------------- ensembles

class EnsembleForm : public ObjectForm<core::Ensemble> {
public:
    EnsembleForm(GraphModel* model, std::string id) : ObjectForm(model, std::move(id)) {
        QFormLayout* basics = addSection(tr("Basics"));
        addLabelRow(basics);
        nNeurons_ = countBox("n_neurons", atLeast(1));
        basics->addRow(tr("Neurons"), checkedField(nNeurons_));
        dimensions_ = countBox("dimensions", atLeast(1));
        basics->addRow(tr("Dimensions"), checkedField(dimensions_));
        radius_ = numberBox("radius", {}, positive());
        basics->addRow(tr("Radius"), checkedField(radius_));
        seed_ = new SeedEdit(tr("automatic (from the network seed)"));
        seed_->setObjectName("seed");
        basics->addRow(tr("Seed"), checkedField(seed_));
        connect(nNeurons_, &NumberSpinBox::edited, this, [this](double v) { edit("n_neurons", [&](auto& e) { e.nNeurons = static_cast<int>(v); }); });
        connect(dimensions_, &NumberSpinBox::edited, this, [this](double v) { edit("dimensions", [&](auto& e) { e.dimensions = static_cast<int>(v); }); });
        connect(radius_, &NumberSpinBox::edited, this, [this](double v) { edit("radius", [&](auto& e) { e.radius = v; }); });
        connect(seed_, &SeedEdit::edited, this, [this] { edit("seed", [&](auto& e) { e.seed = seed_->seed(); }); });

        QFormLayout* neurons = addSection(tr("Neurons"));
        neuronType_ = new NeuronTypePicker;
        neuronType_->setObjectName("neuron_type");
        neurons->addRow(tr("Type"), neuronType_);
        connect(neuronType_, &NeuronTypePicker::edited, this, [this](const QString& part) {
            edit(part.isEmpty() ? QStringLiteral("neuron_type") : "neuron_type." + part,
                 [&](auto& e) { e.neuronType = neuronType_->neuronType(); });
        });

        QFormLayout* distributions = addSection(tr("Distributions"));
        using Samples = DistributionPicker::Samples;
        maxRates_ = addDistribution(distributions, tr("Max rates"), "max_rates", Samples::Scalars, tr("Hz"), &core::Ensemble::maxRates);
        intercepts_ = addDistribution(distributions, tr("Intercepts"), "intercepts", Samples::Scalars, {}, &core::Ensemble::intercepts);
        encoders_ = addDistribution(distributions, tr("Encoders"), "encoders", Samples::Vectors, {}, &core::Ensemble::encoders);
        evalPoints_ = addDistribution(distributions, tr("Eval points"), "eval_points", Samples::Vectors, {}, &core::Ensemble::evalPoints);
        nEvalPoints_ = new OptionalCountEdit({});
        nEvalPoints_->setObjectName("n_eval_points");
        distributions->addRow(tr("Eval point count"), checkedField(nEvalPoints_));
        normalize_ = checkBox("normalize_encoders", tr("Normalise encoders"));
        distributions->addRow(QString(), normalize_);
        connect(nEvalPoints_, &OptionalCountEdit::edited, this, [this] { edit("n_eval_points", [&](auto& e) { e.nEvalPoints = nEvalPoints_->count(); }); });
        connect(normalize_, &QCheckBox::clicked, this, [this](bool on) { edit("normalize_encoders", [&](auto& e) { e.normalizeEncoders = on; }); });

        addExplicitSection([](core::Ensemble& e) {
            e.gain.reset();
            e.bias.reset();
            e.initialState = {};
        });

        QFormLayout* training = addSection(tr("Training"));
        trainable_ = checkBox("trainable", tr("Trainable (encoders and biases)"));
        training->addRow(QString(), trainable_);
        connect(trainable_, &QCheckBox::clicked, this, [this](bool on) { edit("trainable", [&](auto& e) { e.trainable = on; }); });
        finish();
    }

    void load() override {
        const core::Ensemble e = current();
        label_->setTextQuietly(qs(e.label));
        nNeurons_->setNumber(e.nNeurons);
        dimensions_->setNumber(e.dimensions);
        radius_->setNumber(e.radius);
        if (seed_->seed() != e.seed || !seed_->problem().isEmpty()) seed_->setSeed(e.seed);
        neuronType_->setNeuronType(e.neuronType);
        const int evalCount = e.nEvalPoints.value_or(core::defaultEvalPointCount(e.nNeurons, e.dimensions));
        maxRates_->setExpectedShape(e.nNeurons, 1, true);
        intercepts_->setExpectedShape(e.nNeurons, 1, true);
        encoders_->setExpectedShape(e.nNeurons, e.dimensions, true);
        evalPoints_->setExpectedShape(evalCount, e.dimensions, false);
        maxRates_->setDistribution(e.maxRates);
        intercepts_->setDistribution(e.intercepts);
        encoders_->setDistribution(e.encoders);
        evalPoints_->setDistribution(e.evalPoints);
        nEvalPoints_->setPlaceholderText(tr("default (%1)").arg(core::defaultEvalPointCount(e.nNeurons, e.dimensions)));
        if (nEvalPoints_->count() != e.nEvalPoints || !nEvalPoints_->problem().isEmpty()) nEvalPoints_->setCount(e.nEvalPoints);
        normalize_->setChecked(e.normalizeEncoders);
        trainable_->setChecked(e.trainable);
        QStringList parts;
        if (e.gain || e.bias)
            parts << tr("Gains and biases: %1 and %2 values (max rates and intercepts are not used)")
                         .arg(e.gain ? e.gain->size() : 0)
                         .arg(e.bias ? e.bias->size() : 0);
        if (!e.initialState.voltage.empty()) parts << tr("Initial voltages: %1 values").arg(e.initialState.voltage.size());
        if (!e.initialState.refractoryTime.empty())
            parts << tr("Initial refractory times: %1 values").arg(e.initialState.refractoryTime.size());
        showExplicit(parts);
    }

private:
    DistributionPicker* addDistribution(QFormLayout* form, const QString& label, const char* field, DistributionPicker::Samples samples,
                                        const QString& unit, core::Distribution core::Ensemble::*member) {
        auto* picker = new DistributionPicker(samples, unit);
        picker->setObjectName(field);
        form->addRow(label, picker);
        connect(picker, &DistributionPicker::edited, this, [this, picker, field, member](const QString& part) {
            edit(part.isEmpty() ? QString(field) : QStringLiteral("%1.%2").arg(field, part),
                 [&](core::Ensemble& e) { e.*member = picker->distribution(); });
        });
        return picker;
    }

    NumberSpinBox *nNeurons_, *dimensions_, *radius_;
    SeedEdit* seed_;
    NeuronTypePicker* neuronType_;
    DistributionPicker *maxRates_, *intercepts_, *encoders_, *evalPoints_;
    OptionalCountEdit* nEvalPoints_;
    QCheckBox *normalize_, *trainable_;
};

// ---------------------------------------------------------------- connections

namespace {

enum FunctionKind { IdentityFunction, ExpressionFunction, TargetsFunction };

// Why training leaves a connection alone (as NengoDL does), empty if it may train it.
QString notTrainedReason(const core::Connection& c) {
    if (c.learningRule) return QObject::tr("learned online by PES; not trained by backpropagation");
    if (c.post.kind == core::EndpointKind::LearningRule)
        return QObject::tr("carries a learning rule's error; not trained by backpropagation");
    if (c.pre.kind == core::EndpointKind::Node) return QObject::tr("starts at a node: only weights from neurons are trained");
    return {};
}

}  // namespace

class ConnectionForm : public ObjectForm<core::Connection> {
public:
    ConnectionForm(GraphModel* model, std::string id) : ObjectForm(model, std::move(id)) {
        addBasics();
        addFunction();
        addLearning();
        addExplicitSection([](core::Connection& c) {
            c.evalPoints.reset();
            c.decoders.reset();
            c.weights.reset();
        });
        QFormLayout* training = addSection(tr("Training"));
        trainable_ = checkBox("trainable", tr("Trainable (weights)"));
        training->addRow(QString(), trainable_);
        trainableReason_ = noteLabel();
        trainableReason_->setObjectName("trainable_reason");
        training->addRow(QString(), trainableReason_);
        connect(trainable_, &QCheckBox::clicked, this, [this](bool on) { edit("trainable", [&](auto& c) { c.trainable = on; }); });
        finish();
    }

    void load() override {
        const core::Connection c = current();
        const auto preSize = model_->outputSize(c.pre);
        const auto postSize = model_->inputSize(c.post);
        const bool decoded = c.pre.kind == core::EndpointKind::Ensemble;
        label_->setTextQuietly(qs(c.label));
        pre_->setText(describeEndpoint(*model_, c.pre));
        post_->setText(describeEndpoint(*model_, c.post));
        preSlice_->setVectorSize(preSize);
        preSlice_->setSlice(c.preSlice);
        postSlice_->setVectorSize(postSize);
        postSlice_->setSlice(c.postSlice);
        synapse_->setSynapse(c.synapse);

        const std::optional<int> sizeIn = slicedSize(c.preSlice, preSize);
        std::optional<int> sizeMid = sizeIn;
        int kind = IdentityFunction;
        if (c.function) {
            if (auto e = std::get_if<core::FunctionExpression>(&*c.function)) {
                kind = ExpressionFunction;
                sizeMid = static_cast<int>(e->expressions.size());
                expressions_->setVariables(functionVariables(sizeIn.value_or(0)));
                expressions_->setExpressions(e->expressions);
            } else {
                const auto& targets = std::get<core::FunctionTargets>(*c.function).targets;
                kind = TargetsFunction;
                sizeMid = targets.cols;
                targetsNote_->setText(tr("%1 × %2 values at the eval points").arg(targets.rows).arg(targets.cols));
            }
        }
        function_->setEnabled(decoded);
        // Target values come from files (Nengo's function=array); they cannot be chosen here, only kept.
        qobject_cast<QStandardItemModel*>(function_->model())->item(TargetsFunction)->setEnabled(kind == TargetsFunction);
        function_->setCurrentIndex(kind);
        function_->setToolTip(decoded ? QString() : tr("A function needs an ensemble as pre: it is decoded from the neurons"));
        functionSection_->setRowVisible(expressions_, kind == ExpressionFunction);
        functionSection_->setRowVisible(variables_, kind == ExpressionFunction);
        functionSection_->setRowVisible(targetsNote_, kind == TargetsFunction);
        variables_->setText(variablesNote(sizeIn.value_or(1)));
        transform_->setTransform(c.transform, sizeMid, slicedSize(c.postSlice, postSize));
        reg_->setNumber(c.solver.reg);
        weights_->setChecked(c.solver.weights);
        functionSection_->setRowVisible(regField_, decoded);
        functionSection_->setRowVisible(weights_, decoded);

        pes_->setChecked(c.learningRule.has_value());
        learning_->setRowVisible(learningRateField_, c.learningRule.has_value());
        learning_->setRowVisible(preSynapse_, c.learningRule.has_value());
        if (c.learningRule) {
            learningRate_->setNumber(c.learningRule->learningRate);
            preSynapse_->setSynapse(c.learningRule->preSynapse);
        }

        const QString reason = notTrainedReason(c);
        trainable_->setEnabled(reason.isEmpty());
        trainable_->setChecked(reason.isEmpty() && c.trainable);  // shown as not trained when it cannot be
        trainableReason_->setText(reason);
        trainableReason_->setVisible(!reason.isEmpty());

        QStringList parts;
        if (c.weights)
            parts << tr("Weights: %1 × %2 (replace the function, transform and solver)").arg(c.weights->rows).arg(c.weights->cols);
        if (c.decoders) parts << tr("Decoders: %1 × %2").arg(c.decoders->rows).arg(c.decoders->cols);
        if (c.evalPoints) parts << tr("Eval points: %1 × %2").arg(c.evalPoints->rows).arg(c.evalPoints->cols);
        showExplicit(parts);
    }

private:
    void addBasics() {
        QFormLayout* basics = addSection(tr("Basics"));
        addLabelRow(basics);
        pre_ = valueLabel();
        pre_->setObjectName("pre");
        basics->addRow(tr("Pre"), pre_);
        post_ = valueLabel();
        post_->setObjectName("post");
        basics->addRow(tr("Post"), post_);
        preSlice_ = new SliceEdit(true);
        preSlice_->setObjectName("pre_slice");
        basics->addRow(tr("Pre slice"), checkedField(preSlice_));
        postSlice_ = new SliceEdit(false);
        postSlice_->setObjectName("post_slice");
        basics->addRow(tr("Post slice"), checkedField(postSlice_));
        synapse_ = new SynapsePicker;
        synapse_->setObjectName("synapse");
        basics->addRow(tr("Synapse"), synapse_);
        connect(preSlice_, &SliceEdit::edited, this, [this] { edit("pre_slice", [&](auto& c) { c.preSlice = preSlice_->slice(); }); });
        connect(postSlice_, &SliceEdit::edited, this, [this] { edit("post_slice", [&](auto& c) { c.postSlice = postSlice_->slice(); }); });
        connect(synapse_, &SynapsePicker::edited, this, [this](const QString& part) {
            edit(part.isEmpty() ? QStringLiteral("synapse") : "synapse." + part, [&](auto& c) { c.synapse = synapse_->synapse(); });
        });
    }

    void addFunction() {
        functionSection_ = addSection(tr("Function and transform"));
        function_ = new QComboBox;
        function_->setObjectName("function_type");
        function_->addItems({tr("None (identity)"), tr("Expressions of x"), tr("Target values")});
        functionSection_->addRow(tr("Function"), function_);
        expressions_ = new ExpressionListEditor;
        expressions_->setObjectName("function");
        functionSection_->addRow(QString(), expressions_);
        variables_ = noteLabel();
        variables_->setObjectName("variables");
        functionSection_->addRow(QString(), variables_);
        targetsNote_ = noteLabel();
        functionSection_->addRow(QString(), targetsNote_);
        transform_ = new TransformEditor;
        transform_->setObjectName("transform");
        functionSection_->addRow(tr("Transform"), transform_);
        reg_ = numberBox("reg", {}, nonNegative());
        regField_ = checkedField(reg_);
        functionSection_->addRow(tr("Solver reg."), regField_);
        weights_ = checkBox("solver_weights", tr("Solve for full weights"));
        functionSection_->addRow(QString(), weights_);

        connect(function_, &QComboBox::activated, this, [this](int kind) {
            edit("function", [&](core::Connection& c) {
                if (kind == IdentityFunction) c.function.reset();
                const bool hasExpressions = c.function && std::holds_alternative<core::FunctionExpression>(*c.function);
                if (kind == ExpressionFunction && !hasExpressions) {
                    // Starts as the identity of the sliced pre, written out.
                    const int size = slicedSize(c.preSlice, model_->outputSize(c.pre)).value_or(1);
                    c.function = core::FunctionExpression{size == 1 ? std::vector<std::string>{"x"} : functionVariables(size)};
                }
            });
        });
        connect(expressions_, &ExpressionListEditor::edited, this, [this](const std::vector<std::string>& e) {
            edit("function", [&](auto& c) { c.function = core::FunctionExpression{e}; });
        });
        connect(transform_, &TransformEditor::edited, this, [this](const QString& part) {
            edit(part.isEmpty() ? QStringLiteral("transform") : "transform." + part, [&](auto& c) { c.transform = transform_->transform(); });
        });
        connect(reg_, &NumberSpinBox::edited, this, [this](double v) { edit("solver.reg", [&](auto& c) { c.solver.reg = v; }); });
        connect(weights_, &QCheckBox::clicked, this, [this](bool on) { edit("solver.weights", [&](auto& c) { c.solver.weights = on; }); });
    }

    void addLearning() {
        learning_ = addSection(tr("Learning"));
        pes_ = checkBox("learning_rule", tr("PES learning rule"));
        learning_->addRow(QString(), pes_);
        learningRate_ = numberBox("learning_rate", {}, nonNegative());
        learningRateField_ = checkedField(learningRate_);
        learning_->addRow(tr("Learning rate"), learningRateField_);
        preSynapse_ = new SynapsePicker;
        preSynapse_->setObjectName("pre_synapse");
        learning_->addRow(tr("Pre synapse"), preSynapse_);
        connect(pes_, &QCheckBox::clicked, this, [this](bool on) {
            edit("learning_rule", [&](auto& c) { c.learningRule = on ? std::optional(core::PesRule{}) : std::nullopt; });
        });
        connect(learningRate_, &NumberSpinBox::edited, this, [this](double v) {
            edit("learning_rule.learning_rate", [&](auto& c) {
                if (c.learningRule) c.learningRule->learningRate = v;
            });
        });
        connect(preSynapse_, &SynapsePicker::edited, this, [this](const QString& part) {
            edit(part.isEmpty() ? QStringLiteral("learning_rule.pre_synapse") : "learning_rule.pre_synapse." + part,
                 [&](auto& c) {
                     if (c.learningRule) c.learningRule->preSynapse = preSynapse_->synapse();
                 });
        });
    }

    QLabel *pre_, *post_;
    SliceEdit *preSlice_, *postSlice_;
    SynapsePicker* synapse_;
    QFormLayout* functionSection_;
    QComboBox* function_;
    ExpressionListEditor* expressions_;
    QLabel *variables_, *targetsNote_;
    TransformEditor* transform_;
    NumberSpinBox* reg_;
    CheckedField* regField_;
    QCheckBox* weights_;
    QFormLayout* learning_;
    QCheckBox* pes_;
    NumberSpinBox* learningRate_;
    CheckedField* learningRateField_;
    SynapsePicker* preSynapse_;
    QCheckBox* trainable_;
    QLabel* trainableReason_;
};

// ---------------------------------------------------------------- probes

namespace {

const std::pair<core::ProbeAttribute, const char*> attributeNames[] = {
    {core::ProbeAttribute::Output, "output"},   {core::ProbeAttribute::DecodedOutput, "decoded_output"},
    {core::ProbeAttribute::Input, "input"},     {core::ProbeAttribute::Voltage, "voltage"},
    {core::ProbeAttribute::RefractoryTime, "refractory_time"}, {core::ProbeAttribute::Weights, "weights"},
    {core::ProbeAttribute::Error, "error"},     {core::ProbeAttribute::Activities, "activities"},
    {core::ProbeAttribute::Delta, "delta"}};

// What the builder can probe on a target of this kind (buildProbe).
std::vector<core::ProbeAttribute> validAttributes(const GraphModel& model, const core::Endpoint& target) {
    using A = core::ProbeAttribute;
    switch (target.kind) {
        case core::EndpointKind::Node: return {A::Output};
        case core::EndpointKind::Ensemble: return {A::DecodedOutput, A::Input};
        case core::EndpointKind::Neurons: {
            std::vector<A> out{A::Output, A::Input};
            const auto e = model.object(target.id);
            if (auto ens = e ? std::get_if<core::Ensemble>(&*e) : nullptr) {
                if (core::hasVoltage(ens->neuronType)) out.push_back(A::Voltage);
                if (core::hasRefractoryTime(ens->neuronType)) out.push_back(A::RefractoryTime);
            }
            return out;
        }
        case core::EndpointKind::Connection: return {A::Output, A::Weights};
        case core::EndpointKind::LearningRule: return {A::Error, A::Activities, A::Delta};
    }
    return {};
}

QString attributeName(core::ProbeAttribute a) {
    for (const auto& [attribute, name] : attributeNames)
        if (attribute == a) return QString::fromLatin1(name);
    return {};
}

bool isMatrixAttribute(core::ProbeAttribute a) { return a == core::ProbeAttribute::Weights || a == core::ProbeAttribute::Delta; }

}  // namespace

class ProbeForm : public ObjectForm<core::Probe> {
public:
    ProbeForm(GraphModel* model, std::string id) : ObjectForm(model, std::move(id)) {
        QFormLayout* basics = addSection(tr("Basics"));
        addLabelRow(basics);
        target_ = valueLabel();
        target_->setObjectName("target");
        basics->addRow(tr("Target"), target_);
        attribute_ = new QComboBox;
        attribute_->setObjectName("attr");
        basics->addRow(tr("Attribute"), attribute_);
        slice_ = new SliceEdit(true);
        slice_->setObjectName("slice");
        basics->addRow(tr("Slice"), checkedField(slice_));
        synapse_ = new SynapsePicker;
        synapse_->setObjectName("synapse");
        basics->addRow(tr("Synapse"), synapse_);
        sampleEvery_ = new CheckedLineEdit([](const QString& text) {
            if (text.trimmed().isEmpty()) return QString();
            bool ok = false;
            const double v = QLocale::c().toDouble(text.trimmed(), &ok);
            return ok && v > 0.0 ? QString() : tr("a positive number of seconds, or empty for every step");
        });
        sampleEvery_->setObjectName("sample_every");
        sampleEvery_->setPlaceholderText(tr("every step"));
        basics->addRow(tr("Sample every"), checkedField(sampleEvery_, tr("s")));
        decoding_ = addSection(tr("Decoding"));
        reg_ = numberBox("reg", {}, nonNegative());
        decoding_->addRow(tr("Solver reg."), checkedField(reg_));
        addExplicitSection([](core::Probe& p) { p.decoders.reset(); });
        finish();

        connect(attribute_, &QComboBox::activated, this, [this](int i) {
            const auto a = static_cast<core::ProbeAttribute>(attribute_->itemData(i).toInt());
            edit("attr", [&](core::Probe& p) {
                p.attribute = a;
                if (isMatrixAttribute(a)) p.slice.reset();  // a matrix signal cannot be sliced
            });
        });
        connect(slice_, &SliceEdit::edited, this, [this] { edit("slice", [&](auto& p) { p.slice = slice_->slice(); }); });
        connect(synapse_, &SynapsePicker::edited, this, [this](const QString& part) {
            edit(part.isEmpty() ? QStringLiteral("synapse") : "synapse." + part, [&](auto& p) { p.synapse = synapse_->synapse(); });
        });
        connect(sampleEvery_, &CheckedLineEdit::edited, this, [this](const QString& text) {
            edit("sample_every", [&](auto& p) {
                p.sampleEvery = text.trimmed().isEmpty() ? std::nullopt : std::optional(QLocale::c().toDouble(text.trimmed()));
            });
        });
        connect(reg_, &NumberSpinBox::edited, this, [this](double v) { edit("solver.reg", [&](auto& p) { p.solver.reg = v; }); });
    }

    void load() override {
        const core::Probe p = current();
        label_->setTextQuietly(qs(p.label));
        target_->setText(describeEndpoint(*model_, p.target));
        auto valid = validAttributes(*model_, p.target);
        if (std::find(valid.begin(), valid.end(), p.attribute) == valid.end()) valid.push_back(p.attribute);  // shown, as the file has it
        QStringList names;
        for (core::ProbeAttribute a : valid) names << attributeName(a);
        if (names != attributeItems()) {
            attribute_->clear();
            for (core::ProbeAttribute a : valid) attribute_->addItem(attributeName(a), static_cast<int>(a));
        }
        attribute_->setCurrentIndex(attribute_->findData(static_cast<int>(p.attribute)));
        slice_->setEnabled(!isMatrixAttribute(p.attribute));
        slice_->setVectorSize(isMatrixAttribute(p.attribute) ? std::nullopt : model_->outputSize(p.target));
        slice_->setSlice(p.slice);
        synapse_->setSynapse(p.synapse);
        const QString every = p.sampleEvery ? formatNumber(*p.sampleEvery) : QString();
        bool ok = false;
        const double shown = QLocale::c().toDouble(sampleEvery_->text().trimmed(), &ok);
        if (!(ok && p.sampleEvery && shown == *p.sampleEvery)) sampleEvery_->setTextQuietly(every);
        reg_->setNumber(p.solver.reg);
        setSectionVisible(decoding_, p.target.kind == core::EndpointKind::Ensemble);
        showExplicit(p.decoders ? QStringList{tr("Decoders: %1 × %2").arg(p.decoders->rows).arg(p.decoders->cols)} : QStringList{});
    }

private:
    QStringList attributeItems() const {
        QStringList items;
        for (int i = 0; i < attribute_->count(); ++i) items << attribute_->itemText(i);
        return items;
    }

    QLabel* target_;
    QComboBox* attribute_;
    SliceEdit* slice_;
    SynapsePicker* synapse_;
    CheckedLineEdit* sampleEvery_;
    QFormLayout* decoding_;
    NumberSpinBox* reg_;
};

// ---------------------------------------------------------------- subnetworks and the project

class NetworkForm : public ObjectForm<core::Network> {
public:
    NetworkForm(GraphModel* model, std::string id) : ObjectForm(model, std::move(id)) {
        QFormLayout* basics = addSection(tr("Basics"));
        addLabelRow(basics);
        seed_ = new SeedEdit(tr("automatic (from the parent's seed)"));
        seed_->setObjectName("seed");
        basics->addRow(tr("Seed"), checkedField(seed_));
        connect(seed_, &SeedEdit::edited, this, [this] { edit("seed", [&](auto& n) { n.seed = seed_->seed(); }); });
        finish();
    }

    void load() override {
        const core::Network n = current();
        label_->setTextQuietly(qs(n.label));
        if (seed_->seed() != n.seed || !seed_->problem().isEmpty()) seed_->setSeed(n.seed);
    }

private:
    SeedEdit* seed_;
};

class ProjectForm : public InspectorForm {
public:
    explicit ProjectForm(GraphModel* model) : InspectorForm(model) {
        QFormLayout* project = addSection(tr("Project"));
        title_ = new QLineEdit;
        title_->setObjectName("title");
        project->addRow(tr("Title"), title_);
        description_ = new QPlainTextEdit;
        description_->setObjectName("description");
        description_->setTabChangesFocus(true);
        description_->setMaximumHeight(140);
        description_->installEventFilter(this);
        project->addRow(tr("Description"), description_);
        QFormLayout* simulation = addSection(tr("Simulation"));
        dt_ = numberBox("dt", tr("s"), positive());
        simulation->addRow(tr("Time step"), checkedField(dt_));
        duration_ = numberBox("duration", tr("s"), positive());
        simulation->addRow(tr("Duration"), checkedField(duration_));
        finish();
        // Text is committed when it is finished, so a title is one undo step, not one per key.
        connect(title_, &QLineEdit::editingFinished, this, [this] {
            change(tr("Change the title"), [&](auto& s) { s.title = title_->text().toStdString(); });
        });
        connect(dt_, &NumberSpinBox::edited, this, [this](double v) { change(tr("Change the time step"), [&](auto& s) { s.simulation.dt = v; }); });
        connect(duration_, &NumberSpinBox::edited, this,
                [this](double v) { change(tr("Change the duration"), [&](auto& s) { s.simulation.duration = v; }); });
    }

    QString heading() const override { return tr("Project"); }

    void load() override {
        const core::Project& p = model_->project();
        if (title_->text() != qs(p.title)) title_->setText(qs(p.title));
        if (description_->toPlainText() != qs(p.description)) description_->setPlainText(qs(p.description));
        dt_->setNumber(p.simulation.dt);
        duration_->setNumber(p.simulation.duration);
    }

protected:
    bool eventFilter(QObject* watched, QEvent* event) override {
        if (watched == description_ && event->type() == QEvent::FocusOut)
            change(tr("Change the description"), [&](auto& s) { s.description = description_->toPlainText().toStdString(); });
        return InspectorForm::eventFilter(watched, event);
    }

private:
    template <class Change>
    void change(const QString& text, Change apply) {
        const core::Project& p = model_->project();
        const ChangeProjectSettingsCommand::Settings before{p.title, p.description, p.simulation, p.training};
        auto after = before;
        apply(after);
        if (after.title == before.title && after.description == before.description && after.simulation == before.simulation) return;
        model_->undoStack()->push(new ChangeProjectSettingsCommand(model_, after, text));
    }

    QLineEdit* title_;
    QPlainTextEdit* description_;
    NumberSpinBox *dt_, *duration_;
};

// ---------------------------------------------------------------- the inspector

namespace {

InspectorForm* makeForm(GraphModel* model, const std::string& id) {
    switch (model->kind(id).value_or(ObjectKind::Network)) {
        case ObjectKind::Node: return new NodeForm(model, id);
        case ObjectKind::Ensemble: return new EnsembleForm(model, id);
        case ObjectKind::Connection: return new ConnectionForm(model, id);
        case ObjectKind::Probe: return new ProbeForm(model, id);
        case ObjectKind::Network: return new NetworkForm(model, id);
    }
    return nullptr;
}

QString kindName(ObjectKind kind) {
    switch (kind) {
        case ObjectKind::Node: return QObject::tr("Node");
        case ObjectKind::Ensemble: return QObject::tr("Ensemble");
        case ObjectKind::Connection: return QObject::tr("Connection");
        case ObjectKind::Probe: return QObject::tr("Probe");
        case ObjectKind::Network: return QObject::tr("Subnetwork");
    }
    return {};
}

}  // namespace

Inspector::Inspector(GraphModel* model, QWidget* parent) : QWidget(parent), model_(model) {
    auto* column = new QVBoxLayout(this);
    column->setContentsMargins(0, 0, 0, 0);
    column->setSpacing(0);
    title_ = new QLabel;
    title_->setObjectName("inspector_title");
    title_->setContentsMargins(10, 8, 10, 6);
    title_->setWordWrap(true);
    column->addWidget(title_);
    scroll_ = new QScrollArea;
    scroll_->setWidgetResizable(true);
    scroll_->setFrameShape(QFrame::NoFrame);
    scroll_->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    column->addWidget(scroll_);
    setMinimumWidth(300);

    connect(model_, &GraphModel::objectChanged, this, &Inspector::refresh);  // also what the shown object attaches to
    connect(model_, &GraphModel::projectInfoChanged, this, &Inspector::refresh);
    connect(model_, &GraphModel::objectRemoved, this, [this](const QString& id) {
        if (id.toStdString() == id_) showObject({});
        else refresh();
    });
    connect(model_, &GraphModel::modelReset, this, [this] { showObject(id_); });
    showObject({});
}

Inspector::~Inspector() = default;

void Inspector::showObject(const std::string& id) {
    id_ = model_->contains(id) ? id : std::string();
    form_ = id_.empty() ? static_cast<InspectorForm*>(new ProjectForm(model_)) : makeForm(model_, id_);
    form_->setObjectName("form");
    scroll_->setWidget(form_);  // deletes the previous form
    refresh();
}

void Inspector::refresh() {
    if (!id_.empty() && !model_->contains(id_)) return showObject({});  // e.g. moved away by a command
    form_->load();
    relayout(form_);  // load() may have shown or hidden rows
    const QString kind = id_.empty() ? QString() : kindName(*model_->kind(id_));
    title_->setText(kind.isEmpty() ? QStringLiteral("<b>%1</b>").arg(form_->heading().toHtmlEscaped())
                                   : QStringLiteral("<b>%1</b> %2").arg(kind, form_->heading().toHtmlEscaped()));
}

}  // namespace ui
