#include "edit_commands.h"

#include <QCoreApplication>

#include <algorithm>
#include <set>

namespace ui {

namespace {

QString tr(const char* text) { return QCoreApplication::translate("EditCommands", text); }

QString nameOf(const GraphModel& model, const std::string& id) {
    const auto o = model.object(id);
    return QString::fromStdString(o ? displayName(*o) : id);
}

QString describe(const GraphModel& model, const std::vector<std::string>& ids) {
    return ids.size() == 1 ? nameOf(model, ids.front()) : tr("%1 objects").arg(ids.size());
}

// Probes before connections before everything else: what attaches to an
// object leaves before it.
int removalRank(const GraphModel& model, const std::string& id) {
    switch (model.kind(id).value_or(ObjectKind::Node)) {
        case ObjectKind::Probe: return 0;
        case ObjectKind::Connection: return 1;
        default: return 2;
    }
}

}  // namespace

std::vector<std::string> deletionOrder(const GraphModel& model, const std::vector<std::string>& ids) {
    std::vector<std::string> all;
    auto add = [&](const std::string& id) {
        if (model.contains(id) && std::find(all.begin(), all.end(), id) == all.end()) all.push_back(id);
    };
    for (const std::string& id : ids) {
        add(id);
        for (const std::string& d : model.dependents(id)) add(d);
    }
    // An object inside a subnetwork that goes anyway leaves with it.
    std::set<std::string> inside;
    for (const std::string& id : all)
        if (model.kind(id) == ObjectKind::Network)
            for (const std::string& d : model.descendants(id)) inside.insert(d);
    std::erase_if(all, [&](const std::string& id) { return inside.count(id) > 0; });
    std::stable_sort(all.begin(), all.end(), [&](const std::string& a, const std::string& b) {
        return removalRank(model, a) < removalRank(model, b);
    });
    return all;
}

AddObjectsCommand::AddObjectsCommand(GraphModel* model, std::vector<PlacedObject> objects, const QString& text)
    : model_(model), objects_(std::move(objects)) {
    setText(text);
}

void AddObjectsCommand::redo() {
    for (const PlacedObject& o : objects_) model_->insert(o);
}

void AddObjectsCommand::undo() {
    for (auto it = objects_.rbegin(); it != objects_.rend(); ++it) model_->remove(idOf(it->object));
}

DeleteObjectsCommand::DeleteObjectsCommand(GraphModel* model, const std::vector<std::string>& ids)
    : model_(model), ids_(deletionOrder(*model, ids)) {
    setText(tr("Delete %1").arg(describe(*model, ids)));
}

// Removing in order and reinserting in reverse order at the recorded
// placements restores every list exactly.
void DeleteObjectsCommand::redo() {
    removed_.clear();
    for (const std::string& id : ids_) removed_.push_back(model_->remove(id));
}

void DeleteObjectsCommand::undo() {
    for (auto it = removed_.rbegin(); it != removed_.rend(); ++it) model_->insert(*it);
    removed_.clear();
}

MoveObjectsCommand::MoveObjectsCommand(GraphModel* model, Positions before, Positions after)
    : model_(model), before_(std::move(before)), after_(std::move(after)) {
    std::vector<std::string> ids;
    for (const auto& entry : after_) ids.push_back(entry.first);
    setText(tr("Move %1").arg(describe(*model, ids)));
}

void MoveObjectsCommand::redo() {
    for (const auto& [id, p] : after_) model_->setPosition(id, p);
}

void MoveObjectsCommand::undo() {
    for (const auto& [id, p] : before_) model_->setPosition(id, p);
}

ChangeObjectCommand::ChangeObjectCommand(GraphModel* model, ModelObject after, const QString& field)
    : model_(model), before_(model->object(idOf(after)).value()), after_(std::move(after)), field_(field) {
    setText(field.isEmpty() ? tr("Change %1").arg(nameOf(*model, idOf(after_)))
                            : tr("Change %1 of %2").arg(field, nameOf(*model, idOf(after_))));
}

void ChangeObjectCommand::redo() { model_->replace(after_); }

void ChangeObjectCommand::undo() { model_->replace(before_); }

bool ChangeObjectCommand::mergeWith(const QUndoCommand* other) {
    const auto* next = static_cast<const ChangeObjectCommand*>(other);
    if (field_.isEmpty() || next->field_ != field_ || idOf(next->after_) != idOf(after_)) return false;
    after_ = next->after_;
    setObsolete(after_ == before_);  // typed back to where it was: nothing to undo
    return true;
}

bool canGroup(const GraphModel& model, const std::vector<std::string>& ids) {
    if (ids.empty()) return false;
    const auto parent = model.parentOf(ids.front());
    return std::all_of(ids.begin(), ids.end(), [&](const std::string& id) { return parent && model.parentOf(id) == parent; });
}

GroupCommand::GroupCommand(GraphModel* model, const std::vector<std::string>& ids, core::Network group,
                           core::Point position)
    : model_(model), ids_(ids), group_(std::move(group)), position_(position) {
    setText(tr("Group %1 into %2").arg(describe(*model, ids), QString::fromStdString(group_.label)));
}

void GroupCommand::redo() {
    const std::string parent = model_->parentOf(ids_.front()).value_or(std::string());
    moved_.clear();
    PlacedObject grouped{group_, {parent, -1}, {}};
    auto& net = std::get<core::Network>(grouped.object);
    for (const std::string& id : ids_) {
        PlacedObject placed = model_->remove(id);
        std::visit(
            [&](const auto& o) {
                using T = std::decay_t<decltype(o)>;
                if constexpr (std::is_same_v<T, core::Node>) net.nodes.push_back(o);
                if constexpr (std::is_same_v<T, core::Ensemble>) net.ensembles.push_back(o);
                if constexpr (std::is_same_v<T, core::Connection>) net.connections.push_back(o);
                if constexpr (std::is_same_v<T, core::Probe>) net.probes.push_back(o);
                if constexpr (std::is_same_v<T, core::Network>) net.subnetworks.push_back(o);
            },
            placed.object);
        grouped.layout.positions.insert(placed.layout.positions.begin(), placed.layout.positions.end());
        grouped.layout.sizes.insert(placed.layout.sizes.begin(), placed.layout.sizes.end());
        grouped.layout.collapsed.insert(grouped.layout.collapsed.end(), placed.layout.collapsed.begin(),
                                        placed.layout.collapsed.end());
        moved_.push_back(std::move(placed));
    }
    grouped.layout.positions[group_.id] = position_;
    model_->insert(grouped);
}

void GroupCommand::undo() {
    model_->remove(group_.id);
    for (auto it = moved_.rbegin(); it != moved_.rend(); ++it) model_->insert(*it);
    moved_.clear();
}

ChangeProjectSettingsCommand::ChangeProjectSettingsCommand(GraphModel* model, Settings after, const QString& text)
    : model_(model), before_(current(*model)), after_(std::move(after)) {
    setText(text);
}

ChangeProjectSettingsCommand::Settings ChangeProjectSettingsCommand::current(const GraphModel& model) {
    const core::Project& p = model.project();
    return {p.title, p.description, p.simulation, p.training};
}

void ChangeProjectSettingsCommand::apply(const Settings& s) {
    model_->setProjectInfo(s.title, s.description);
    model_->setSimulation(s.simulation);
    model_->setTraining(s.training);
}

void ChangeProjectSettingsCommand::redo() { apply(after_); }

void ChangeProjectSettingsCommand::undo() { apply(before_); }

}  // namespace ui
