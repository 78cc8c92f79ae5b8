#include "palette.h"

#include "graph_items.h"

#include <QMimeData>

namespace ui {

namespace {

constexpr int keyRole = Qt::UserRole;

struct Group {
    const char* heading;
    PaletteEntry first, last;
};

const Group groups[] = {
    {QT_TRANSLATE_NOOP("Palette", "Inputs and nodes"), PaletteEntry::ConstantNode, PaletteEntry::PassthroughNode},
    {QT_TRANSLATE_NOOP("Palette", "Neurons"), PaletteEntry::Ensemble, PaletteEntry::Ensemble},
    {QT_TRANSLATE_NOOP("Palette", "Recording"), PaletteEntry::Probe, PaletteEntry::Probe},
    {QT_TRANSLATE_NOOP("Palette", "Structure"), PaletteEntry::Subnetwork, PaletteEntry::Subnetwork},
};

// The one-key shortcuts GraphView handles.
QString shortcutOf(PaletteEntry entry) {
    switch (entry) {
        case PaletteEntry::ConstantNode: return "N";
        case PaletteEntry::Ensemble: return "E";
        case PaletteEntry::Probe: return "P";
        default: return {};
    }
}

}  // namespace

Palette::Palette(QWidget* parent) : QListWidget(parent) {
    setObjectName("palette");
    setDragEnabled(true);
    setDragDropMode(DragOnly);
    setSelectionMode(SingleSelection);
    setIconSize(QSize(22, 22));
    setSpacing(1);
    for (const Group& group : groups) {
        auto* heading = new QListWidgetItem(tr(group.heading), this);
        heading->setFlags(Qt::NoItemFlags);
        QFont bold = heading->font();
        bold.setBold(true);
        heading->setFont(bold);
        for (int e = static_cast<int>(group.first); e <= static_cast<int>(group.last); ++e) {
            const PaletteEntryInfo& info = infoOf(static_cast<PaletteEntry>(e));
            auto* item = new QListWidgetItem(QIcon(kindIcon(info.icon, 44)), tr(info.name), this);
            item->setData(keyRole, QString(info.key));
            const QString key = shortcutOf(info.entry);
            item->setToolTip(key.isEmpty() ? tr(info.tip) : tr("%1 (key %2 on the canvas)").arg(tr(info.tip), key));
        }
    }
    connect(this, &QListWidget::itemActivated, this, [this](QListWidgetItem* item) {
        if (const auto entry = entryOf(item)) emit entryActivated(*entry);
    });
}

std::optional<PaletteEntry> Palette::entryOf(const QListWidgetItem* item) {
    return item ? paletteEntryFromKey(item->data(keyRole).toString().toStdString()) : std::nullopt;
}

QStringList Palette::mimeTypes() const { return {paletteMimeType}; }

QMimeData* Palette::mimeData(const QList<QListWidgetItem*>& items) const {
    if (items.isEmpty() || !entryOf(items.front())) return nullptr;
    auto* data = new QMimeData;
    data->setData(paletteMimeType, items.front()->data(keyRole).toString().toUtf8());
    return data;
}

}  // namespace ui
