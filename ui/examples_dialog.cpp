#include "examples_dialog.h"

#include "io/examples.h"
#include "io/project.h"

#include <QDialogButtonBox>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QListWidget>
#include <QPushButton>
#include <QTextBrowser>
#include <QVBoxLayout>

namespace ui {

namespace {

constexpr int fileRole = Qt::UserRole;
constexpr int descriptionRole = Qt::UserRole + 1;

int countObjects(const core::Network& net) {
    int n = static_cast<int>(net.nodes.size() + net.ensembles.size() + net.connections.size() + net.probes.size());
    for (const auto& sub : net.subnetworks) n += countObjects(sub);
    return n;
}

QString details(const core::Project& p, const QString& file) {
    QString html = QString("<h2>%1</h2><p>%2</p>")
                       .arg(QString::fromStdString(p.title).toHtmlEscaped(),
                            QString::fromStdString(p.description).toHtmlEscaped().replace("\n\n", "</p><p>"));
    html += QString("<p style='color:#667'>%1 &middot; %2 objects &middot; %3 s per run%4</p>")
                .arg(QFileInfo(file).fileName())
                .arg(countObjects(p.network))
                .arg(p.simulation.duration)
                .arg(p.training ? QObject::tr(" &middot; trainable") : QString());
    return html;
}

}  // namespace

ExamplesDialog::ExamplesDialog(const QString& directory, QWidget* parent)
    : QDialog(parent), list_(new QListWidget(this)), details_(new QTextBrowser(this)) {
    setWindowTitle(tr("Examples"));
    list_->setObjectName("exampleList");
    list_->setMinimumWidth(220);
    for (const std::string& file : core::exampleFiles(directory.toStdString())) {
        try {
            const core::Project p = core::loadProject(file);
            auto* item = new QListWidgetItem(QString::fromStdString(p.title.empty() ? file : p.title), list_);
            item->setData(fileRole, QString::fromStdString(file));
            item->setData(descriptionRole, details(p, QString::fromStdString(file)));
        } catch (const std::exception& e) {
            auto* item = new QListWidgetItem(QFileInfo(QString::fromStdString(file)).fileName(), list_);
            item->setData(descriptionRole, tr("<p>This example cannot be opened:</p><p>%1</p>")
                                               .arg(QString::fromStdString(e.what()).toHtmlEscaped()));
            item->setFlags(item->flags() & ~Qt::ItemIsEnabled);
        }
    }
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Open | QDialogButtonBox::Cancel, this);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(list_, &QListWidget::currentRowChanged, this, &ExamplesDialog::showDetails);
    connect(list_, &QListWidget::itemDoubleClicked, this, &QDialog::accept);

    auto* columns = new QHBoxLayout;
    columns->addWidget(list_, 1);
    columns->addWidget(details_, 2);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(columns);
    layout->addWidget(buttons);
    resize(760, 420);
    if (list_->count() > 0) list_->setCurrentRow(0);
}

void ExamplesDialog::showDetails() {
    const QListWidgetItem* item = list_->currentItem();
    details_->setHtml(item ? item->data(descriptionRole).toString() : QString());
}

QString ExamplesDialog::selectedFile() const {
    const QListWidgetItem* item = list_->currentItem();
    return item ? item->data(fileRole).toString() : QString();
}

}  // namespace ui
