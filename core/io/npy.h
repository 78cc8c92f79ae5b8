#pragma once
// numpy's file formats: .npy (one array) and .npz (a zip archive of .npy
// members, as np.savez and np.savez_compressed write it), so weights, probe
// data and datasets move between NeuroLoom and Python without conversion.
// Every failure throws core::Error naming the file (and the npz member).
#include <cstddef>
#include <string>
#include <utility>
#include <vector>

namespace core {

// A numeric array as numpy sees it: shape and values in C (row-major) order, as double.
struct NpyArray {
    std::vector<std::size_t> shape;
    std::vector<double> values;
    std::size_t size() const;  // product of shape (1 for shape {})
    bool operator==(const NpyArray&) const = default;
};

// .npy bytes: format 1.0 (2.0 if the header outgrows 65535 bytes), '<f8', C order.
std::string encodeNpy(const NpyArray& a);
// Reads format 1.0 to 3.0, float32/64, (u)int8..64 and bool in either byte
// order and either memory order; where names the file (and member) in errors.
NpyArray decodeNpy(const std::string& bytes, const std::string& where);
NpyArray readNpy(const std::string& path);
// Atomic: the target is replaced only once the whole file is safely on disk.
void writeNpy(const std::string& path, const NpyArray& a);

using NpzArrays = std::vector<std::pair<std::string, NpyArray>>;  // key without ".npy", in file order
// An archive's bytes as read from a file; where names it in errors.
NpzArrays decodeNpz(const std::string& bytes, const std::string& where);
NpzArrays readNpz(const std::string& path);
// Keys may contain '/', e.g. "A/encoders"; atomic like writeNpy.
void writeNpz(const std::string& path, const NpzArrays& arrays, bool compress = false);

}  // namespace core
