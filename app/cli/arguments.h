#pragma once
// A small command-line parser: positionals and --name VALUE options, each
// option known in advance so a typo is an error, never ignored.
#include "common/error.h"

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

class Arguments {
public:
    Arguments(const std::vector<std::string>& args, const std::set<std::string>& valueOptions,
              const std::set<std::string>& flags = {});

    const std::vector<std::string>& positionals() const { return positionals_; }
    std::optional<std::string> value(const std::string& option) const;
    bool flag(const std::string& option) const { return flags_.count(option) > 0; }

    double positiveNumber(const std::string& option, double fallback) const;
    long positiveInteger(const std::string& option, long fallback) const;
    std::optional<unsigned long long> seed(const std::string& option) const;

private:
    std::vector<std::string> positionals_;
    std::map<std::string, std::string> values_;
    std::set<std::string> flags_;
};
