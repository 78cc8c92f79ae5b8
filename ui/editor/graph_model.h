#pragma once
// The editor's model: one core::Project, the objects of its network tree
// addressed by id, and signals when they change. It knows nothing of widgets;
// the canvas, the inspector and the plots observe it. Only the QUndoCommands
// of edit_commands.h call the mutating functions, so every edit can be undone.
#include "io/project.h"

#include <QObject>
#include <QString>

#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

class QUndoStack;

namespace ui {

using ModelObject = std::variant<core::Node, core::Ensemble, core::Connection, core::Probe, core::Network>;

enum class ObjectKind { Node, Ensemble, Connection, Probe, Network };

ObjectKind kindOf(const ModelObject& object);
const std::string& idOf(const ModelObject& object);
const std::string& labelOf(const ModelObject& object);
void setLabel(ModelObject& object, const std::string& label);
// "label (id)", or the id alone when there is no label: how messages name an object.
std::string displayName(const ModelObject& object);

// Where an object sits in the tree: its parent network ("" = the top network)
// and its index among the parent's objects of the same kind. Reinserting at
// the recorded placement restores the model exactly.
struct Placement {
    std::string parent;
    int index = -1;
};

// Editor state of an object and its descendants (a subnetwork's children).
struct LayoutPart {
    std::map<std::string, core::Point> positions;
    std::map<std::string, core::Point> sizes;
    std::vector<std::string> collapsed;
};

// An object with where it sits and how it is drawn: what removing it takes
// away and inserting it puts back.
struct PlacedObject {
    ModelObject object;
    Placement placement;
    LayoutPart layout;
};

class GraphModel : public QObject {
    Q_OBJECT
public:
    explicit GraphModel(QObject* parent = nullptr);
    ~GraphModel() override;

    const core::Project& project() const { return project_; }
    // Replaces everything (new or opened project); clears the undo history.
    void setProject(core::Project project);
    QUndoStack* undoStack() const { return undoStack_; }

    // Queries.
    bool contains(const std::string& id) const;
    std::optional<ModelObject> object(const std::string& id) const;  // a network without its children
    std::optional<ObjectKind> kind(const std::string& id) const;
    std::optional<std::string> parentOf(const std::string& id) const;  // "" = top network
    const core::Network* network(const std::string& id) const;          // "" = top network
    std::vector<std::string> objectIds() const;                         // every object, tree order
    // Connections and probes that attach to `id` (or to a connection that
    // does), i.e. what must go when `id` goes; subnetwork descendants included.
    std::vector<std::string> dependents(const std::string& id) const;
    std::vector<std::string> descendants(const std::string& networkId) const;
    std::optional<core::Point> position(const std::string& id) const;
    // A fresh id "<prefix>_<n>" used by no object.
    std::string uniqueId(const std::string& prefix) const;
    // Size of what an endpoint delivers or accepts (an ensemble's dimensions, its
    // neuron count, a node's size_out/size_in); nullopt for an unknown id.
    std::optional<int> outputSize(const core::Endpoint& endpoint) const;
    std::optional<int> inputSize(const core::Endpoint& endpoint) const;

    // Mutations, for edit commands only. Each emits its signal.
    void insert(const PlacedObject& placed);
    PlacedObject remove(const std::string& id);
    // Same id, new content; a network keeps its children (label and seed change).
    void replace(const ModelObject& object);
    void setPosition(const std::string& id, std::optional<core::Point> position);
    void setProjectInfo(const std::string& title, const std::string& description);
    void setSimulation(const core::SimulationSettings& settings);
    void setTraining(const std::optional<core::TrainingSetup>& training);

signals:
    void objectAdded(const QString& id);
    void objectRemoved(const QString& id);
    void objectChanged(const QString& id);
    void objectMoved(const QString& id);
    void projectInfoChanged();  // title, description, simulation or training set-up
    void modelReset();
    void changed();  // after any of the above

private:
    core::Network* mutableNetwork(const std::string& id);
    LayoutPart takeLayout(const std::vector<std::string>& ids);
    void emitAdded(const core::Network& net);

    core::Project project_;
    QUndoStack* undoStack_;
};

}  // namespace ui
