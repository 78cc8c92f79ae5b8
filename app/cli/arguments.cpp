#include "arguments.h"

Arguments::Arguments(const std::vector<std::string>& args, const std::set<std::string>& valueOptions,
                     const std::set<std::string>& flags) {
    for (size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        if (a.rfind("--", 0) != 0 || a == "--") {
            positionals_.push_back(a);
        } else if (valueOptions.count(a)) {
            if (i + 1 >= args.size()) throw core::Error("needs a value", {}, {}, a);
            values_[a] = args[++i];
        } else if (flags.count(a)) {
            flags_.insert(a);
        } else {
            throw core::Error("unknown option '" + a + "'");
        }
    }
}

std::optional<std::string> Arguments::value(const std::string& option) const {
    auto it = values_.find(option);
    return it == values_.end() ? std::nullopt : std::optional<std::string>(it->second);
}

double Arguments::positiveNumber(const std::string& option, double fallback) const {
    const auto text = value(option);
    if (!text) return fallback;
    try {
        size_t used = 0;
        const double v = std::stod(*text, &used);
        if (used == text->size() && v > 0.0) return v;
    } catch (const std::exception&) {
    }
    throw core::Error("expected a positive number, got '" + *text + "'", {}, {}, option);
}

long Arguments::positiveInteger(const std::string& option, long fallback) const {
    const auto text = value(option);
    if (!text) return fallback;
    try {
        size_t used = 0;
        const long v = std::stol(*text, &used);
        if (used == text->size() && v > 0) return v;
    } catch (const std::exception&) {
    }
    throw core::Error("expected a positive whole number, got '" + *text + "'", {}, {}, option);
}

std::optional<unsigned long long> Arguments::seed(const std::string& option) const {
    const auto text = value(option);
    if (!text) return std::nullopt;
    try {
        size_t used = 0;
        const unsigned long long v = std::stoull(*text, &used);
        if (used == text->size() && text->front() != '-') return v;
    } catch (const std::exception&) {
    }
    throw core::Error("expected a whole number >= 0, got '" + *text + "'", {}, {}, option);
}
