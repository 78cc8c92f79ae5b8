#include "training/training_setup_editor.h"

#include "training/data_sources_editor.h"
#include "training/number_field.h"
#include "training/objectives_editor.h"
#include "training/optimizer_editor.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

#include <climits>

namespace ui {

namespace {

QGroupBox* group(const QString& title, QWidget* content) {
    auto* box = new QGroupBox(title);
    auto* layout = new QVBoxLayout(box);
    layout->addWidget(content);
    return box;
}

QSpinBox* spin(const QString& name, int minimum, int maximum) {
    auto* s = new QSpinBox;
    s->setObjectName(name);
    s->setRange(minimum, maximum);
    s->setKeyboardTracking(false);
    return s;
}

QCheckBox* check(const QString& name, const QString& text, const QString& tip) {
    auto* c = new QCheckBox(text);
    c->setObjectName(name);
    c->setToolTip(tip);
    return c;
}

// The folder itself or, when the first run has not created it yet, the nearest
// folder above it that exists: a dialog cannot open in a missing one.
QString nearestExistingFolder(QString path) {
    while (!path.isEmpty() && !QFileInfo(path).isDir() && QFileInfo(path).path() != path) path = QFileInfo(path).path();
    return path;
}

}  // namespace

QString projectRelativePath(const QString& chosen, const QString& projectDirectory) {
    if (projectDirectory.isEmpty()) return QDir::cleanPath(QDir(chosen).absolutePath());
    return QDir(projectDirectory).relativeFilePath(chosen);  // "." for the folder itself: "" would mean none
}

TrainingSetupEditor::TrainingSetupEditor(QWidget* parent) : QWidget(parent) {
    data_ = new DataSourcesEditor;
    objectives_ = new ObjectivesEditor;
    optimizer_ = new OptimizerEditor;
    connect(data_, &DataSourcesEditor::edited, this, &TrainingSetupEditor::collect);
    connect(objectives_, &ObjectivesEditor::edited, this, &TrainingSetupEditor::collect);
    connect(optimizer_, &OptimizerEditor::edited, this, &TrainingSetupEditor::collect);

    auto* left = new QVBoxLayout;
    left->addWidget(group(tr("Data (NengoDL's data={node: x, probe: y}, each (n, steps, size))"), data_));
    left->addWidget(group(tr("Objectives"), objectives_));
    left->addStretch(1);
    auto* right = new QVBoxLayout;
    right->addWidget(group(tr("Optimiser"), optimizer_));
    right->addWidget(group(tr("Run"), runOptions()));
    right->addWidget(group(tr("Summaries"), summaryOptions()), 1);
    auto* layout = new QHBoxLayout(this);
    layout->addLayout(left, 3);
    layout->addLayout(right, 2);
    showSetup(setup_);
}

QWidget* TrainingSetupEditor::runOptions() {
    minibatch_ = spin("minibatchSize", 1, INT_MAX);
    epochs_ = spin("epochs", 1, INT_MAX);
    shuffle_ = check("shuffle", tr("Shuffle each epoch, seed"), tr("Reassign sequences to minibatches each epoch"));
    seed_ = spin("seed", 0, INT_MAX);
    truncation_ = spin("truncation", 0, INT_MAX);
    truncation_->setSpecialValueText(tr("full BPTT"));
    truncation_->setSuffix(tr(" steps"));
    truncation_->setToolTip(tr("Each segment of this many steps is one optimisation step; the state carries on"));
    checkpointing_ = check("checkpointing", tr("Checkpointing"),
                           tr("Full BPTT keeping about √steps steps of tape and recomputing the rest"));
    rateMode_ = check("rateMode", tr("Rate neurons in the forward pass"), tr("LIF runs as LIFRate, spiking ReLU as ReLU"));
    dtype_ = new QComboBox;
    dtype_->setObjectName("dtype");
    dtype_->addItem(tr("float64 (Nengo's arithmetic)"));
    dtype_->addItem(tr("float32 (NengoDL's default, faster)"));
    dtype_->setToolTip(tr("float32 runs the simulations and gradients of training in single precision: about twice "
                          "as fast with half the memory; the parameters and the optimiser stay float64"));
    lifSmoothing_ = new NumberField(0.0);
    lifSmoothing_->setObjectName("lifSmoothing");
    lifSmoothing_->setSingleStep(0.005);
    lifSmoothing_->setToolTip(tr("SoftLIFRate σ for spiking LIF gradients; 0 uses LIFRate's derivative"));
    label_ = new QLineEdit;
    label_->setObjectName("runLabel");
    label_->setToolTip(tr("Runs are named label, label_1, label_2, …"));
    profile_ = check("profile", tr("Profile (time per phase)"), {});
    logdir_ = new QLineEdit;
    logdir_->setObjectName("logdir");
    logdir_->setPlaceholderText(tr("none"));
    logdir_->setToolTip(tr("Each run's summaries are written here as TensorBoard event files when it ends "
                           "(a folder relative to the project file)"));
    auto* logdirBrowse = new QPushButton(tr("Browse…"));
    logdirBrowse->setObjectName("logdirBrowse");
    logdirBrowse->setToolTip(tr("Choose the TensorBoard folder"));
    connect(logdirBrowse, &QPushButton::clicked, this, &TrainingSetupEditor::browseLogdir);
    auto* logdirRow = new QWidget;
    auto* logdirLayout = new QHBoxLayout(logdirRow);
    logdirLayout->setContentsMargins(0, 0, 0, 0);
    logdirLayout->addWidget(logdir_, 1);
    logdirLayout->addWidget(logdirBrowse);

    auto* w = new QWidget;
    auto* form = new QFormLayout(w);
    form->setContentsMargins(0, 0, 0, 0);
    form->addRow(tr("Minibatch size"), minibatch_);
    form->addRow(tr("Epochs"), epochs_);
    auto* shuffleRow = new QHBoxLayout;
    shuffleRow->addWidget(shuffle_);
    shuffleRow->addWidget(seed_, 1);
    form->addRow(shuffleRow);
    form->addRow(tr("Truncation"), truncation_);
    form->addRow(checkpointing_);
    form->addRow(rateMode_);
    form->addRow(tr("LIF smoothing"), lifSmoothing_);
    form->addRow(tr("Arithmetic"), dtype_);
    form->addRow(tr("Run label"), label_);
    form->addRow(tr("TensorBoard folder"), logdirRow);
    form->addRow(profile_);
    for (QSpinBox* s : {minibatch_, epochs_, seed_, truncation_})
        connect(s, &QSpinBox::valueChanged, this, &TrainingSetupEditor::collect);
    for (QCheckBox* c : {shuffle_, checkpointing_, rateMode_, profile_})
        connect(c, &QCheckBox::toggled, this, &TrainingSetupEditor::collect);
    connect(lifSmoothing_, &QDoubleSpinBox::valueChanged, this, &TrainingSetupEditor::collect);
    connect(dtype_, &QComboBox::currentIndexChanged, this, &TrainingSetupEditor::collect);
    for (QLineEdit* e : {label_, logdir_}) connect(e, &QLineEdit::editingFinished, this, &TrainingSetupEditor::collect);
    return w;
}

QWidget* TrainingSetupEditor::summaryOptions() {
    summaries_ = new QListWidget;
    summaries_->setObjectName("summaries");
    summaries_->setToolTip(tr("Distributions recorded while training (Distributions and Histograms pages)"));
    summaryEvery_ = spin("summaryEvery", 1, INT_MAX);
    summaryEvery_->setPrefix(tr("every "));
    summaryEvery_->setSuffix(tr(" steps"));
    histogramBins_ = spin("histogramBins", 1, 1000);
    histogramBins_->setSuffix(tr(" bins"));
    connect(summaries_, &QListWidget::itemChanged, this, &TrainingSetupEditor::collect);
    connect(summaryEvery_, &QSpinBox::valueChanged, this, &TrainingSetupEditor::collect);
    connect(histogramBins_, &QSpinBox::valueChanged, this, &TrainingSetupEditor::collect);

    auto* w = new QWidget;
    auto* layout = new QVBoxLayout(w);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(new QLabel(tr("Loss is always recorded. Distributions of:")));
    layout->addWidget(summaries_, 1);
    auto* row = new QHBoxLayout;
    row->addWidget(summaryEvery_);
    row->addWidget(histogramBins_);
    layout->addLayout(row);
    return w;
}

void TrainingSetupEditor::setSummaryObjects(const TrainingObjects& objects) {
    summaries_->clear();
    auto add = [this](const std::string& id, const QString& text) {
        auto* item = new QListWidgetItem(text, summaries_);
        item->setData(Qt::UserRole, QString::fromStdString(id));
        item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsUserCheckable);
        item->setCheckState(Qt::Unchecked);
    };
    for (const auto& e : objects.ensembles) {
        add(e.id, tr("%1: encoders").arg(e.title));
        add(e.id + ".neurons", tr("%1: biases").arg(e.title));
    }
    for (const auto& c : objects.connections) add(c.id, tr("%1: weights").arg(c.title));
}

void TrainingSetupEditor::browseLogdir() {
    const QString folder = QFileDialog::getExistingDirectory(this, tr("TensorBoard folder"), logdirStart());
    if (folder.isEmpty()) return;
    logdir_->setText(projectRelativePath(folder, directory_));
    collect();  // as editingFinished does for a typed folder
}

// The folder in the field (typed and not yet committed, too), resolved as a
// run's log folder is; the project's folder when the field is empty.
QString TrainingSetupEditor::logdirStart() const {
    const QString typed = logdir_->text().trimmed();
    return nearestExistingFolder(typed.isEmpty() ? directory_ : QDir(directory_).absoluteFilePath(typed));
}

void TrainingSetupEditor::setProject(const core::Project& project, const QString& projectDirectory) {
    updating_ = true;
    directory_ = projectDirectory;
    const TrainingObjects objects = trainingObjects(project.network);
    data_->setProjectDirectory(projectDirectory);
    data_->setDt(project.simulation.dt);
    data_->setObjects(objects.inputNodes, objects.probes);
    objectives_->setProbes(objects.probes);
    if (objects != objects_) {
        objects_ = objects;
        setSummaryObjects(objects);
        showSetup(setup_);
    }
    const core::TrainingSetup setup = project.training.value_or(core::TrainingSetup{});
    if (setup != setup_) showSetup(setup);
    updating_ = false;
}

void TrainingSetupEditor::showSetup(const core::TrainingSetup& setup) {
    const bool wasUpdating = updating_;
    updating_ = true;
    setup_ = setup;
    data_->setSources(setup.inputs, setup.targets);
    objectives_->setObjectives(setup.objectives);
    optimizer_->setSettings(setup.optimizer);
    const core::TrainOptions& o = setup.options;
    minibatch_->setValue(setup.minibatchSize);
    epochs_->setValue(o.epochs);
    shuffle_->setChecked(o.shuffle);
    seed_->setValue(static_cast<int>(std::min<uint64_t>(o.seed, INT_MAX)));
    truncation_->setValue(o.truncation);
    checkpointing_->setChecked(o.checkpointing);
    rateMode_->setChecked(o.rateMode);
    lifSmoothing_->setValue(o.lifSmoothing);
    dtype_->setCurrentIndex(o.precision == core::Precision::Float32 ? 1 : 0);
    label_->setText(QString::fromStdString(o.label));
    logdir_->setText(QString::fromStdString(setup.logdir));
    profile_->setChecked(o.profile);
    summaryEvery_->setValue(o.summaryEvery);
    histogramBins_->setValue(o.histogramBins);
    for (int i = 0; i < summaries_->count(); ++i) {
        QListWidgetItem* item = summaries_->item(i);
        const std::string id = item->data(Qt::UserRole).toString().toStdString();
        const bool on = std::find(o.summaries.begin(), o.summaries.end(), id) != o.summaries.end();
        item->setCheckState(on ? Qt::Checked : Qt::Unchecked);
    }
    updating_ = wasUpdating;
}

void TrainingSetupEditor::collect() {
    if (updating_) return;
    core::TrainingSetup s = setup_;
    s.inputs = data_->inputs();
    s.targets = data_->targets();
    s.objectives = objectives_->objectives();
    s.optimizer = optimizer_->settings();
    s.minibatchSize = minibatch_->value();
    core::TrainOptions& o = s.options;
    o.epochs = epochs_->value();
    o.shuffle = shuffle_->isChecked();
    o.seed = static_cast<uint64_t>(seed_->value());
    o.truncation = truncation_->value();
    o.checkpointing = checkpointing_->isChecked();
    o.rateMode = rateMode_->isChecked();
    o.lifSmoothing = lifSmoothing_->value();
    o.precision = dtype_->currentIndex() == 1 ? core::Precision::Float32 : core::Precision::Float64;
    o.label = label_->text().trimmed().isEmpty() ? core::TrainOptions{}.label : label_->text().trimmed().toStdString();
    o.profile = profile_->isChecked();
    s.logdir = logdir_->text().trimmed().toStdString();
    o.summaryEvery = summaryEvery_->value();
    o.histogramBins = histogramBins_->value();
    o.summaries.clear();
    for (int i = 0; i < summaries_->count(); ++i)
        if (summaries_->item(i)->checkState() == Qt::Checked)
            o.summaries.push_back(summaries_->item(i)->data(Qt::UserRole).toString().toStdString());
    if (s == setup_) return;
    setup_ = std::move(s);
    emit edited(setup_);
}

void TrainingSetupEditor::markChecking() { data_->markChecking(); }

void TrainingSetupEditor::setCheck(const DataCheck& check) { data_->setCheck(check); }

}  // namespace ui
