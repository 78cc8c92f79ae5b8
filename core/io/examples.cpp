#include "io/examples.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>

namespace core {

namespace fs = std::filesystem;

namespace {

// argv[0] names no folder when the command was found on PATH; Linux knows the file.
fs::path executableFile(const std::string& executablePath) {
    const fs::path given(executablePath);
    if (given.has_parent_path()) return given;
    std::error_code ec;
    const fs::path self = fs::read_symlink("/proc/self/exe", ec);
    return ec ? given : self;
}

}  // namespace

std::string examplesDirectory(const std::string& executablePath) {
    if (const char* env = std::getenv("NEUROLOOM_EXAMPLES_DIR"); env && *env) return env;
    std::error_code ec;
    const fs::path exe = fs::weakly_canonical(executableFile(executablePath), ec);
    const fs::path installed = exe.parent_path().parent_path() / "share" / "neuroloom" / "examples";
    if (!ec && fs::is_directory(installed, ec)) return installed.string();
    return NEUROLOOM_SOURCE_EXAMPLES_DIR;
}

std::vector<std::string> exampleFiles(const std::string& directory) {
    std::vector<std::string> files;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(directory, ec))
        if (entry.path().extension() == ".nlproj") files.push_back(entry.path().string());
    std::sort(files.begin(), files.end());
    return files;
}

}  // namespace core
