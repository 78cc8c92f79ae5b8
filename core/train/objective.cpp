#include "train/objective.h"

namespace core {

std::string objectiveName(const Objective& objective) {
    static const char* names[] = {"mse", "mae", "huber", "softmax_cross_entropy", "regularization", "expression",
                                  "none (given gradient)"};
    if (auto custom = std::get_if<std::shared_ptr<const CustomObjective>>(&objective)) return (*custom)->name();
    return names[objective.index()];
}

bool needsTargets(const Objective& objective) {
    if (auto custom = std::get_if<std::shared_ptr<const CustomObjective>>(&objective)) return (*custom)->needsTargets();
    return !std::holds_alternative<OutputRegularization>(objective);
}

double evaluate(const Objective& objective, const Tensors& outputs, const Tensors& targets,
                const MutableTensors& gradients) {
    return std::visit(
        [&](const auto& o) -> double {
            using O = std::decay_t<decltype(o)>;
            if constexpr (std::is_same_v<O, std::shared_ptr<const CustomObjective>>)
                return o->evaluate(outputs, targets, gradients);
            else
                return evaluate(o, outputs, targets, gradients);
        },
        objective);
}

}  // namespace core
