// libFuzzer target: fuzz::readNpz (fuzz_entries.h); run with fuzz/run.sh npz.
#include "fuzz_entries.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    fuzz::readNpz(std::string(reinterpret_cast<const char*>(data), size));
    return 0;
}
