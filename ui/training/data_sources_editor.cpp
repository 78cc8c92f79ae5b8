#include "training/data_sources_editor.h"

#include "training/number_field.h"

#include <QComboBox>
#include <QDir>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalBlocker>
#include <QSpinBox>
#include <QTableWidget>
#include <QVBoxLayout>

#include <climits>

namespace ui {

namespace {

enum Column { FeedsColumn, RoleColumn, SourceColumn, ShapeColumn, ModelColumn };

QString number(double v) { return QString::number(v, 'g', 6); }

QString describe(const core::DataSource& s) {
    if (!s.generated) return s.key.empty() ? QString::fromStdString(s.file) : QString("%1 [%2]").arg(QString::fromStdString(s.file), QString::fromStdString(s.key));
    const core::GeneratedData& g = *s.generated;
    if (const auto* n = std::get_if<core::BandLimitedNoiseData>(&g.generator))
        return QString("band-limited noise to %1 Hz, rms %2, seed %3").arg(number(n->cutoffHz), number(n->rms)).arg(n->seed);
    if (const auto* w = std::get_if<core::SineSweepData>(&g.generator))
        return QString("sine sweep %1 → %2 Hz, amplitude %3").arg(number(w->f0), number(w->f1), number(w->amplitude));
    const auto& c = std::get<core::GaussianClustersData>(g.generator);
    return QString("Gaussian clusters (%1 classes, seed %2): %3").arg(c.classes).arg(c.seed).arg(c.labels ? "one-hot classes" : "points");
}

QSpinBox* spin(int minimum, int maximum) {
    auto* s = new QSpinBox;
    s->setRange(minimum, maximum);
    s->setKeyboardTracking(false);
    return s;
}

}  // namespace

DataSourcesEditor::DataSourcesEditor(QWidget* parent) : QWidget(parent) {
    table_ = new QTableWidget(0, 5, this);
    table_->setObjectName("dataSourcesTable");
    table_->setHorizontalHeaderLabels({tr("Object"), tr("Role"), tr("Source"), tr("Shape"), tr("Model")});
    table_->horizontalHeader()->setSectionResizeMode(SourceColumn, QHeaderView::Stretch);
    table_->verticalHeader()->hide();
    table_->setSelectionBehavior(QAbstractItemView::SelectRows);
    table_->setSelectionMode(QAbstractItemView::SingleSelection);
    table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table_->setMinimumHeight(110);
    table_->setMaximumHeight(200);
    connect(table_, &QTableWidget::currentCellChanged, this, [this] {
        showDetail();
        showMessage();
    });
    buildDetail();
    message_ = new QLabel(this);
    message_->setObjectName("dataMessage");
    message_->setWordWrap(true);
    message_->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(table_);
    auto* detail = new QHBoxLayout;
    detail->addWidget(new QLabel(tr("Source of the selected row:")));
    detail->addWidget(kind_, 1);
    layout->addLayout(detail);
    layout->addLayout(form_);
    layout->addWidget(message_);
}

void DataSourcesEditor::buildDetail() {
    kind_ = new QComboBox;
    kind_->setObjectName("sourceKind");
    kind_->addItems({tr("No data"), tr("File (.npy, .npz member, .csv)"), tr("Generator: band-limited noise"),
                     tr("Generator: sine sweep"), tr("Generator: Gaussian clusters")});
    connect(kind_, &QComboBox::activated, this, [this](int kind) {
        const int r = table_->currentRow();
        if (r < 0) return;
        const Row& row = rows_[r];
        auto& sources = sourcesOf(row);
        if (kind == NoData) sources.erase(row.id);
        else if (kind == File) sources[row.id] = core::DataSource{};
        else sources[row.id] = core::DataSource{{}, {}, newGenerator(static_cast<Kind>(kind), row)};
        showDetail();
        refreshRow(r);
        emit edited();
    });

    file_ = new QLineEdit;
    file_->setPlaceholderText(tr("path relative to the project file"));
    auto* browse = new QPushButton(tr("Browse…"));
    connect(browse, &QPushButton::clicked, this, &DataSourcesEditor::browse);
    auto* fileRow = new QWidget;
    auto* fileLayout = new QHBoxLayout(fileRow);
    fileLayout->setContentsMargins(0, 0, 0, 0);
    fileLayout->addWidget(file_, 1);
    fileLayout->addWidget(browse);
    key_ = new QComboBox;
    key_->setEditable(true);
    key_->setToolTip(tr("The member of an .npz archive"));

    sequences_ = spin(1, INT_MAX);
    steps_ = spin(1, INT_MAX);
    dtField_ = new NumberField(1e-9);
    size_ = spin(1, 100000);
    cutoff_ = new NumberField(1e-9);
    rms_ = new NumberField(0.0);
    f0_ = new NumberField(0.0);
    f1_ = new NumberField(0.0);
    amplitude_ = new NumberField(-1e12, 1e12);
    classes_ = spin(2, 100000);
    dimensions_ = spin(2, 100000);
    spread_ = new NumberField(0.0);
    seed_ = spin(0, INT_MAX);
    half_ = new QComboBox;
    half_->addItems({tr("points (an input)"), tr("one-hot classes (a target)")});
    const std::pair<QWidget*, const char*> names[] = {
        {file_, "sourceFile"}, {key_, "sourceKey"}, {sequences_, "generatorSequences"}, {steps_, "generatorSteps"},
        {dtField_, "generatorDt"}, {size_, "generatorSize"}, {cutoff_, "generatorCutoff"}, {rms_, "generatorRms"},
        {f0_, "generatorF0"}, {f1_, "generatorF1"}, {amplitude_, "generatorAmplitude"}, {classes_, "generatorClasses"},
        {dimensions_, "generatorDimensions"}, {spread_, "generatorSpread"}, {half_, "generatorHalf"}, {seed_, "generatorSeed"}};
    for (const auto& [widget, name] : names) widget->setObjectName(name);

    form_ = new QFormLayout;
    form_->addRow(tr("File"), fileRow);
    form_->addRow(tr("Array (.npz)"), key_);
    form_->addRow(tr("Sequences × steps"), [this] {
        auto* w = new QWidget;
        auto* l = new QHBoxLayout(w);
        l->setContentsMargins(0, 0, 0, 0);
        l->addWidget(sequences_);
        l->addWidget(new QLabel("×"));
        l->addWidget(steps_);
        return w;
    }());
    form_->addRow(tr("dt (s)"), dtField_);
    form_->addRow(tr("Size"), size_);
    form_->addRow(tr("Cut-off (Hz)"), cutoff_);
    form_->addRow(tr("RMS"), rms_);
    form_->addRow(tr("From (Hz)"), f0_);
    form_->addRow(tr("To (Hz)"), f1_);
    form_->addRow(tr("Amplitude"), amplitude_);
    form_->addRow(tr("Classes"), classes_);
    form_->addRow(tr("Dimensions"), dimensions_);
    form_->addRow(tr("Spread"), spread_);
    form_->addRow(tr("Half of the set"), half_);
    form_->addRow(tr("Seed"), seed_);

    connect(file_, &QLineEdit::editingFinished, this, &DataSourcesEditor::detailEdited);
    connect(key_, &QComboBox::currentTextChanged, this, &DataSourcesEditor::detailEdited);
    for (QSpinBox* s : {sequences_, steps_, size_, classes_, dimensions_, seed_})
        connect(s, &QSpinBox::valueChanged, this, &DataSourcesEditor::detailEdited);
    for (NumberField* f : {dtField_, cutoff_, rms_, f0_, f1_, amplitude_, spread_})
        connect(f, &QDoubleSpinBox::valueChanged, this, &DataSourcesEditor::detailEdited);
    connect(half_, &QComboBox::currentIndexChanged, this, &DataSourcesEditor::detailEdited);
    showDetail();
}

void DataSourcesEditor::setObjects(const std::vector<NamedObject>& inputNodes, const std::vector<NamedObject>& probes) {
    std::vector<Row> rows;
    for (const auto& n : inputNodes) rows.push_back({n.id, n.title, true});
    for (const auto& p : probes) rows.push_back({p.id, p.title, false});
    const bool same = std::equal(rows.begin(), rows.end(), rows_.begin(), rows_.end(), [](const Row& a, const Row& b) {
        return a.id == b.id && a.title == b.title && a.input == b.input;
    });
    if (same) return;
    rows_ = std::move(rows);
    rebuildRows();
}

void DataSourcesEditor::setSources(const std::map<std::string, core::DataSource>& inputs,
                                   const std::map<std::string, core::DataSource>& targets) {
    if (inputs == inputs_ && targets == targets_) return;
    inputs_ = inputs;
    targets_ = targets;
    for (int r = 0; r < static_cast<int>(rows_.size()); ++r) refreshRow(r);
    showDetail();
}

void DataSourcesEditor::markChecking() {
    checking_ = true;
    showMessage();
}

void DataSourcesEditor::setCheck(const DataCheck& check) {
    check_ = check;
    checking_ = false;
    for (int r = 0; r < static_cast<int>(rows_.size()); ++r) refreshRow(r);
    const int r = table_->currentRow();
    if (r >= 0 && kind_->currentIndex() == File) {
        // Offer the archive's members; keep what is typed.
        const QSignalBlocker block(key_);
        const QString typed = key_->currentText();
        key_->clear();
        if (const auto it = check_.sources.find(rows_[r].id); it != check_.sources.end()) key_->addItems(it->second.npzKeys);
        key_->setCurrentText(typed);
    }
    showMessage();
}

void DataSourcesEditor::rebuildRows() {
    const int previous = table_->currentRow();
    table_->setRowCount(static_cast<int>(rows_.size()));
    for (int r = 0; r < static_cast<int>(rows_.size()); ++r) {
        for (int c = 0; c < table_->columnCount(); ++c) table_->setItem(r, c, new QTableWidgetItem);
        table_->item(r, FeedsColumn)->setText(rows_[r].title);
        table_->item(r, RoleColumn)->setText(rows_[r].input ? tr("input") : tr("target"));
        refreshRow(r);
    }
    table_->resizeColumnToContents(FeedsColumn);
    table_->resizeColumnToContents(RoleColumn);
    if (!rows_.empty()) table_->setCurrentCell(std::clamp(previous, 0, static_cast<int>(rows_.size()) - 1), 0);
    showDetail();
}

const core::DataSource* DataSourcesEditor::source(const Row& row) const {
    const auto& sources = row.input ? inputs_ : targets_;
    const auto it = sources.find(row.id);
    return it == sources.end() ? nullptr : &it->second;
}

void DataSourcesEditor::refreshRow(int r) {
    const Row& row = rows_[r];
    const core::DataSource* s = source(row);
    const auto check = check_.sources.find(row.id);
    const bool checked = s && check != check_.sources.end();
    const QString error = checked ? check->second.error : QString();
    const auto expected = check_.expectedSize.find(row.id);
    table_->item(r, SourceColumn)->setText(s ? describe(*s) : QString("—"));
    table_->item(r, ShapeColumn)->setText(checked ? check->second.shape : QString());
    table_->item(r, ModelColumn)->setText(expected == check_.expectedSize.end() ? QString()
                                                                               : tr("(n, steps, %1)").arg(expected->second));
    for (int c = 0; c < table_->columnCount(); ++c) {
        QTableWidgetItem* item = table_->item(r, c);
        item->setForeground(error.isEmpty() ? palette().text() : QBrush(QColor(200, 30, 30)));
        item->setToolTip(error);
    }
}

void DataSourcesEditor::showDetail() {
    const int r = table_->currentRow();
    const core::DataSource* s = r >= 0 ? source(rows_[r]) : nullptr;
    const Kind kind = !s ? NoData
                      : !s->generated ? File
                      : static_cast<Kind>(Noise + s->generated->generator.index());
    std::vector<QSignalBlocker> blockers;
    for (QWidget* w : findChildren<QWidget*>()) blockers.emplace_back(w);
    kind_->setEnabled(r >= 0);
    kind_->setCurrentIndex(kind);
    auto show = [this](QWidget* w, bool on) { form_->setRowVisible(w, on); };
    show(file_->parentWidget(), kind == File);
    show(key_, kind == File);
    const bool generated = kind >= Noise;
    show(sequences_->parentWidget(), generated);
    show(dtField_, generated);
    show(size_, kind == Noise || kind == Sweep);
    show(cutoff_, kind == Noise);
    show(rms_, kind == Noise);
    for (QWidget* w : {static_cast<QWidget*>(f0_), static_cast<QWidget*>(f1_), static_cast<QWidget*>(amplitude_)})
        show(w, kind == Sweep);
    for (QWidget* w : {static_cast<QWidget*>(classes_), static_cast<QWidget*>(dimensions_), static_cast<QWidget*>(spread_),
                       static_cast<QWidget*>(half_)})
        show(w, kind == Clusters);
    show(seed_, kind == Noise || kind == Clusters);
    if (kind == File) {
        file_->setText(QString::fromStdString(s->file));
        key_->clear();
        if (const auto it = check_.sources.find(rows_[r].id); it != check_.sources.end()) key_->addItems(it->second.npzKeys);
        key_->setCurrentText(QString::fromStdString(s->key));
    }
    if (!generated) return;
    const core::GeneratedData& g = *s->generated;
    sequences_->setValue(g.sequences);
    steps_->setValue(g.steps);
    dtField_->setValue(g.dt);
    if (const auto* n = std::get_if<core::BandLimitedNoiseData>(&g.generator)) {
        size_->setValue(n->size);
        cutoff_->setValue(n->cutoffHz);
        rms_->setValue(n->rms);
        seed_->setValue(static_cast<int>(n->seed));
    } else if (const auto* w = std::get_if<core::SineSweepData>(&g.generator)) {
        size_->setValue(w->size);
        f0_->setValue(w->f0);
        f1_->setValue(w->f1);
        amplitude_->setValue(w->amplitude);
    } else {
        const auto& c = std::get<core::GaussianClustersData>(g.generator);
        classes_->setValue(c.classes);
        dimensions_->setValue(c.dimensions);
        spread_->setValue(c.spread);
        seed_->setValue(static_cast<int>(c.seed));
        half_->setCurrentIndex(c.labels ? 1 : 0);
    }
}

core::DataSource DataSourcesEditor::sourceFromDetail() const {
    const Kind kind = static_cast<Kind>(kind_->currentIndex());
    if (kind == File) return {file_->text().trimmed().toStdString(), key_->currentText().trimmed().toStdString(), std::nullopt};
    core::GeneratedData g{sequences_->value(), steps_->value(), dtField_->value(), {}};
    const auto seed = static_cast<uint64_t>(seed_->value());
    if (kind == Noise) g.generator = core::BandLimitedNoiseData{size_->value(), cutoff_->value(), rms_->value(), seed};
    else if (kind == Sweep) g.generator = core::SineSweepData{size_->value(), f0_->value(), f1_->value(), amplitude_->value()};
    else g.generator = core::GaussianClustersData{classes_->value(), dimensions_->value(), spread_->value(), seed, half_->currentIndex() == 1};
    return {{}, {}, g};
}

core::GeneratedData DataSourcesEditor::newGenerator(Kind kind, const Row& row) const {
    core::GeneratedData g;
    g.dt = dt_;
    const auto expected = check_.expectedSize.find(row.id);
    const int size = expected == check_.expectedSize.end() ? 1 : expected->second;
    // The other half of a classification set, when there is one, fixes this half.
    for (const auto* sources : {&inputs_, &targets_})
        for (const auto& [id, s] : *sources)
            if (s.generated && id != row.id) {
                g.sequences = s.generated->sequences;
                g.steps = s.generated->steps;
                g.dt = s.generated->dt;
                if (const auto* other = std::get_if<core::GaussianClustersData>(&s.generated->generator); other && kind == Clusters) {
                    auto half = *other;
                    half.labels = !row.input;
                    g.generator = half;
                    return g;
                }
            }
    if (kind == Noise) g.generator = core::BandLimitedNoiseData{size, 5.0, 0.5, 0};
    else if (kind == Sweep) g.generator = core::SineSweepData{size, 1.0, 10.0, 1.0};
    else {
        core::GaussianClustersData c;
        c.labels = !row.input;
        (row.input ? c.dimensions : c.classes) = std::max(2, size);
        g.generator = c;
    }
    return g;
}

void DataSourcesEditor::detailEdited() {
    const int r = table_->currentRow();
    if (r < 0 || kind_->currentIndex() == NoData) return;
    const core::DataSource updated = sourceFromDetail();
    auto& sources = sourcesOf(rows_[r]);
    if (sources[rows_[r].id] == updated) return;
    sources[rows_[r].id] = updated;
    refreshRow(r);
    emit edited();
}

void DataSourcesEditor::browse() {
    const QDir base(directory_.isEmpty() ? QDir::currentPath() : directory_);
    const QString path = QFileDialog::getOpenFileName(this, tr("Training data"), base.path(),
                                                      tr("Arrays (*.npy *.npz *.csv);;All files (*)"));
    if (path.isEmpty()) return;
    file_->setText(base.relativeFilePath(path));
    detailEdited();
}

void DataSourcesEditor::showMessage() {
    const int r = table_->currentRow();
    QString error;
    if (r >= 0)
        if (const auto it = check_.sources.find(rows_[r].id); it != check_.sources.end() && source(rows_[r]))
            error = it->second.error;
    if (error.isEmpty()) error = check_.problem;
    if (error.isEmpty() && checking_) {
        message_->setStyleSheet({});
        message_->setText(tr("Checking the data against the model…"));
        return;
    }
    message_->setStyleSheet(error.isEmpty() ? "color: rgb(30, 130, 60);" : "color: rgb(200, 30, 30);");
    message_->setText(error.isEmpty() ? tr("The data fits the model: ready to train.") : error);
}

}  // namespace ui
