#pragma once
// The objects of a network a training set-up can refer to, listed from the
// description (subnetworks included) so that the set-up editor needs no build.
#include "model/network.h"

#include <QString>

#include <string>
#include <vector>

namespace ui {

struct NamedObject {
    std::string id;
    QString title;  // "label (id)", or the id alone when there is no other label
    bool operator==(const NamedObject&) const = default;
};

struct TrainingObjects {
    std::vector<NamedObject> inputNodes;  // nodes without inputs: they take data
    std::vector<NamedObject> probes;      // they take targets
    std::vector<NamedObject> ensembles;   // encoders and (".neurons") biases are trained
    std::vector<NamedObject> connections;  // weights are trained
    bool operator==(const TrainingObjects&) const = default;
};

TrainingObjects trainingObjects(const core::Network& network);

QString objectTitle(const std::string& id, const std::string& label);

}  // namespace ui
