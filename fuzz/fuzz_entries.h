#pragma once
// What each fuzz target (fuzz/fuzz_<name>.cpp) does with one input, shared
// with tests/test_fuzz_regressions.cpp, which replays the kept inputs in the
// normal test build. Each hands the bytes to one of NeuroLoom's readers the way
// a file holding them would reach it. The reader refusing them with a
// core::Error is the expected failure and is returned; anything else escapes
// (another exception, a crash, a sanitizer report, a hang): that is a bug.
#include "common/error.h"

#include <optional>
#include <string>
#include <vector>

namespace fuzz {

// nullopt: the reader accepted the input.
using Outcome = std::optional<core::Error>;

// core::projectFromJson; an accepted project must also save and load back unchanged.
Outcome loadProject(const std::string& bytes);
// core::decodeNpy; an accepted array must also encode and decode back unchanged.
Outcome readNpy(const std::string& bytes);
Outcome readNpz(const std::string& bytes);  // core::decodeNpz
// core::readCsvSequence, which takes a path: the bytes go through a temporary file.
Outcome readCsv(const std::string& bytes);
// core::loadParameters into the x_squared_training example's built model, then
// core::loadState into a simulator of it (the bytes go through a temporary file).
Outcome loadParams(const std::string& bytes);

struct Target {
    std::string name;  // the executable fuzz_<name>, the folders fuzz/corpus/<name> and fuzz/regressions/<name>
    Outcome (*run)(const std::string& bytes);
};
const std::vector<Target>& targets();

}  // namespace fuzz
