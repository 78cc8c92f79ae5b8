#pragma once
// The palette of object types, for a dock: drag an entry onto the canvas to
// add it there, or activate it (double-click, Enter) to add it at the view's centre.
#include "object_factory.h"

#include <QListWidget>

namespace ui {

class Palette : public QListWidget {
    Q_OBJECT
public:
    explicit Palette(QWidget* parent = nullptr);
    // The entry an item stands for; nullopt for the group headings.
    static std::optional<PaletteEntry> entryOf(const QListWidgetItem* item);

signals:
    void entryActivated(ui::PaletteEntry entry);

protected:
    QStringList mimeTypes() const override;
    QMimeData* mimeData(const QList<QListWidgetItem*>& items) const override;
};

}  // namespace ui
