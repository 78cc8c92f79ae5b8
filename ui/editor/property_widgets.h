#pragma once
// Editors for the value types of core/model, as the inspector shows them.
// Each checks its input as it is typed: input that is not a valid value gets
// a red frame and the reason under the field, and only valid values are
// reported (by an `edited` signal) for the inspector to commit. Setting a
// value from the model (`set...`) emits nothing and leaves an editor whose
// text already says that value alone, so a refresh while typing keeps the
// cursor where it is.
#include "model/connection.h"
#include "model/distribution.h"
#include "model/synapse.h"
#include "neurons/neuron_type.h"

#include <QDoubleSpinBox>
#include <QLineEdit>
#include <QWidget>

#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

class QCheckBox;
class QComboBox;
class QFormLayout;
class QLabel;
class QTableWidget;
class QToolButton;
class QVBoxLayout;

namespace ui {

// Why a number is not acceptable ("must be positive"); empty when it is.
using NumberRule = std::function<QString(double)>;
NumberRule positive();
NumberRule nonNegative();
NumberRule atLeast(double minimum);

// The shortest text that reads back as exactly `value` ("0.005", "1e-05").
QString formatNumber(double value);
QString formatNumbers(const std::vector<double>& values);
// Comma- or space-separated numbers; returns the problem (empty when fine).
QString parseNumbers(const QString& text, std::vector<double>& out);

// A number with an optional unit suffix, in its shortest exact form, any
// magnitude (1e-4 as well as 1e4), optionally whole. Text that is not a
// number, or breaks the rule, is kept while typing but not taken as the value.
class NumberSpinBox : public QDoubleSpinBox {
    Q_OBJECT
public:
    explicit NumberSpinBox(const QString& unit = {}, NumberRule rule = {}, QWidget* parent = nullptr);
    void setWholeNumbers(bool whole);
    void setRule(NumberRule rule);  // and rechecks the current text
    void setNumber(double value);  // from the model: quiet, and the text is kept when it already means value
    QString problem() const { return problem_; }
    QLineEdit* editor() const { return lineEdit(); }

signals:
    void edited(double value);  // a valid value typed or stepped to by the user
    void problemChanged(const QString& problem);

protected:
    QValidator::State validate(QString& text, int& pos) const override;
    double valueFromText(const QString& text) const override;
    QString textFromValue(double value) const override;
    void stepBy(int steps) override;
    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

private:
    QString problemWith(const QString& text, double* value = nullptr) const;
    void recheck();
    NumberRule rule_;
    bool whole_ = false;
    bool loading_ = false;
    QString problem_;
};

// A line of text checked as it is typed: `check` gives the reason the text
// is rejected, empty when it is fine.
class CheckedLineEdit : public QLineEdit {
    Q_OBJECT
public:
    using Check = std::function<QString(const QString&)>;
    explicit CheckedLineEdit(Check check = {}, QWidget* parent = nullptr);
    void setCheck(Check check);  // and rechecks the current text
    void setTextQuietly(const QString& text);
    QString problem() const { return problem_; }
    void recheck();  // after what the check depends on changed

signals:
    void edited(const QString& text);  // typed by the user and valid
    void problemChanged(const QString& problem);

private:
    Check check_;
    QString problem_;
};

// An editor with the reason its input is rejected under it, a red frame
// around it meanwhile, and an optional unit after it.
class CheckedField : public QWidget {
    Q_OBJECT
public:
    CheckedField(QWidget* editor, const QString& unit = {}, QWidget* parent = nullptr);
    QWidget* editor() const { return editor_; }
    QString problem() const;
    QLabel* message() const { return message_; }
    void setProblem(const QString& problem);
    // A note under the field that does not block the value (e.g. a size that no longer fits).
    void setWarning(const QString& warning);

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;  // keeps the frame on the editor

private:
    void showMessage();
    QWidget* editor_;
    QWidget* frame_;
    QLabel* message_;
    QString problem_, warning_;
};

// Wraps an editor that reports problemChanged in a CheckedField.
template <class Editor>
CheckedField* checkedField(Editor* editor, const QString& unit = {}) {
    auto* field = new CheckedField(editor, unit);
    QObject::connect(editor, &Editor::problemChanged, field, &CheckedField::setProblem);
    return field;
}

// The seed of an ensemble or network, white noise, ...: empty = automatic.
class SeedEdit : public CheckedLineEdit {
    Q_OBJECT
public:
    explicit SeedEdit(const QString& emptyMeaning, QWidget* parent = nullptr);
    void setSeed(std::optional<uint64_t> seed);
    std::optional<uint64_t> seed() const;
};

// A count that may be left to a default (n_eval_points): empty = default.
class OptionalCountEdit : public CheckedLineEdit {
    Q_OBJECT
public:
    explicit OptionalCountEdit(const QString& emptyMeaning, QWidget* parent = nullptr);
    void setCount(std::optional<int> count);
    std::optional<int> count() const;
};

// Which elements of a vector a connection or probe uses: empty or "all", a
// list "0, 2", or Python's start:stop[:step]. Checked against the size.
class SliceEdit : public CheckedLineEdit {
    Q_OBJECT
public:
    explicit SliceEdit(bool allowRepeats, QWidget* parent = nullptr);
    void setVectorSize(std::optional<int> size);  // the size sliced; nullopt = unknown
    void setSlice(const core::Slice& slice);
    core::Slice slice() const;  // of valid text
private:
    bool allowRepeats_;
    std::optional<int> size_;
};
// Parses slice text for a vector of `size` elements (unknown: no range check);
// returns the problem, empty when fine.
QString parseSlice(const QString& text, std::optional<int> size, bool allowRepeats, core::Slice& out);
QString formatSlice(const core::Slice& slice);

// A matrix of numbers in a grid with its row and column counts. Cells that
// are not numbers are marked and named in the message; only a fully valid
// table is reported. Columns can be fixed to the shape that fits.
class TableEditor : public QWidget {
    Q_OBJECT
public:
    explicit TableEditor(QWidget* parent = nullptr);
    void setTable(const core::Table& table);
    core::Table table() const { return table_; }
    void setFixedColumns(std::optional<int> columns);
    void setColumnNames(const QStringList& names);  // missing names: column numbers
    QString problem() const;
    void setWarning(const QString& warning);
    QTableWidget* grid() const { return grid_; }

signals:
    void edited(const core::Table& table);

private:
    void showTable();
    void cellEdited(int row, int column);
    void resize(int rows, int columns);
    core::Table table_;
    QStringList columnNames_;
    NumberSpinBox *rows_, *columns_;
    QTableWidget* grid_;
    CheckedField* field_;
    bool showing_ = false;
};
// `table` with `rows` x `columns`, keeping what fits and filling with zeros.
core::Table resizedTable(const core::Table& table, int rows, int columns);
// A data table from a .npy file (1-D: one column; 2-D: rows x columns; 3-D
// with one sequence: steps x size) or a CSV file (readCsvSequence). Throws
// core::Error naming the file.
core::Table readTableFile(const std::string& path);

// The picker of a distribution: Uniform low/high, Choice options (and
// weights), UniformHypersphere (vectors only) or explicit values.
class DistributionPicker : public QWidget {
    Q_OBJECT
public:
    enum class Samples { Scalars, Vectors };
    DistributionPicker(Samples samples, const QString& unit, QWidget* parent = nullptr);
    void setDistribution(const core::Distribution& distribution);
    // The explicit values' expected shape: `rows` samples (n_neurons, or the
    // eval point count, which explicit eval points may differ from: rowsFixed
    // false) of `columns` values (1 for scalars).
    void setExpectedShape(int rows, int columns, bool rowsFixed);
    core::Distribution distribution() const { return value_; }

signals:
    // part: the JSON name of what changed ("low", "options", ...; empty: the
    // type). Variants stay out of signals: Qt's metatypes cannot take them.
    void edited(const QString& part);

private:
    void changeType(int index);
    void commit(const QString& part);
    void showDistribution();
    core::Distribution value_;
    Samples samples_;
    int rows_ = 1, columns_ = 1;
    bool rowsFixed_ = true;
    QComboBox* type_;
    QFormLayout* form_;
    NumberSpinBox *low_, *high_;
    QCheckBox *integer_, *surface_;
    CheckedLineEdit *options_, *weights_;
    TableEditor* values_;
    CheckedField* valuesField_;
};

// None, Lowpass(tau) or Alpha(tau) on one line.
class SynapsePicker : public QWidget {
    Q_OBJECT
public:
    explicit SynapsePicker(QWidget* parent = nullptr);
    void setSynapse(const core::OptionalSynapse& synapse);
    core::OptionalSynapse synapse() const { return value_; }
    QComboBox* typeBox() const { return type_; }
    NumberSpinBox* tauBox() const { return tau_; }

signals:
    void edited(const QString& part);  // part: "tau", or empty for the type

private:
    core::OptionalSynapse value_;
    QComboBox* type_;
    NumberSpinBox* tau_;
    CheckedField* tauField_;
};

// A neuron type and its parameters (tau_rc, tau_ref, min_voltage, amplitude
// as the type has them). Switching type keeps the parameters both types have.
class NeuronTypePicker : public QWidget {
    Q_OBJECT
public:
    explicit NeuronTypePicker(QWidget* parent = nullptr);
    void setNeuronType(const core::NeuronType& type);
    core::NeuronType neuronType() const { return value_; }

signals:
    void edited(const QString& part);  // part: the parameter, or empty for the type

private:
    void showType();
    core::NeuronType value_;
    QComboBox* type_;
    QFormLayout* form_;
    std::vector<std::pair<std::string, NumberSpinBox*>> parameters_;
};

// One expression per output dimension over the given variables, each checked
// as it is typed; rows can be added and removed (at least one stays).
class ExpressionListEditor : public QWidget {
    Q_OBJECT
public:
    explicit ExpressionListEditor(QWidget* parent = nullptr);
    void setVariables(const std::vector<std::string>& variables);  // rechecks every row
    void setExpressions(const std::vector<std::string>& expressions);
    std::vector<std::string> expressions() const;
    CheckedLineEdit* line(int row) const { return lines_.at(static_cast<size_t>(row)); }
    int count() const { return static_cast<int>(lines_.size()); }

signals:
    void edited(const std::vector<std::string>& expressions);  // every row valid

private:
    QString check(const QString& text) const;
    void setCount(int count);
    void lineEdited();
    std::vector<std::string> variables_;
    std::vector<CheckedLineEdit*> lines_;
    std::vector<CheckedField*> fields_;
    QVBoxLayout* rows_;
    QToolButton *add_, *remove_;
};
// Why `expression` does not parse over `variables` (core::ExpressionVector's
// message), empty when it does.
QString expressionProblem(const std::string& expression, const std::vector<std::string>& variables);

// A transform: a scalar (times identity), a diagonal, or a full
// size_out x size_mid matrix, with the shape it takes shown.
class TransformEditor : public QWidget {
    Q_OBJECT
public:
    explicit TransformEditor(QWidget* parent = nullptr);
    // sizeMid: what the transform multiplies; postSize: what the post takes (nullopt = unknown).
    void setTransform(const core::Transform& transform, std::optional<int> sizeMid, std::optional<int> postSize);
    core::Transform transform() const { return value_; }
    QString warning() const;  // the size mismatch shown, if any

signals:
    void edited(const QString& part);  // part: "scalar", "diagonal", "matrix", or empty for the kind

private:
    void changeKind(int index);
    void showTransform();
    core::Transform value_;
    std::optional<int> sizeMid_, postSize_;
    QComboBox* kind_;
    NumberSpinBox* scalar_;
    CheckedLineEdit* diagonal_;
    TableEditor* matrix_;
    CheckedField *scalarField_, *diagonalField_;
    QLabel* shape_;
    QString warning_;
};

// A titled block of form rows that folds away under its header.
class CollapsibleSection : public QWidget {
    Q_OBJECT
public:
    explicit CollapsibleSection(const QString& title, QWidget* parent = nullptr);
    QFormLayout* form() const { return form_; }
    void setExpanded(bool expanded);
    bool isExpanded() const;

private:
    QToolButton* header_;
    QWidget* body_;
    QFormLayout* form_;
};

// Lays out `widget` again, from its innermost layouts out to the window:
// Qt's layouts keep a row's old height-for-width when a widget inside it is
// shown or hidden after the first layout.
void relayout(QWidget* widget);

// A default-constructed alternative of a variant, chosen by index (the
// index of a type picker's entry).
template <class Variant, size_t... I>
Variant makeAlternative(size_t index, std::index_sequence<I...>) {
    Variant out;
    ((I == index ? (out = std::variant_alternative_t<I, Variant>{}, 0) : 0), ...);
    return out;
}
template <class Variant>
Variant makeAlternative(size_t index) {
    return makeAlternative<Variant>(index, std::make_index_sequence<std::variant_size_v<Variant>>{});
}

}  // namespace ui
