#pragma once
// Collapsing or expanding a subnetwork on the canvas is an edit of the
// project's layout, undoable like a move.
#include "graph_model.h"

#include <QUndoCommand>

namespace ui {

class SetCollapsedCommand : public QUndoCommand {
public:
    SetCollapsedCommand(GraphModel* model, std::string networkId, bool collapsed);
    void redo() override;
    void undo() override;

private:
    void apply(bool collapsed);
    GraphModel* model_;
    std::string id_;
    bool collapsed_;
};

}  // namespace ui
