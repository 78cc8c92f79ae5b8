#include "network_problems.h"

#include "build/builder.h"

#include <QCoreApplication>

#include <set>

namespace ui {

namespace {

QString tr(const char* text) { return QCoreApplication::translate("NetworkProblems", text); }

void collectUses(const core::Network& net, std::set<std::string>& used, int& probes) {
    for (const auto& c : net.connections) used.insert(c.pre.id);
    for (const auto& p : net.probes) used.insert(p.target.id);
    probes += static_cast<int>(net.probes.size());
    for (const auto& sub : net.subnetworks) collectUses(sub, used, probes);
}

void unusedNodes(const core::Network& net, const std::set<std::string>& used, std::vector<EditorProblem>& out) {
    for (const auto& n : net.nodes)
        if (!used.count(n.id))
            out.push_back({n.id, false, "output", tr("the node's output goes nowhere (connect or probe it)")});
    for (const auto& sub : net.subnetworks) unusedNodes(sub, used, out);
}

}  // namespace

std::vector<EditorProblem> findProblems(const core::Project& project) {
    std::vector<EditorProblem> problems;
    try {
        for (const core::BuildProblem& p : core::checkNetwork(project.network, {project.simulation.dt, {}}))
            problems.push_back({p.objectId, true, QString::fromStdString(p.error.field()),
                                QString::fromStdString(p.error.message())});
    } catch (const core::Error& e) {  // settings the check cannot start from (dt)
        problems.push_back({{}, true, QString::fromStdString(e.field()), QString::fromStdString(e.message())});
    }
    std::set<std::string> used;
    int probes = 0;
    collectUses(project.network, used, probes);
    unusedNodes(project.network, used, problems);
    if (probes == 0) problems.push_back({{}, false, {}, tr("nothing is probed: a run records no data")});
    return problems;
}

QString runBlocker(const std::vector<EditorProblem>& problems) {
    for (const EditorProblem& p : problems)
        if (p.blocksRun) return p.text;
    return {};
}

}  // namespace ui
