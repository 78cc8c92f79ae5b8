#pragma once
#include <string>

namespace core {

// Writes `bytes` to `path` so that a crash leaves either the old file or the
// new one: a temporary file in the same folder, flushed to disk, renamed over
// the target. Throws core::Error naming the path.
void writeFileAtomically(const std::string& path, const std::string& bytes);

// The whole file as bytes. Throws core::Error naming the path.
std::string readFile(const std::string& path);

}  // namespace core
