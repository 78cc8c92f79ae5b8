#include "train/optimizer.h"

#include "common/error.h"

namespace core {

std::string optimizerName(const OptimizerSettings& settings) {
    static const char* names[] = {"SGD", "Momentum", "Adam", "RMSProp", "Adagrad"};
    return names[settings.index()];
}

void Optimizer::step(const std::vector<Matrix*>& parameters, const std::vector<const Matrix*>& gradients) {
    if (parameters.size() != gradients.size()) throw Error("optimizer: parameters and gradients differ in number");
    if (slots_.empty()) slots_.resize(parameters.size());
    if (slots_.size() != parameters.size()) throw Error("optimizer: the set of parameters changed between steps");
    ++step_;
    for (size_t i = 0; i < parameters.size(); ++i)
        std::visit([&](const auto& s) { applyUpdate(s, *parameters[i], *gradients[i], slots_[i], step_); }, settings_);
}

}  // namespace core
