// libFuzzer target: fuzz::loadProject (fuzz_entries.h); run with fuzz/run.sh project_loader.
#include "fuzz_entries.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    fuzz::loadProject(std::string(reinterpret_cast<const char*>(data), size));
    return 0;
}
