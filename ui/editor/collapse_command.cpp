#include "collapse_command.h"

#include <QCoreApplication>

#include <algorithm>

namespace ui {

SetCollapsedCommand::SetCollapsedCommand(GraphModel* model, std::string networkId, bool collapsed)
    : model_(model), id_(std::move(networkId)), collapsed_(collapsed) {
    const auto network = model->object(id_);
    const QString name = QString::fromStdString(network ? displayName(*network) : id_);
    setText((collapsed ? QCoreApplication::translate("EditCommands", "Collapse %1")
                       : QCoreApplication::translate("EditCommands", "Expand %1"))
                .arg(name));
}

void SetCollapsedCommand::redo() { apply(collapsed_); }

void SetCollapsedCommand::undo() { apply(!collapsed_); }

// The model has no setter for the collapsed flag; taking the subnetwork out
// and putting it back at its placement with the flag changed restores
// everything else exactly.
void SetCollapsedCommand::apply(bool collapsed) {
    PlacedObject placed = model_->remove(id_);
    std::vector<std::string>& flags = placed.layout.collapsed;
    std::erase(flags, id_);
    if (collapsed) flags.push_back(id_);
    model_->insert(placed);
}

}  // namespace ui
