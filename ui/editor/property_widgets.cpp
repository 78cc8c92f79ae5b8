#include "property_widgets.h"

#include "common/error.h"
#include "common/expression.h"
#include "io/npy.h"
#include "io/training_data_file.h"

#include <QCheckBox>
#include <QComboBox>
#include <QEvent>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QPainter>
#include <QRegularExpression>
#include <QStyleOptionSpinBox>
#include <QTableWidget>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>
#include <set>

namespace ui {

namespace {

const QColor problemColor(198, 40, 40);
const QColor warningColor(176, 96, 0);

// Rows of a picker's parameters, indented under the picker's type box.
QFormLayout* parameterForm() {
    auto* form = new QFormLayout;
    form->setContentsMargins(16, 2, 0, 0);
    form->setFieldGrowthPolicy(QFormLayout::ExpandingFieldsGrow);
    form->setLabelAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    return form;
}

QString numbersCheck(const QString& text) {
    std::vector<double> values;
    return parseNumbers(text, values);
}

}  // namespace

// ---------------------------------------------------------------- rules and numbers

NumberRule positive() {
    return [](double v) { return v > 0.0 ? QString() : QObject::tr("must be positive"); };
}

NumberRule nonNegative() {
    return [](double v) { return v >= 0.0 ? QString() : QObject::tr("must not be negative"); };
}

NumberRule atLeast(double minimum) {
    return [minimum](double v) { return v >= minimum ? QString() : QObject::tr("must be at least %1").arg(formatNumber(minimum)); };
}

QString formatNumber(double value) {
    static const QRegularExpression paddedExponent(QStringLiteral("e\\+?(-?)0*(\\d)"));
    return QString::number(value, 'g', QLocale::FloatingPointShortest).replace(paddedExponent, QStringLiteral("e\\1\\2"));  // 1e-4, not 1e-04
}

QString formatNumbers(const std::vector<double>& values) {
    QStringList parts;
    for (double v : values) parts << formatNumber(v);
    return parts.join(", ");
}

QString parseNumbers(const QString& text, std::vector<double>& out) {
    out.clear();
    static const QRegularExpression separators(QStringLiteral("[,;\\s]+"));
    for (const QString& part : text.split(separators, Qt::SkipEmptyParts)) {
        bool ok = false;
        const double v = QLocale::c().toDouble(part, &ok);
        if (!ok) return QObject::tr("'%1' is not a number").arg(part);
        out.push_back(v);
    }
    return out.empty() ? QObject::tr("enter at least one number") : QString();
}

// ---------------------------------------------------------------- NumberSpinBox

NumberSpinBox::NumberSpinBox(const QString& unit, NumberRule rule, QWidget* parent)
    : QDoubleSpinBox(parent), rule_(std::move(rule)) {
    // Values are shown by textFromValue; many decimals keep setValue from rounding them.
    setDecimals(30);
    setRange(-1e15, 1e15);
    setCorrectionMode(CorrectToPreviousValue);
    if (!unit.isEmpty()) setSuffix(" " + unit);
    connect(lineEdit(), &QLineEdit::textChanged, this, &NumberSpinBox::recheck);
    connect(this, &QDoubleSpinBox::valueChanged, this, [this](double v) {
        recheck();  // stepping can cross the rule; typed text never does (validate)
        if (problem_.isEmpty() && !loading_) emit edited(v);
    });
}

void NumberSpinBox::setWholeNumbers(bool whole) {
    whole_ = whole;
    setRange(whole ? -1e9 : -1e15, whole ? 1e9 : 1e15);
}

void NumberSpinBox::setRule(NumberRule rule) {
    rule_ = std::move(rule);
    recheck();
}

void NumberSpinBox::setNumber(double value) {
    double shown = 0.0;
    if (problemWith(lineEdit()->text(), &shown).isEmpty() && shown == value) return;
    loading_ = true;
    setValue(value);
    loading_ = false;
}

// One step is a tenth of the value's order of magnitude (0.005 -> 0.0001, 200
// -> 10), rounded so the result reads cleanly.
void NumberSpinBox::stepBy(int steps) {
    if (whole_) return QDoubleSpinBox::stepBy(steps);
    const double v = value();
    const double step = v == 0.0 ? 0.1 : std::pow(10.0, std::floor(std::log10(std::abs(v))) - 1.0);
    setValue(QString::number(v + steps * step, 'g', 12).toDouble());
    selectAll();
}

QString NumberSpinBox::problemWith(const QString& text, double* value) const {
    QString t = text;
    if (!suffix().isEmpty() && t.endsWith(suffix().trimmed())) t.chop(suffix().trimmed().size());
    if (!prefix().isEmpty() && t.startsWith(prefix().trimmed())) t.remove(0, prefix().trimmed().size());
    t = t.trimmed();
    if (t.isEmpty()) return tr("enter a number");
    bool ok = false;
    const double v = QLocale::c().toDouble(t, &ok);
    if (!ok || !std::isfinite(v)) return tr("'%1' is not a number").arg(t);
    if (whole_ && v != std::floor(v)) return tr("must be a whole number");
    if (v < minimum() || v > maximum()) return tr("is out of range");
    if (rule_) {
        if (QString broken = rule_(v); !broken.isEmpty()) return broken;
    }
    if (value) *value = v;
    return {};
}

void NumberSpinBox::recheck() {
    const QString problem = problemWith(lineEdit()->text());
    if (problem == problem_) return;
    problem_ = problem;
    emit problemChanged(problem_);
}

// One width for every number field, not that of the widest value the range
// allows, so a form's fields line up.
QSize NumberSpinBox::sizeHint() const {
    QStyleOptionSpinBox option;
    initStyleOption(&option);
    const QSize base = QDoubleSpinBox::sizeHint();
    const int text = fontMetrics().horizontalAdvance(prefix() + QStringLiteral("-0.000001 Hz")) + 4;
    return {style()->sizeFromContents(QStyle::CT_SpinBox, &option, QSize(text, base.height()), this).width(), base.height()};
}

QSize NumberSpinBox::minimumSizeHint() const { return sizeHint(); }

QValidator::State NumberSpinBox::validate(QString& text, int&) const {
    return problemWith(text).isEmpty() ? QValidator::Acceptable : QValidator::Intermediate;
}

double NumberSpinBox::valueFromText(const QString& text) const {
    double v = value();
    problemWith(text, &v);
    return v;
}

QString NumberSpinBox::textFromValue(double value) const {
    return whole_ ? QString::number(static_cast<qlonglong>(value)) : formatNumber(value);
}

// ---------------------------------------------------------------- CheckedLineEdit

CheckedLineEdit::CheckedLineEdit(Check check, QWidget* parent) : QLineEdit(parent), check_(std::move(check)) {
    connect(this, &QLineEdit::textChanged, this, &CheckedLineEdit::recheck);
    connect(this, &QLineEdit::textEdited, this, [this](const QString& text) {
        recheck();
        if (problem_.isEmpty()) emit edited(text);
    });
}

void CheckedLineEdit::setCheck(Check check) {
    check_ = std::move(check);
    recheck();
}

void CheckedLineEdit::setTextQuietly(const QString& text) {
    if (this->text() != text) setText(text);  // setText emits textChanged (rechecks), not textEdited
}

void CheckedLineEdit::recheck() {
    const QString problem = check_ ? check_(text()) : QString();
    if (problem == problem_) return;
    problem_ = problem;
    emit problemChanged(problem_);
}

// ---------------------------------------------------------------- CheckedField

namespace {

// Drawn over the edge of an editor whose input is rejected.
class ProblemFrame : public QWidget {
public:
    using QWidget::QWidget;

protected:
    void paintEvent(QPaintEvent*) override {
        QPainter p(this);
        p.setRenderHint(QPainter::Antialiasing);
        p.setPen(QPen(problemColor, 1.5));
        p.drawRoundedRect(QRectF(rect()).adjusted(0.75, 0.75, -0.75, -0.75), 3, 3);
    }
};

}  // namespace

CheckedField::CheckedField(QWidget* editor, const QString& unit, QWidget* parent)
    : QWidget(parent), editor_(editor), frame_(new ProblemFrame(this)), message_(new QLabel(this)) {
    auto* column = new QVBoxLayout(this);
    column->setContentsMargins(0, 0, 0, 0);
    column->setSpacing(2);
    auto* line = new QHBoxLayout;
    line->setSpacing(6);
    line->addWidget(editor);
    if (!unit.isEmpty()) line->addWidget(new QLabel(unit, this));
    column->addLayout(line);
    message_->setObjectName("message");
    message_->setWordWrap(true);
    QFont small = message_->font();
    small.setPointSizeF(small.pointSizeF() * 0.9);
    message_->setFont(small);
    message_->hide();
    column->addWidget(message_);
    frame_->setAttribute(Qt::WA_TransparentForMouseEvents);
    frame_->hide();
    editor->installEventFilter(this);
    setSizePolicy(editor->sizePolicy().horizontalPolicy(), QSizePolicy::Fixed);
    setFocusProxy(editor);
}

QString CheckedField::problem() const { return problem_; }

void CheckedField::setProblem(const QString& problem) {
    problem_ = problem;
    frame_->setVisible(!problem.isEmpty());
    frame_->raise();
    showMessage();
}

void CheckedField::setWarning(const QString& warning) {
    warning_ = warning;
    showMessage();
}

void CheckedField::showMessage() {
    const bool isProblem = !problem_.isEmpty();
    const QString text = isProblem ? problem_ : warning_;
    QPalette palette = message_->palette();
    palette.setColor(QPalette::WindowText, isProblem ? problemColor : warningColor);
    message_->setPalette(palette);
    message_->setText(text);
    if (message_->isVisibleTo(this) == text.isEmpty()) {
        message_->setVisible(!text.isEmpty());
        relayout(this);
    }
}

bool CheckedField::eventFilter(QObject* watched, QEvent* event) {
    if (watched == editor_ && (event->type() == QEvent::Resize || event->type() == QEvent::Move))
        frame_->setGeometry(editor_->geometry());
    return QWidget::eventFilter(watched, event);
}

// ---------------------------------------------------------------- seeds, counts, slices

SeedEdit::SeedEdit(const QString& emptyMeaning, QWidget* parent)
    : CheckedLineEdit(
          [](const QString& text) {
              bool ok = true;
              if (!text.trimmed().isEmpty()) text.trimmed().toULongLong(&ok);
              return ok ? QString() : tr("a seed is a whole number from 0 to 18446744073709551615");
          },
          parent) {
    setPlaceholderText(emptyMeaning);
}

void SeedEdit::setSeed(std::optional<uint64_t> seed) {
    setTextQuietly(seed ? QString::number(static_cast<qulonglong>(*seed)) : QString());
}

std::optional<uint64_t> SeedEdit::seed() const {
    if (text().trimmed().isEmpty()) return std::nullopt;
    return text().trimmed().toULongLong();
}

OptionalCountEdit::OptionalCountEdit(const QString& emptyMeaning, QWidget* parent)
    : CheckedLineEdit(
          [](const QString& text) {
              bool ok = true;
              const int n = text.trimmed().isEmpty() ? 1 : text.trimmed().toInt(&ok);
              return ok && n >= 1 ? QString() : tr("a whole number of at least 1, or empty for the default");
          },
          parent) {
    setPlaceholderText(emptyMeaning);
}

void OptionalCountEdit::setCount(std::optional<int> count) { setTextQuietly(count ? QString::number(*count) : QString()); }

std::optional<int> OptionalCountEdit::count() const {
    if (text().trimmed().isEmpty()) return std::nullopt;
    return text().trimmed().toInt();
}

QString parseSlice(const QString& text, std::optional<int> size, bool allowRepeats, core::Slice& out) {
    const QString t = text.trimmed();
    out.reset();
    if (t.isEmpty() || t == "all" || t == ":") return {};
    std::vector<int> indices;
    if (t.contains(':')) {
        // Python's slice start:stop[:step], as Nengo writes it.
        const QStringList parts = t.split(':');
        if (parts.size() > 3) return QObject::tr("write start:stop or start:stop:step");
        if (!size) return QObject::tr("the size sliced is unknown: list the indices instead");
        std::optional<int> bound[3];
        for (int i = 0; i < static_cast<int>(parts.size()); ++i) {
            if (parts[i].trimmed().isEmpty()) continue;
            bool ok = false;
            bound[i] = parts[i].trimmed().toInt(&ok);
            if (!ok) return QObject::tr("'%1' is not a whole number").arg(parts[i].trimmed());
        }
        const int step = bound[2].value_or(1);
        if (step == 0) return QObject::tr("the step must not be 0");
        auto clamp = [&](std::optional<int> b, int fallback) {
            if (!b) return fallback;
            const int v = *b < 0 ? *b + *size : *b;
            return step > 0 ? std::clamp(v, 0, *size) : std::clamp(v, -1, *size - 1);
        };
        const int start = clamp(bound[0], step > 0 ? 0 : *size - 1), stop = clamp(bound[1], step > 0 ? *size : -1);
        for (int i = start; step > 0 ? i < stop : i > stop; i += step) indices.push_back(i);
    } else {
        static const QRegularExpression separators(QStringLiteral("[,\\s]+"));
        std::set<int> seen;
        for (const QString& part : t.split(separators, Qt::SkipEmptyParts)) {
            bool ok = false;
            int i = part.toInt(&ok);
            if (!ok) return QObject::tr("'%1' is not an index").arg(part);
            if (i < 0 && size) i += *size;  // Python's negative indices count from the end
            if (i < 0 || (size && i >= *size))
                return size ? QObject::tr("index %1 is out of range for a vector of size %2").arg(part).arg(*size)
                            : QObject::tr("index %1 is negative").arg(part);
            if (!allowRepeats && !seen.insert(i).second) return QObject::tr("index %1 is repeated").arg(i);
            indices.push_back(i);
        }
    }
    if (indices.empty()) return QObject::tr("selects nothing");
    out = std::move(indices);
    return {};
}

QString formatSlice(const core::Slice& slice) {
    if (!slice) return {};
    QStringList parts;
    for (int i : *slice) parts << QString::number(i);
    return parts.join(", ");
}

SliceEdit::SliceEdit(bool allowRepeats, QWidget* parent) : CheckedLineEdit({}, parent), allowRepeats_(allowRepeats) {
    setPlaceholderText(tr("all"));
    setToolTip(tr("Indices such as 0, 2 or a range start:stop[:step]; empty for all"));
    setVectorSize(std::nullopt);
}

void SliceEdit::setVectorSize(std::optional<int> size) {
    size_ = size;
    setCheck([this](const QString& text) {
        core::Slice parsed;
        return parseSlice(text, size_, allowRepeats_, parsed);
    });
}

void SliceEdit::setSlice(const core::Slice& slice) {
    if (problem().isEmpty() && this->slice() == slice) return;  // "0:2" stays as typed
    setTextQuietly(formatSlice(slice));
}

core::Slice SliceEdit::slice() const {
    core::Slice out;
    parseSlice(text(), size_, allowRepeats_, out);
    return out;
}

// ---------------------------------------------------------------- tables

core::Table resizedTable(const core::Table& table, int rows, int columns) {
    core::Table out{rows, columns, std::vector<double>(static_cast<size_t>(rows) * columns, 0.0)};
    for (int r = 0; r < std::min(rows, table.rows); ++r)
        for (int c = 0; c < std::min(columns, table.cols); ++c) out.values[static_cast<size_t>(r) * columns + c] = table.at(r, c);
    return out;
}

core::Table readTableFile(const std::string& path) {
    if (QString::fromStdString(path).endsWith(".csv", Qt::CaseInsensitive)) {
        const core::Tensor3 rows = core::readCsvSequence(path);
        return core::Table{rows.steps, rows.size, rows.values};
    }
    const core::NpyArray a = core::readNpy(path);
    const auto& s = a.shape;
    if (s.size() == 1) return core::Table::column(a.values);
    if (s.size() == 2) return core::Table{static_cast<int>(s[0]), static_cast<int>(s[1]), a.values};
    if (s.size() == 3 && s[0] == 1) return core::Table{static_cast<int>(s[1]), static_cast<int>(s[2]), a.values};
    throw core::Error("has shape of " + std::to_string(s.size()) +
                          " dimensions; a data table takes (rows, size), (rows) or (1, rows, size)",
                      path);
}

TableEditor::TableEditor(QWidget* parent) : QWidget(parent) {
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
    auto* column = new QVBoxLayout(this);
    column->setContentsMargins(0, 0, 0, 0);
    column->setSpacing(4);
    auto* shape = new QHBoxLayout;
    rows_ = new NumberSpinBox({}, atLeast(0));
    rows_->setObjectName("rows");
    rows_->setWholeNumbers(true);
    rows_->setToolTip(tr("Rows"));
    columns_ = new NumberSpinBox({}, atLeast(1));
    columns_->setObjectName("columns");
    columns_->setWholeNumbers(true);
    columns_->setToolTip(tr("Columns"));
    shape->addWidget(checkedField(rows_));
    shape->addWidget(new QLabel(QStringLiteral("×")));
    shape->addWidget(checkedField(columns_));
    shape->addStretch();
    column->addLayout(shape);
    grid_ = new QTableWidget(this);
    grid_->setObjectName("grid");
    grid_->setMaximumHeight(200);
    grid_->horizontalHeader()->setDefaultSectionSize(64);
    grid_->verticalHeader()->setDefaultSectionSize(grid_->fontMetrics().height() + 6);
    field_ = new CheckedField(grid_);
    field_->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
    column->addWidget(field_);
    connect(rows_, &NumberSpinBox::edited, this, [this](double r) { resize(static_cast<int>(r), table_.cols); });
    connect(columns_, &NumberSpinBox::edited, this, [this](double c) { resize(table_.rows, static_cast<int>(c)); });
    connect(grid_, &QTableWidget::cellChanged, this, &TableEditor::cellEdited);
    showTable();
}

void TableEditor::setTable(const core::Table& table) {
    if (table == table_) return;  // keeps a cell being typed
    table_ = table;
    showTable();
}

void TableEditor::setFixedColumns(std::optional<int> columns) {
    columns_->setEnabled(!columns);
    columns_->setToolTip(columns ? tr("Columns: fixed at %1 by the shape that fits").arg(*columns) : tr("Columns"));
}

void TableEditor::setColumnNames(const QStringList& names) {
    if (names == columnNames_) return;
    columnNames_ = names;
    showTable();
}

QString TableEditor::problem() const { return field_->problem(); }

void TableEditor::setWarning(const QString& warning) { field_->setWarning(warning); }

void TableEditor::showTable() {
    showing_ = true;
    rows_->setNumber(table_.rows);
    columns_->setNumber(table_.cols);
    grid_->setRowCount(table_.rows);
    grid_->setColumnCount(table_.cols);
    QStringList header, rowNames;
    for (int c = 0; c < table_.cols; ++c) header << (c < columnNames_.size() ? columnNames_[c] : QString::number(c));
    for (int r = 0; r < table_.rows; ++r) rowNames << QString::number(r);
    grid_->setHorizontalHeaderLabels(header);
    grid_->setVerticalHeaderLabels(rowNames);
    for (int r = 0; r < table_.rows; ++r)
        for (int c = 0; c < table_.cols; ++c) grid_->setItem(r, c, new QTableWidgetItem(formatNumber(table_.at(r, c))));
    field_->setProblem({});
    showing_ = false;
}

void TableEditor::cellEdited(int row, int column) {
    if (showing_) return;
    QTableWidgetItem* item = grid_->item(row, column);
    bool ok = false;
    const double v = QLocale::c().toDouble(item->text().trimmed(), &ok);
    item->setData(Qt::BackgroundRole, ok ? QVariant() : QVariant(QColor(255, 228, 228)));
    if (ok) table_.values[static_cast<size_t>(row) * table_.cols + column] = v;
    // The first cell that is still not a number names the problem.
    QString problem;
    for (int r = 0; r < grid_->rowCount() && problem.isEmpty(); ++r)
        for (int c = 0; c < grid_->columnCount() && problem.isEmpty(); ++c) {
            const QString text = grid_->item(r, c)->text().trimmed();
            QLocale::c().toDouble(text, &ok);
            if (!ok) problem = tr("row %1, column %2: '%3' is not a number").arg(r).arg(c).arg(text);
        }
    field_->setProblem(problem);
    if (problem.isEmpty()) emit edited(table_);
}

void TableEditor::resize(int rows, int columns) {
    table_ = resizedTable(table_, rows, columns);
    showTable();
    emit edited(table_);
}

// ---------------------------------------------------------------- distributions

namespace {

// core::Distribution's alternatives, in its order.
enum DistributionIndex { UniformIndex, ChoiceIndex, HypersphereIndex, ExplicitIndex };
static_assert(std::is_same_v<std::variant_alternative_t<HypersphereIndex, core::Distribution>, core::UniformHypersphere>);
static_assert(std::is_same_v<std::variant_alternative_t<ExplicitIndex, core::Distribution>, core::ExplicitValues>);

std::pair<double, double> rangeOf(const std::vector<double>& values) {
    if (values.empty()) return {0.0, 1.0};
    const auto [lo, hi] = std::minmax_element(values.begin(), values.end());
    return {*lo, *hi};
}

}  // namespace

DistributionPicker::DistributionPicker(Samples samples, const QString& unit, QWidget* parent)
    : QWidget(parent), samples_(samples) {
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
    auto* column = new QVBoxLayout(this);
    column->setContentsMargins(0, 0, 0, 0);
    column->setSpacing(2);
    type_ = new QComboBox;
    type_->setObjectName("type");
    type_->addItem(tr("Uniform"), UniformIndex);
    type_->addItem(tr("Choice"), ChoiceIndex);
    if (samples == Samples::Vectors) type_->insertItem(0, tr("Uniform hypersphere"), HypersphereIndex);
    type_->addItem(tr("Explicit values"), ExplicitIndex);
    type_->setSizePolicy(QSizePolicy::Minimum, QSizePolicy::Fixed);
    column->addWidget(type_, 0, Qt::AlignLeft);
    form_ = parameterForm();
    column->addLayout(form_);

    low_ = new NumberSpinBox(unit);
    low_->setObjectName("low");
    high_ = new NumberSpinBox(unit);
    high_->setObjectName("high");
    integer_ = new QCheckBox(tr("whole numbers"));
    integer_->setObjectName("integer");
    options_ = new CheckedLineEdit(numbersCheck);
    options_->setObjectName("options");
    options_->setToolTip(tr("The values to choose from, separated by commas"));
    weights_ = new CheckedLineEdit([this](const QString& text) -> QString {
        std::vector<double> w, o;
        if (text.trimmed().isEmpty()) return {};
        if (QString p = parseNumbers(text, w); !p.isEmpty()) return p;
        parseNumbers(options_->text(), o);
        return w.size() == o.size() ? QString() : tr("needs one weight per option (%1)").arg(o.size());
    });
    weights_->setObjectName("weights");
    weights_->setPlaceholderText(tr("equal"));
    surface_ = new QCheckBox(tr("on the surface only"));
    surface_->setObjectName("surface");
    values_ = new TableEditor;
    values_->setObjectName("values");
    form_->addRow(tr("Low"), checkedField(low_));
    form_->addRow(tr("High"), checkedField(high_));
    form_->addRow(QString(), integer_);
    form_->addRow(tr("Options"), checkedField(options_));
    form_->addRow(tr("Weights"), checkedField(weights_));
    form_->addRow(QString(), surface_);
    form_->addRow(values_);

    connect(type_, &QComboBox::activated, this, [this](int i) { changeType(type_->itemData(i).toInt()); });
    connect(low_, &NumberSpinBox::edited, this, [this](double v) {
        std::get<core::Uniform>(value_).low = v;
        commit("low");
    });
    connect(high_, &NumberSpinBox::edited, this, [this](double v) {
        std::get<core::Uniform>(value_).high = v;
        commit("high");
    });
    connect(integer_, &QCheckBox::clicked, this, [this](bool on) {
        std::get<core::Uniform>(value_).integer = on;
        commit("integer");
    });
    connect(options_, &CheckedLineEdit::edited, this, [this](const QString& text) {
        parseNumbers(text, std::get<core::Choice>(value_).options);
        weights_->recheck();  // the weights must match the options in number
        commit("options");
    });
    connect(weights_, &CheckedLineEdit::edited, this, [this](const QString& text) {
        auto& weights = std::get<core::Choice>(value_).weights;
        if (text.trimmed().isEmpty()) weights.clear();
        else parseNumbers(text, weights);
        commit("weights");
    });
    connect(surface_, &QCheckBox::clicked, this, [this](bool on) {
        std::get<core::UniformHypersphere>(value_).surface = on;
        commit("surface");
    });
    connect(values_, &TableEditor::edited, this, [this](const core::Table& t) {
        std::get<core::ExplicitValues>(value_).values = t;
        commit("values");
    });
    showDistribution();
}

void DistributionPicker::setDistribution(const core::Distribution& distribution) {
    value_ = distribution;
    showDistribution();
}

void DistributionPicker::setExpectedShape(int rows, int columns, bool rowsFixed) {
    if (rows == rows_ && columns == columns_ && rowsFixed == rowsFixed_) return;
    rows_ = rows;
    columns_ = columns;
    rowsFixed_ = rowsFixed;
    showDistribution();
}

void DistributionPicker::commit(const QString& part) {
    showDistribution();
    emit edited(part);
}

// A new type starts from what the old one described where it can, so a
// switch keeps the range (or samples it, for explicit values).
void DistributionPicker::changeType(int index) {
    if (static_cast<int>(value_.index()) == index) return;
    const core::Distribution old = value_;
    value_ = makeAlternative<core::Distribution>(static_cast<size_t>(index));
    if (auto* u = std::get_if<core::Uniform>(&value_)) {
        if (auto c = std::get_if<core::Choice>(&old)) std::tie(u->low, u->high) = rangeOf(c->options);
        if (auto e = std::get_if<core::ExplicitValues>(&old)) std::tie(u->low, u->high) = rangeOf(e->values.values);
        if (std::holds_alternative<core::UniformHypersphere>(old)) *u = core::Uniform{-1.0, 1.0};
    } else if (auto* c = std::get_if<core::Choice>(&value_)) {
        if (auto u = std::get_if<core::Uniform>(&old)) c->options = {u->low, u->high};
        else if (auto e = std::get_if<core::ExplicitValues>(&old)) c->options = {rangeOf(e->values.values).first, rangeOf(e->values.values).second};
        else c->options = {-1.0, 1.0};
    } else if (auto* e = std::get_if<core::ExplicitValues>(&value_)) {
        core::Rng rng(0);
        try {
            e->values = samples_ == Samples::Scalars ? core::Table::column(core::sampleScalars(old, rows_, rng))
                                                     : core::Table::fromMatrix(core::sampleVectors(old, rows_, columns_, rng));
        } catch (const core::Error&) {
            e->values = resizedTable({}, rows_, columns_);  // the old one cannot be sampled at this shape
        }
    }
    commit({});
}

void DistributionPicker::showDistribution() {
    const int index = static_cast<int>(value_.index());
    type_->setCurrentIndex(type_->findData(index));
    const bool uniform = index == UniformIndex, choice = index == ChoiceIndex, explicitValues = index == ExplicitIndex;
    for (int row : {0, 1, 2}) form_->setRowVisible(row, uniform);
    for (int row : {3, 4}) form_->setRowVisible(row, choice);
    form_->setRowVisible(5, index == HypersphereIndex);
    form_->setRowVisible(6, explicitValues);
    std::visit(
        [&](const auto& d) {
            using D = std::decay_t<decltype(d)>;
            if constexpr (std::is_same_v<D, core::Uniform>) {
                low_->setNumber(d.low);
                high_->setNumber(d.high);
                integer_->setChecked(d.integer);
            } else if constexpr (std::is_same_v<D, core::Choice>) {
                std::vector<double> shown;
                if (!parseNumbers(options_->text(), shown).isEmpty() || shown != d.options)
                    options_->setTextQuietly(formatNumbers(d.options));
                if (!parseNumbers(weights_->text(), shown).isEmpty() || shown != d.weights)
                    weights_->setTextQuietly(formatNumbers(d.weights));
            } else if constexpr (std::is_same_v<D, core::UniformHypersphere>) {
                surface_->setChecked(d.surface);
            } else {
                values_->setFixedColumns(columns_);
                values_->setTable(d.values);
                const bool fits = (!rowsFixed_ || d.values.rows == rows_) && d.values.cols == columns_;
                values_->setWarning(fits ? QString()
                                         : tr("%1 × %2 values; %3 × %4 expected")
                                               .arg(d.values.rows)
                                               .arg(d.values.cols)
                                               .arg(rowsFixed_ ? QString::number(rows_) : QStringLiteral("n"))
                                               .arg(columns_));
            }
        },
        value_);
}

// ---------------------------------------------------------------- synapses

SynapsePicker::SynapsePicker(QWidget* parent) : QWidget(parent) {
    auto* line = new QHBoxLayout(this);
    line->setContentsMargins(0, 0, 0, 0);
    type_ = new QComboBox;
    type_->setObjectName("type");
    type_->addItems({tr("None"), tr("Lowpass"), tr("Alpha")});
    tau_ = new NumberSpinBox(QStringLiteral("s"), positive());
    tau_->setObjectName("tau");
    tau_->setPrefix(QStringLiteral("τ "));
    tau_->setToolTip(tr("Time constant τ"));
    line->addWidget(type_, 0, Qt::AlignTop);
    tauField_ = checkedField(tau_);
    line->addWidget(tauField_);
    line->addStretch(1);
    connect(type_, &QComboBox::activated, this, [this](int i) {
        const double tau = value_ ? std::visit([](const auto& s) { return s.tau; }, *value_) : core::LowpassSynapse{}.tau;
        const core::OptionalSynapse before = value_;
        if (i == 0) value_.reset();
        else if (i == 1) value_ = core::LowpassSynapse{tau};
        else value_ = core::AlphaSynapse{tau};
        setSynapse(value_);
        if (value_ != before) emit edited({});
    });
    connect(tau_, &NumberSpinBox::edited, this, [this](double tau) {
        if (!value_) return;
        std::visit([tau](auto& s) { s.tau = tau; }, *value_);
        emit edited("tau");
    });
    setSynapse(core::LowpassSynapse{});
}

void SynapsePicker::setSynapse(const core::OptionalSynapse& synapse) {
    value_ = synapse;
    type_->setCurrentIndex(synapse ? static_cast<int>(synapse->index()) + 1 : 0);
    tauField_->setVisible(synapse.has_value());
    if (synapse) tau_->setNumber(std::visit([](const auto& s) { return s.tau; }, *synapse));
}

// ---------------------------------------------------------------- neuron types

namespace {

struct NeuronParameter {
    const char* field;
    const char* label;
    const char* unit;
};

const NeuronParameter neuronParameters[] = {
    {"tau_rc", QT_TRANSLATE_NOOP("NeuronTypePicker", "τ RC"), "s"},
    {"tau_ref", QT_TRANSLATE_NOOP("NeuronTypePicker", "τ refractory"), "s"},
    {"min_voltage", QT_TRANSLATE_NOOP("NeuronTypePicker", "Min. voltage"), ""},
    {"amplitude", QT_TRANSLATE_NOOP("NeuronTypePicker", "Amplitude"), ""},
};

// The parameter of a neuron type with this JSON name, if the type has it.
double* parameterOf(core::NeuronType& type, std::string_view field) {
    return std::visit(
        [&](auto& n) -> double* {
            if constexpr (requires { n.tauRc; })
                if (field == "tau_rc") return &n.tauRc;
            if constexpr (requires { n.tauRef; })
                if (field == "tau_ref") return &n.tauRef;
            if constexpr (requires { n.minVoltage; })
                if (field == "min_voltage") return &n.minVoltage;
            if constexpr (requires { n.amplitude; })
                if (field == "amplitude") return &n.amplitude;
            return nullptr;
        },
        type);
}

// Sigmoid and Tanh divide by tau_ref; LIF's refractory period may be 0.
NumberRule parameterRule(const core::NeuronType& type, std::string_view field) {
    const bool dividesByTauRef = std::holds_alternative<core::SigmoidNeurons>(type) || std::holds_alternative<core::TanhNeurons>(type);
    if (field == "tau_rc" || field == "amplitude" || (field == "tau_ref" && dividesByTauRef)) return positive();
    if (field == "tau_ref") return nonNegative();
    return {};
}

}  // namespace

NeuronTypePicker::NeuronTypePicker(QWidget* parent) : QWidget(parent) {
    auto* column = new QVBoxLayout(this);
    column->setContentsMargins(0, 0, 0, 0);
    column->setSpacing(2);
    type_ = new QComboBox;
    type_->setObjectName("type");
    for (size_t i = 0; i < std::variant_size_v<core::NeuronType>; ++i)
        type_->addItem(QString::fromStdString(core::neuronTypeName(makeAlternative<core::NeuronType>(i))));
    column->addWidget(type_, 0, Qt::AlignLeft);
    form_ = parameterForm();
    column->addLayout(form_);
    for (const NeuronParameter& p : neuronParameters) {
        auto* box = new NumberSpinBox(QString::fromUtf8(p.unit));
        box->setObjectName(p.field);
        form_->addRow(tr(p.label), checkedField(box));
        parameters_.emplace_back(p.field, box);
        connect(box, &NumberSpinBox::edited, this, [this, field = std::string(p.field)](double v) {
            if (double* target = parameterOf(value_, field)) *target = v;
            emit edited(QString::fromStdString(field));
        });
    }
    connect(type_, &QComboBox::activated, this, [this](int i) {
        if (static_cast<int>(value_.index()) == i) return;
        core::NeuronType next = makeAlternative<core::NeuronType>(static_cast<size_t>(i));
        for (const NeuronParameter& p : neuronParameters) {
            double *from = parameterOf(value_, p.field), *to = parameterOf(next, p.field);
            if (from && to) *to = *from;
        }
        value_ = next;
        showType();
        emit edited({});
    });
    showType();
}

void NeuronTypePicker::setNeuronType(const core::NeuronType& type) {
    value_ = type;
    showType();
}

void NeuronTypePicker::showType() {
    type_->setCurrentIndex(static_cast<int>(value_.index()));
    for (size_t row = 0; row < parameters_.size(); ++row) {
        const auto& [field, box] = parameters_[row];
        const double* v = parameterOf(value_, field);
        form_->setRowVisible(static_cast<int>(row), v != nullptr);
        if (!v) continue;
        box->setRule(parameterRule(value_, field));
        box->setNumber(*v);
    }
}

// ---------------------------------------------------------------- expressions

QString expressionProblem(const std::string& expression, const std::vector<std::string>& variables) {
    try {
        core::ExpressionVector parsed({expression}, variables);
    } catch (const core::Error& e) {
        return QString::fromStdString(e.message());
    }
    return {};
}

ExpressionListEditor::ExpressionListEditor(QWidget* parent) : QWidget(parent) {
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
    auto* column = new QVBoxLayout(this);
    column->setContentsMargins(0, 0, 0, 0);
    column->setSpacing(4);
    rows_ = new QVBoxLayout;
    rows_->setSpacing(4);
    column->addLayout(rows_);
    auto* buttons = new QHBoxLayout;
    add_ = new QToolButton;
    add_->setObjectName("add");
    add_->setText(QStringLiteral("+"));
    add_->setToolTip(tr("Add an output dimension"));
    remove_ = new QToolButton;
    remove_->setObjectName("remove");
    remove_->setText(QStringLiteral("−"));
    remove_->setToolTip(tr("Remove the last output dimension"));
    buttons->addWidget(add_);
    buttons->addWidget(remove_);
    buttons->addStretch();
    column->addLayout(buttons);
    connect(add_, &QToolButton::clicked, this, [this] {
        setCount(count() + 1);
        lines_.back()->setText("0");
        lineEdited();
    });
    connect(remove_, &QToolButton::clicked, this, [this] {
        setCount(count() - 1);
        lineEdited();
    });
    setCount(1);
}

QString ExpressionListEditor::check(const QString& text) const {
    if (text.trimmed().isEmpty()) return tr("enter an expression");
    return expressionProblem(text.toStdString(), variables_);
}

void ExpressionListEditor::setVariables(const std::vector<std::string>& variables) {
    if (variables == variables_) return;
    variables_ = variables;
    for (CheckedLineEdit* line : lines_) line->recheck();
}

void ExpressionListEditor::setExpressions(const std::vector<std::string>& expressions) {
    setCount(std::max<int>(1, static_cast<int>(expressions.size())));
    for (size_t i = 0; i < expressions.size(); ++i) lines_[i]->setTextQuietly(QString::fromStdString(expressions[i]));
}

std::vector<std::string> ExpressionListEditor::expressions() const {
    std::vector<std::string> out;
    for (const CheckedLineEdit* line : lines_) out.push_back(line->text().trimmed().toStdString());
    return out;
}

void ExpressionListEditor::setCount(int count) {
    count = std::max(count, 1);
    while (this->count() > count) {
        fields_.back()->deleteLater();  // may be the sender of the edit in progress
        fields_.back()->hide();
        fields_.pop_back();
        lines_.pop_back();
    }
    while (this->count() < count) {
        auto* line = new CheckedLineEdit([this](const QString& t) { return check(t); });
        line->setObjectName(QStringLiteral("expression%1").arg(this->count()));
        line->setPlaceholderText(tr("output %1").arg(this->count()));
        auto* field = checkedField(line);
        rows_->addWidget(field);
        connect(line, &CheckedLineEdit::edited, this, &ExpressionListEditor::lineEdited);
        lines_.push_back(line);
        fields_.push_back(field);
    }
    remove_->setEnabled(count > 1);
}

void ExpressionListEditor::lineEdited() {
    const bool allValid = std::all_of(lines_.begin(), lines_.end(), [](const CheckedLineEdit* l) { return l->problem().isEmpty(); });
    if (allValid) emit edited(expressions());
}

// ---------------------------------------------------------------- transforms

namespace {

// core::Transform's alternatives, in its order.
enum TransformIndex { ScalarIndex, DiagonalIndex, MatrixIndex };
static_assert(std::is_same_v<std::variant_alternative_t<MatrixIndex, core::Transform>, core::Table>);

}  // namespace

TransformEditor::TransformEditor(QWidget* parent) : QWidget(parent) {
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
    auto* column = new QVBoxLayout(this);
    column->setContentsMargins(0, 0, 0, 0);
    column->setSpacing(4);
    auto* line = new QHBoxLayout;
    kind_ = new QComboBox;
    kind_->setObjectName("kind");
    kind_->addItems({tr("Scalar"), tr("Diagonal"), tr("Matrix")});
    scalar_ = new NumberSpinBox;
    scalar_->setObjectName("scalar");
    diagonal_ = new CheckedLineEdit([this](const QString& text) {
        std::vector<double> d;
        if (QString p = parseNumbers(text, d); !p.isEmpty()) return p;
        return !sizeMid_ || static_cast<int>(d.size()) == *sizeMid_ ? QString()
                                                                    : tr("needs %1 entries (size_mid)").arg(*sizeMid_);
    });
    diagonal_->setObjectName("diagonal");
    scalarField_ = checkedField(scalar_);
    diagonalField_ = checkedField(diagonal_);
    line->addWidget(kind_, 0, Qt::AlignTop);
    line->addWidget(scalarField_);
    line->addWidget(diagonalField_, 1);
    line->addStretch(0);  // takes the room a scalar leaves; a diagonal, stretching, takes it first
    column->addLayout(line);
    matrix_ = new TableEditor;
    matrix_->setObjectName("matrix");
    column->addWidget(matrix_);
    shape_ = new QLabel;
    shape_->setObjectName("shape");
    shape_->setWordWrap(true);
    column->addWidget(shape_);

    connect(kind_, &QComboBox::activated, this, &TransformEditor::changeKind);
    connect(scalar_, &NumberSpinBox::edited, this, [this](double v) {
        value_ = v;
        showTransform();
        emit edited("scalar");
    });
    connect(diagonal_, &CheckedLineEdit::edited, this, [this](const QString& text) {
        std::vector<double> d;
        parseNumbers(text, d);
        value_ = d;
        showTransform();
        emit edited("diagonal");
    });
    connect(matrix_, &TableEditor::edited, this, [this](const core::Table& t) {
        value_ = t;
        showTransform();
        emit edited("matrix");
    });
}

void TransformEditor::setTransform(const core::Transform& transform, std::optional<int> sizeMid, std::optional<int> postSize) {
    value_ = transform;
    sizeMid_ = sizeMid;
    postSize_ = postSize;
    diagonal_->recheck();  // its entries must match size_mid
    showTransform();
}

QString TransformEditor::warning() const { return warning_; }

// A new kind keeps the old transform's values: a scalar spreads along the
// diagonal, a matrix keeps its diagonal.
void TransformEditor::changeKind(int index) {
    if (static_cast<int>(value_.index()) == index) return;
    const int mid = sizeMid_.value_or(1);
    std::vector<double> diagonal(static_cast<size_t>(mid), 1.0);
    if (auto s = std::get_if<double>(&value_)) std::fill(diagonal.begin(), diagonal.end(), *s);
    if (auto d = std::get_if<std::vector<double>>(&value_)) std::copy_n(d->begin(), std::min(d->size(), diagonal.size()), diagonal.begin());
    if (auto m = std::get_if<core::Table>(&value_))
        for (int i = 0; i < std::min({mid, m->rows, m->cols}); ++i) diagonal[static_cast<size_t>(i)] = m->at(i, i);
    if (index == ScalarIndex) {
        value_ = diagonal.front();
    } else if (index == DiagonalIndex) {
        value_ = diagonal;
    } else {
        core::Table m = resizedTable({}, postSize_.value_or(mid), mid);
        for (int i = 0; i < std::min(m.rows, mid); ++i) m.values[static_cast<size_t>(i) * mid + i] = diagonal[static_cast<size_t>(i)];
        value_ = m;
    }
    showTransform();
    emit edited({});
}

void TransformEditor::showTransform() {
    const int index = static_cast<int>(value_.index());
    kind_->setCurrentIndex(index);
    scalarField_->setVisible(index == ScalarIndex);
    diagonalField_->setVisible(index == DiagonalIndex);
    matrix_->setVisible(index == MatrixIndex);
    std::optional<int> sizeOut = sizeMid_;
    warning_.clear();
    if (auto s = std::get_if<double>(&value_)) {
        scalar_->setNumber(*s);
    } else if (auto d = std::get_if<std::vector<double>>(&value_)) {
        std::vector<double> shown;
        if (!parseNumbers(diagonal_->text(), shown).isEmpty() || shown != *d) diagonal_->setTextQuietly(formatNumbers(*d));
        if (sizeMid_ && static_cast<int>(d->size()) != *sizeMid_)
            warning_ = tr("the diagonal has %1 entries; size_mid is %2").arg(d->size()).arg(*sizeMid_);
    } else {
        const auto& m = std::get<core::Table>(value_);
        matrix_->setFixedColumns(sizeMid_);
        matrix_->setColumnNames({});
        matrix_->setTable(m);
        sizeOut = m.rows;
        if (sizeMid_ && m.cols != *sizeMid_) warning_ = tr("the matrix has %1 columns; size_mid is %2").arg(m.cols).arg(*sizeMid_);
    }
    if (warning_.isEmpty() && sizeOut && postSize_ && *sizeOut != *postSize_)
        warning_ = tr("delivers %1 values; the post takes %2").arg(*sizeOut).arg(*postSize_);
    auto size = [](std::optional<int> n) { return n ? QString::number(*n) : QStringLiteral("?"); };
    QString text = tr("size_out × size_mid = %1 × %2").arg(size(sizeOut), size(sizeMid_));
    if (!warning_.isEmpty()) text += QStringLiteral("<br><span style='color:%1'>%2</span>").arg(warningColor.name(), warning_.toHtmlEscaped());
    shape_->setText(text);
}

// ---------------------------------------------------------------- sections

void relayout(QWidget* widget) {
    auto measure = [](QWidget* w) {
        if (QLayout* layout = w->layout()) {
            layout->invalidate();
            layout->activate();
        }
    };
    const QList<QWidget*> inside = widget->findChildren<QWidget*>();  // every widget before its children
    // The first pass settles the widths, the second the heights that wrapped text takes at those widths.
    for (int pass = 0; pass < 2; ++pass) {
        std::for_each(inside.rbegin(), inside.rend(), measure);
        for (QWidget* w = widget; w; w = w->parentWidget()) measure(w);
    }
}

CollapsibleSection::CollapsibleSection(const QString& title, QWidget* parent) : QWidget(parent) {
    auto* column = new QVBoxLayout(this);
    column->setContentsMargins(0, 0, 0, 0);
    column->setSpacing(0);
    header_ = new QToolButton;
    header_->setObjectName("header");
    header_->setText(title);
    header_->setCheckable(true);
    header_->setChecked(true);
    header_->setAutoRaise(true);
    header_->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    header_->setArrowType(Qt::DownArrow);
    header_->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    QFont bold = header_->font();
    bold.setBold(true);
    header_->setFont(bold);
    column->addWidget(header_);
    body_ = new QWidget;
    form_ = new QFormLayout(body_);
    form_->setContentsMargins(8, 4, 4, 10);
    form_->setFieldGrowthPolicy(QFormLayout::ExpandingFieldsGrow);
    form_->setLabelAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    form_->setRowWrapPolicy(QFormLayout::DontWrapRows);
    column->addWidget(body_);
    connect(header_, &QToolButton::toggled, this, &CollapsibleSection::setExpanded);
}

void CollapsibleSection::setExpanded(bool expanded) {
    header_->setChecked(expanded);
    header_->setArrowType(expanded ? Qt::DownArrow : Qt::RightArrow);
    body_->setVisible(expanded);
}

bool CollapsibleSection::isExpanded() const { return header_->isChecked(); }

}  // namespace ui
