#pragma once
#include <string>
#include <vector>

namespace core {

// Where the bundled example projects are: $NEUROLOOM_EXAMPLES_DIR if set,
// else <prefix>/share/neuroloom/examples next to an installed executable
// (executablePath is argv[0]; without a folder, the running program),
// else the source tree's resources/examples (a developer build).
std::string examplesDirectory(const std::string& executablePath);

// The example project files in a folder, sorted by file name.
std::vector<std::string> exampleFiles(const std::string& directory);

}  // namespace core
