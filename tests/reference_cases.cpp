#include "reference_cases.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>

namespace {
void addFolder(const std::string& folder, std::vector<std::string>& files) {
    std::vector<std::string> found;
    for (const auto& entry : std::filesystem::directory_iterator(folder))
        if (entry.path().extension() == ".json") found.push_back(entry.path().string());
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
