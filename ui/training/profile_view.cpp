#include "training/profile_view.h"

#include <QHeaderView>
#include <QLabel>
#include <QProgressBar>
#include <QTableWidget>
#include <QVBoxLayout>

#include <cmath>

namespace ui {

namespace {

struct Phase {
    const char* key;
    const char* title;
    const char* what;
};

// The trainer's phases, in the order a step runs them.
const Phase phases[] = {
    {"forward", "Forward", "simulator steps, recording the tape"},
    {"objective", "Objective", "objective values and output gradients"},
    {"backward", "Backward", "vector-Jacobian products, last step first"},
    {"optimizer", "Optimiser", "parameter updates"},
};

}  // namespace

ProfileView::ProfileView(QWidget* parent) : QWidget(parent) {
    title_ = new QLabel;
    title_->setWordWrap(true);
    table_ = new QTableWidget(0, 4);
    table_->setObjectName("profileTable");
    table_->setHorizontalHeaderLabels({tr("Phase"), tr("Seconds"), tr("Share"), tr("What it does")});
    table_->horizontalHeader()->setSectionResizeMode(3, QHeaderView::Stretch);
    table_->horizontalHeader()->resizeSection(2, 220);
    table_->verticalHeader()->hide();
    table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    operatorTable_ = new QTableWidget(0, 3);
    operatorTable_->setObjectName("operatorTable");
    operatorTable_->setHorizontalHeaderLabels({tr("Operator kind"), tr("Forward (s)"), tr("Backward (s)")});
    operatorTable_->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
    operatorTable_->verticalHeader()->hide();
    operatorTable_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(title_);
    layout->addWidget(table_, 1);
    layout->addWidget(operatorTable_, 1);
    setProfile({}, {}, {});
}

void ProfileView::setProfile(const QString& run, const std::map<std::string, double>& profile,
                             const std::map<std::string, std::map<std::string, double>>& operators) {
    table_->setRowCount(0);
    showOperators(operators);
    if (profile.empty()) {
        title_->setText(run.isEmpty() ? tr("No run yet. Tick “Profile” in the set-up to see where training time goes.")
                                      : tr("Run %1 was not profiled. Tick “Profile” in the set-up and train again.").arg(run));
        return;
    }
    const auto total = profile.find("total");
    const double seconds = total != profile.end() ? total->second : 0.0;
    title_->setText(tr("Run %1: %2 s in all").arg(run).arg(seconds, 0, 'f', 3));
    auto addRow = [&](const QString& name, double value, const QString& what) {
        const int r = table_->rowCount();
        table_->insertRow(r);
        table_->setItem(r, 0, new QTableWidgetItem(name));
        auto* number = new QTableWidgetItem(QString::number(value, 'f', 4));
        number->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
        table_->setItem(r, 1, number);
        auto* bar = new QProgressBar;
        bar->setRange(0, 1000);
        bar->setValue(seconds > 0 ? static_cast<int>(std::lround(1000 * value / seconds)) : 0);
        bar->setFormat(QString::number(seconds > 0 ? 100 * value / seconds : 0, 'f', 1) + " %");
        table_->setCellWidget(r, 2, bar);
        table_->setItem(r, 3, new QTableWidgetItem(what));
    };
    double measured = 0.0;
    for (const Phase& p : phases)
        if (const auto it = profile.find(p.key); it != profile.end()) {
            addRow(tr(p.title), it->second, tr(p.what));
            measured += it->second;
        }
    addRow(tr("Other"), std::max(0.0, seconds - measured), tr("data batches, summaries, progress reports"));
}

void ProfileView::showOperators(const std::map<std::string, std::map<std::string, double>>& operators) {
    operatorTable_->setRowCount(0);
    const auto forward = operators.find("forward"), backward = operators.find("backward");
    if (forward == operators.end() || backward == operators.end()) return;
    auto number = [](double value) {
        auto* item = new QTableWidgetItem(QString::number(value, 'f', 4));
        item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
        return item;
    };
    for (const auto& [kind, seconds] : forward->second) {
        const int r = operatorTable_->rowCount();
        operatorTable_->insertRow(r);
        operatorTable_->setItem(r, 0, new QTableWidgetItem(QString::fromStdString(kind)));
        operatorTable_->setItem(r, 1, number(seconds));
        const auto back = backward->second.find(kind);
        operatorTable_->setItem(r, 2, number(back != backward->second.end() ? back->second : 0.0));
    }
}

}  // namespace ui

