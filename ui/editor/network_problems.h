#pragma once
// What is wrong with the network being edited, for the canvas marks, the
// problems list and the run button: the builder's own checks (errors that
// stop a run) plus editor warnings (parts that do nothing).
#include "io/project.h"

#include <QString>

#include <string>
#include <vector>

namespace ui {

struct EditorProblem {
    std::string objectId;  // empty: the network as a whole
    bool blocksRun = true;
    QString field;
    QString text;  // the reason, for a person
};

std::vector<EditorProblem> findProblems(const core::Project& project);

// Why a run cannot start (the first blocking problem), or empty.
QString runBlocker(const std::vector<EditorProblem>& problems);

}  // namespace ui
