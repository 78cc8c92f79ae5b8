#include "clipboard.h"

#include "object_factory.h"

#include <algorithm>
#include <cctype>

namespace ui {

namespace {

template <class Visit>
void forEachAttachment(const core::Network& net, Visit&& visit) {
    for (const auto& c : net.connections) visit(&c, nullptr);
    for (const auto& p : net.probes) visit(nullptr, &p);
    for (const auto& s : net.subnetworks) forEachAttachment(s, visit);
}

void collectIds(const core::Network& net, std::vector<std::string>& ids) {
    for (const auto& n : net.nodes) ids.push_back(n.id);
    for (const auto& e : net.ensembles) ids.push_back(e.id);
    for (const auto& c : net.connections) ids.push_back(c.id);
    for (const auto& p : net.probes) ids.push_back(p.id);
    for (const auto& s : net.subnetworks) {
        ids.push_back(s.id);
        collectIds(s, ids);
    }
}

std::vector<std::string> idsOf(const core::Network& net) {
    std::vector<std::string> ids;
    collectIds(net, ids);
    return ids;
}

// Takes out connections and probes with an end that `present` lacks; true if any went.
template <class Present>
bool pruneDangling(core::Network& net, Present&& present) {
    const size_t before = net.connections.size() + net.probes.size();
    std::erase_if(net.connections, [&](const core::Connection& c) { return !present(c.pre.id) || !present(c.post.id); });
    std::erase_if(net.probes, [&](const core::Probe& p) { return !present(p.target.id); });
    bool pruned = net.connections.size() + net.probes.size() != before;
    for (auto& s : net.subnetworks) pruned = pruneDangling(s, present) || pruned;
    return pruned;
}

void remap(core::Network& net, const std::map<std::string, std::string>& ids) {
    auto end = [&](core::Endpoint& e) {
        if (const auto it = ids.find(e.id); it != ids.end()) e.id = it->second;
    };
    for (auto& n : net.nodes) n.id = ids.at(n.id);
    for (auto& e : net.ensembles) e.id = ids.at(e.id);
    for (auto& c : net.connections) {
        c.id = ids.at(c.id);
        end(c.pre);
        end(c.post);
    }
    for (auto& p : net.probes) {
        p.id = ids.at(p.id);
        end(p.target);
    }
    for (auto& s : net.subnetworks) {
        s.id = ids.at(s.id);
        remap(s, ids);
    }
}

// "ensemble_3" -> "ensemble": copies are numbered after the name, not after the original's number.
std::string withoutNumber(const std::string& id) {
    const size_t underscore = id.find_last_of('_');
    if (underscore == std::string::npos || underscore == 0 || underscore + 1 == id.size()) return id;
    const bool numbered = std::all_of(id.begin() + static_cast<long>(underscore) + 1, id.end(),
                                      [](unsigned char ch) { return std::isdigit(ch); });
    return numbered ? id.substr(0, underscore) : id;
}

}  // namespace

bool CopiedObjects::empty() const {
    return objects.nodes.empty() && objects.ensembles.empty() && objects.connections.empty() && objects.probes.empty() &&
           objects.subnetworks.empty();
}

CopiedObjects copyObjects(const GraphModel& model, const std::vector<std::string>& ids) {
    const std::set<std::string> selected(ids.begin(), ids.end());
    std::set<std::string> inside;  // in a selected subnetwork: comes with it
    for (const std::string& id : selected)
        if (model.kind(id) == ObjectKind::Network)
            for (const std::string& d : model.descendants(id)) inside.insert(d);

    CopiedObjects out;
    std::set<std::string> copied;
    for (const std::string& id : model.objectIds()) {
        if (!selected.count(id) || inside.count(id)) continue;
        switch (*model.kind(id)) {
            case ObjectKind::Node: out.objects.nodes.push_back(std::get<core::Node>(*model.object(id))); break;
            case ObjectKind::Ensemble: out.objects.ensembles.push_back(std::get<core::Ensemble>(*model.object(id))); break;
            case ObjectKind::Network: {
                out.objects.subnetworks.push_back(*model.network(id));
                const auto children = model.descendants(id);
                copied.insert(children.begin(), children.end());
                break;
            }
            default: continue;  // connections and probes below
        }
        copied.insert(id);
    }

    // Attachments whose ends are copied come along; attachments to those
    // (a probe on a copied connection) too, so repeat until nothing joins.
    std::set<std::string> taken;
    auto wanted = [&](const std::string& id, std::initializer_list<const core::Endpoint*> ends) {
        return !copied.count(id) && !taken.count(id) &&
               (selected.count(id) || std::all_of(ends.begin(), ends.end(), [&](auto* e) {
                    return copied.count(e->id) || taken.count(e->id);
                }));
    };
    for (bool grew = true; grew;) {
        grew = false;
        forEachAttachment(model.project().network, [&](const core::Connection* c, const core::Probe* p) {
            const bool take = c ? wanted(c->id, {&c->pre, &c->post}) : wanted(p->id, {&p->target});
            if (take) taken.insert(c ? c->id : p->id);
            grew = grew || take;
        });
    }
    forEachAttachment(model.project().network, [&](const core::Connection* c, const core::Probe* p) {
        if (c && taken.count(c->id)) out.objects.connections.push_back(*c);
        if (p && taken.count(p->id)) out.objects.probes.push_back(*p);
    });

    const core::Layout& layout = model.project().layout;
    for (const std::string& id : idsOf(out.objects)) {
        if (const auto p = model.position(id)) out.positions[id] = *p;
        if (layout.collapsed.count(id)) out.collapsed.insert(id);
    }
    return out;
}

std::vector<PlacedObject> pasteObjects(const CopiedObjects& copied, const GraphModel& model, const std::string& parent,
                                       core::Point offset) {
    core::Network net = copied.objects;
    const std::vector<std::string> copiedIds = idsOf(net);
    std::set<std::string> present(copiedIds.begin(), copiedIds.end());
    auto exists = [&](const std::string& id) { return present.count(id) || model.contains(id); };
    while (pruneDangling(net, exists)) {
        const auto kept = idsOf(net);
        present = {kept.begin(), kept.end()};
    }

    std::map<std::string, std::string> newIds;
    std::set<std::string> taken;
    for (const std::string& old : idsOf(net)) {
        const std::string id = numberedId(model, withoutNumber(old), taken);
        taken.insert(id);
        newIds[old] = id;
    }
    LayoutPart layout;
    for (const auto& [old, p] : copied.positions)
        if (newIds.count(old)) layout.positions[newIds.at(old)] = {p.x + offset.x, p.y + offset.y};
    for (const std::string& old : copied.collapsed)
        if (newIds.count(old)) layout.collapsed.push_back(newIds.at(old));
    remap(net, newIds);

    std::vector<PlacedObject> placed;
    auto add = [&](ModelObject object, const std::vector<std::string>& subtree) {
        PlacedObject p{std::move(object), {parent, -1}, {}};
        for (const std::string& id : subtree) {
            if (const auto it = layout.positions.find(id); it != layout.positions.end()) p.layout.positions.insert(*it);
            if (std::count(layout.collapsed.begin(), layout.collapsed.end(), id)) p.layout.collapsed.push_back(id);
        }
        placed.push_back(std::move(p));
    };
    for (const auto& n : net.nodes) add(n, {n.id});
    for (const auto& e : net.ensembles) add(e, {e.id});
    for (const auto& s : net.subnetworks) {
        std::vector<std::string> subtree = idsOf(s);
        subtree.push_back(s.id);
        add(s, subtree);
    }
    for (const auto& c : net.connections) add(c, {c.id});
    for (const auto& p : net.probes) add(p, {p.id});
    return placed;
}

}  // namespace ui
