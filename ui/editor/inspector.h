#pragma once
// The inspector: a form for the selected object, or for the project's
// settings when nothing is selected. Every edit is a command on the model's
// undo stack (consecutive edits of one field merge into one step); the
// inspector never changes the model itself. It follows the model, so undo,
// redo and edits made elsewhere show up in its fields, and a field being
// typed in keeps its cursor.
#include <QWidget>

#include <string>

class QLabel;
class QScrollArea;

namespace ui {

class GraphModel;
class InspectorForm;  // one per object kind, in inspector.cpp

class Inspector : public QWidget {
    Q_OBJECT
public:
    explicit Inspector(GraphModel* model, QWidget* parent = nullptr);
    ~Inspector() override;

    // The object with this id; empty (or an id not in the model) shows the project.
    void showObject(const std::string& id);
    const std::string& shownId() const { return id_; }

private:
    void refresh();

    GraphModel* model_;
    std::string id_;
    QLabel* title_;
    QScrollArea* scroll_;
    InspectorForm* form_ = nullptr;
};

}  // namespace ui
