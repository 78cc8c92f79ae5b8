#pragma once
// Every edit of the network is one of these commands, pushed on the model's
// undo stack. Each records what it needs to restore the model exactly: undo
// then redo gives back an identical core::Project.
#include "graph_model.h"

#include <QUndoCommand>

namespace ui {

// Adds objects (new ones, pasted ones, a connection drawn on the canvas).
// Placement index -1 appends; the parent must exist.
class AddObjectsCommand : public QUndoCommand {
public:
    AddObjectsCommand(GraphModel* model, std::vector<PlacedObject> objects, const QString& text);
    void redo() override;
    void undo() override;

private:
    GraphModel* model_;
    std::vector<PlacedObject> objects_;
};

// Deletes objects together with the connections and probes attached to them.
class DeleteObjectsCommand : public QUndoCommand {
public:
    DeleteObjectsCommand(GraphModel* model, const std::vector<std::string>& ids);
    void redo() override;
    void undo() override;

private:
    GraphModel* model_;
    std::vector<std::string> ids_;       // in removal order, dependents first
    std::vector<PlacedObject> removed_;  // filled by redo
};

// Moves objects on the canvas (one command per drag).
class MoveObjectsCommand : public QUndoCommand {
public:
    using Positions = std::map<std::string, std::optional<core::Point>>;
    MoveObjectsCommand(GraphModel* model, Positions before, Positions after);
    void redo() override;
    void undo() override;

private:
    GraphModel* model_;
    Positions before_, after_;
};

// Replaces an object's content (rename, a property change in the inspector,
// freezing trained parameters). Consecutive changes of the same field of the
// same object merge into one undo step, so typing a value is one step.
class ChangeObjectCommand : public QUndoCommand {
public:
    ChangeObjectCommand(GraphModel* model, ModelObject after, const QString& field);
    void redo() override;
    void undo() override;
    int id() const override { return 1; }
    bool mergeWith(const QUndoCommand* other) override;

private:
    GraphModel* model_;
    ModelObject before_, after_;
    QString field_;
};

// Moves objects of one network into a new subnetwork of it (see canGroup).
class GroupCommand : public QUndoCommand {
public:
    GroupCommand(GraphModel* model, const std::vector<std::string>& ids, core::Network group, core::Point position);
    void redo() override;
    void undo() override;

private:
    GraphModel* model_;
    std::vector<std::string> ids_;
    core::Network group_;  // empty: its id, label and seed
    core::Point position_;
    std::vector<PlacedObject> moved_;  // filled by redo, original placements
};

// Title, description, simulation settings or training set-up.
class ChangeProjectSettingsCommand : public QUndoCommand {
public:
    struct Settings {
        std::string title, description;
        core::SimulationSettings simulation;
        std::optional<core::TrainingSetup> training;
    };
    ChangeProjectSettingsCommand(GraphModel* model, Settings after, const QString& text);
    void redo() override;
    void undo() override;

private:
    static Settings current(const GraphModel& model);
    void apply(const Settings& s);
    GraphModel* model_;
    Settings before_, after_;
};

// True when the objects exist and share one parent network.
bool canGroup(const GraphModel& model, const std::vector<std::string>& ids);

// Objects to delete along with `ids` (their dependents), dependents first, no repeats.
std::vector<std::string> deletionOrder(const GraphModel& model, const std::vector<std::string>& ids);

}  // namespace ui
