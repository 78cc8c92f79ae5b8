#include "reference_cases.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>

namespace {
// A folder that cannot be read becomes a "case" of its own name, which then
// fails to load with a message naming it rather than aborting the test.
void addFolder(const std::string& folder, std::vector<std::string>& files) {
    std::vector<std::string> found;
    std::error_code ec;
    for (std::filesystem::directory_iterator it(folder, ec), end; !ec && it != end; it.increment(ec))
        if (it->path().extension() == ".json") found.push_back(it->path().string());
    if (ec || found.empty()) found.push_back(folder);
    std::sort(found.begin(), found.end());
    files.insert(files.end(), found.begin(), found.end());
}
}  // namespace

std::vector<std::string> referenceCaseFiles() {
    std::vector<std::string> files;
    addFolder(NEUROLOOM_REFERENCE_DIR, files);
    if (const char* extra = std::getenv("NEUROLOOM_PARITY_DIR"); extra && *extra) addFolder(extra, files);
    return files;
}

double relativeError(const double* a, const double* b, long n) {
    double worst = 0.0, scale = 0.0;
    for (long i = 0; i < n; ++i) {
        worst = std::max(worst, std::abs(a[i] - b[i]));
        scale = std::max(scale, std::abs(b[i]));
    }
    return worst / (scale > 0.0 ? scale : 1.0);
}
