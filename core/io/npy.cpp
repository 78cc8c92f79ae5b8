#include "io/npy.h"

#include "io/atomic_file.h"

#include "common/error.h"

#include <zip.h>


#include <bit>
#include <cctype>
#include <cstdint>
#include <cstdlib>
#include <limits>
#include <map>
#include <memory>
#include <string_view>
#include <system_error>

namespace core {

namespace {

// The format is specified in numpy/lib/format.py (NEP 1).
constexpr std::string_view kMagic = "\x93NUMPY";
// numpy pads the header so the data starts on a 64-byte boundary, ready for memory mapping.
constexpr std::size_t kAlignment = 64;

std::string describe(const std::vector<std::size_t>& shape) {
    std::string text = "(";
    for (std::size_t k = 0; k < shape.size(); ++k) text += (k ? ", " : "") + std::to_string(shape[k]);
    return text + (shape.size() == 1 ? ",)" : ")");  // Python's spelling of a 1-tuple
}

std::uint64_t readUnsigned(const char* p, std::size_t n, bool bigEndian) {
    std::uint64_t value = 0;
    for (std::size_t k = 0; k < n; ++k) {
        const auto byte = static_cast<unsigned char>(p[bigEndian ? k : n - 1 - k]);
        value = value << 8 | byte;
    }
    return value;
}

void appendLittleEndian(std::string& out, std::uint64_t value, std::size_t n) {
    for (std::size_t k = 0; k < n; ++k) out += static_cast<char>(value >> (8 * k) & 0xFF);
}

// ---- The header: a Python dict literal, written by repr() -----------------

struct Literal {
    enum class Kind { String, Bool, None, Int, Tuple, List };
    explicit Literal(Kind k) : kind(k) {}
    Kind kind;
    std::string text;            // String
    bool flag = false;           // Bool
    long long number = 0;        // Int
    std::vector<Literal> items;  // Tuple, List
};

class HeaderParser {
public:
    HeaderParser(std::string_view text, const std::string& where) : text_(text), where_(where) {}

    std::map<std::string, Literal> dict() {
        expect('{');
        std::map<std::string, Literal> entries;
        while (!accept('}')) {
            const Literal key = value();
            if (key.kind != Literal::Kind::String) fail("dictionary keys must be strings");
            expect(':');
            entries.insert_or_assign(key.text, value());
            if (!accept(',')) {
                expect('}');
                break;
            }
        }
        skipSpace();
        if (pos_ != text_.size()) fail("unexpected text after the dictionary");
        return entries;
    }

private:
    Literal value() {
        skipSpace();
        if (pos_ == text_.size()) fail("the dictionary is cut short");
        const char c = text_[pos_];
        if (c == '\'' || c == '"') return string();
        if (c == '(') return sequence(')', Literal::Kind::Tuple);
        if (c == '[') return sequence(']', Literal::Kind::List);
        if (c == '-' || std::isdigit(static_cast<unsigned char>(c))) return integer();
        return word();
    }

    Literal string() {
        const char quote = text_[pos_++];
        Literal s(Literal::Kind::String);
        while (pos_ < text_.size() && text_[pos_] != quote) {
            if (text_[pos_] == '\\') ++pos_;  // an escaped character stands for itself
            if (pos_ < text_.size()) s.text += text_[pos_++];
        }
        if (pos_ == text_.size()) fail("unterminated string");
        ++pos_;
        return s;
    }

    Literal sequence(char close, Literal::Kind kind) {
        // numpy writes one level (the shape); a deep nest would overflow the stack.
        if (++depth_ > kMaxDepth) fail("tuples or lists nested more than " + std::to_string(kMaxDepth) + " deep");
        ++pos_;
        Literal seq(kind);
        while (!accept(close)) {
            seq.items.push_back(value());
            if (!accept(',')) {
                expect(close);
                break;
            }
        }
        --depth_;
        return seq;
    }

    Literal integer() {
        Literal n(Literal::Kind::Int);
        const bool negative = text_[pos_] == '-';
        if (negative) ++pos_;
        const std::size_t start = pos_;
        for (; pos_ < text_.size() && std::isdigit(static_cast<unsigned char>(text_[pos_])); ++pos_) {
            if (n.number > (std::numeric_limits<long long>::max() - 9) / 10) fail("number too large");
            n.number = n.number * 10 + (text_[pos_] - '0');
        }
        if (pos_ == start) fail("expected digits after '-'");
        if (pos_ < text_.size() && text_[pos_] == 'L') ++pos_;  // Python 2 wrote long integers as 3L
        if (negative) n.number = -n.number;
        return n;
    }

    Literal word() {
        const std::size_t start = pos_;
        while (pos_ < text_.size() && std::isalpha(static_cast<unsigned char>(text_[pos_]))) ++pos_;
        const std::string_view w = text_.substr(start, pos_ - start);
        if (w == "None") return Literal(Literal::Kind::None);
        if (w != "True" && w != "False") fail("unexpected character '" + std::string(1, text_[start]) + "'");
        Literal b(Literal::Kind::Bool);
        b.flag = w == "True";
        return b;
    }

    void skipSpace() {
        while (pos_ < text_.size() && std::isspace(static_cast<unsigned char>(text_[pos_]))) ++pos_;
    }
    bool accept(char c) {
        skipSpace();
        if (pos_ < text_.size() && text_[pos_] == c) return ++pos_, true;
        return false;
    }
    void expect(char c) {
        if (!accept(c)) fail(std::string("expected '") + c + "'");
    }
    [[noreturn]] void fail(const std::string& what) const {
        throw Error("malformed header at character " + std::to_string(pos_) + ": " + what, where_);
    }

    static constexpr int kMaxDepth = 32;
    std::string_view text_;
    const std::string& where_;
    std::size_t pos_ = 0;
    int depth_ = 0;
};

// ---- What the header says -------------------------------------------------

struct Dtype {
    char kind;  // 'f', 'i', 'u' or 'b'
    std::size_t size;
    bool bigEndian;
};

struct Header {
    Dtype dtype;
    bool fortranOrder;
    std::vector<std::size_t> shape;
    std::size_t dataOffset;
};

Dtype toDtype(const Literal& descr, const std::string& where) {
    if (descr.kind != Literal::Kind::String) throw Error("structured dtypes are not supported", where);
    const std::string& d = descr.text;
    static const std::map<std::string, Dtype> supported = {
        {"f4", {'f', 4, false}}, {"f8", {'f', 8, false}}, {"i1", {'i', 1, false}}, {"i2", {'i', 2, false}},
        {"i4", {'i', 4, false}}, {"i8", {'i', 8, false}}, {"u1", {'u', 1, false}}, {"u2", {'u', 2, false}},
        {"u4", {'u', 4, false}}, {"u8", {'u', 8, false}}, {"b1", {'b', 1, false}}};
    const auto found = d.size() == 3 && std::string_view("<>|=").find(d[0]) != std::string_view::npos
                           ? supported.find(d.substr(1))
                           : supported.end();
    if (found == supported.end())
        throw Error("dtype '" + d + "' is not supported (use float64, float32, integer or bool)", where);
    Dtype t = found->second;
    t.bigEndian = d[0] == '>' || (d[0] == '=' && std::endian::native == std::endian::big);
    return t;
}

std::vector<std::size_t> toShape(const Literal& shape, const std::string& where) {
    if (shape.kind != Literal::Kind::Tuple) throw Error("'shape' must be a tuple of integers", where);
    std::vector<std::size_t> dims;
    for (const Literal& d : shape.items) {
        if (d.kind != Literal::Kind::Int || d.number < 0)
            throw Error("'shape' must be a tuple of non-negative integers", where);
        dims.push_back(static_cast<std::size_t>(d.number));
    }
    return dims;
}

Header parseHeader(const std::string& bytes, const std::string& where) {
    if (bytes.compare(0, kMagic.size(), kMagic) != 0)
        throw Error("not an .npy file (it does not start with numpy's magic string)", where);
    const std::size_t lengthAt = kMagic.size() + 2;  // after the magic string and the version
    if (bytes.size() < lengthAt) throw Error("truncated header", where);
    const int major = static_cast<unsigned char>(bytes[6]), minor = static_cast<unsigned char>(bytes[7]);
    if (major < 1 || major > 3 || minor != 0)
        throw Error("format version " + std::to_string(major) + "." + std::to_string(minor) +
                        " is not supported (1.0, 2.0 and 3.0 are)", where);
    const std::size_t lengthBytes = major == 1 ? 2 : 4;  // 2.0 made room for headers over 64 KiB
    const std::size_t start = lengthAt + lengthBytes;
    if (bytes.size() < start) throw Error("truncated header", where);
    const std::size_t length = readUnsigned(bytes.data() + lengthAt, lengthBytes, false);
    if (bytes.size() - start < length) throw Error("truncated header", where);
    auto dict = HeaderParser(std::string_view(bytes).substr(start, length), where).dict();
    for (const char* key : {"descr", "fortran_order", "shape"})
        if (!dict.contains(key)) throw Error(std::string("the header has no '") + key + "'", where);
    if (dict.size() != 3) throw Error("the header has keys besides 'descr', 'fortran_order' and 'shape'", where);
    const Literal& fortranOrder = dict.at("fortran_order");
    if (fortranOrder.kind != Literal::Kind::Bool) throw Error("'fortran_order' must be True or False", where);
    return {toDtype(dict.at("descr"), where), fortranOrder.flag, toShape(dict.at("shape"), where), start + length};
}

// ---- The data -------------------------------------------------------------

double toDouble(const char* p, const Dtype& t) {
    const std::uint64_t bits = readUnsigned(p, t.size, t.bigEndian);
    const int unused = 64 - 8 * static_cast<int>(t.size);
    switch (t.kind) {
    case 'f':
        return t.size == 4 ? std::bit_cast<float>(static_cast<std::uint32_t>(bits)) : std::bit_cast<double>(bits);
    case 'i': return static_cast<double>(static_cast<std::int64_t>(bits << unused) >> unused);  // sign-extend
    case 'b': return bits != 0 ? 1.0 : 0.0;
    default: return static_cast<double>(bits);
    }
}

// Fortran order runs the first index fastest: walk the values in that order,
// keeping the C-order offset of the current index up to date.
std::vector<double> fortranToC(const std::vector<double>& fortran, const std::vector<std::size_t>& shape) {
    std::vector<std::size_t> stride(shape.size(), 1), index(shape.size(), 0);
    for (std::size_t k = shape.size(); k-- > 1;) stride[k - 1] = stride[k] * shape[k];
    std::vector<double> c(fortran.size());
    std::size_t offset = 0;
    for (const double v : fortran) {
        c[offset] = v;
        for (std::size_t k = 0; k < shape.size(); ++k) {
            if (++index[k] < shape[k]) {
                offset += stride[k];
                break;
            }
            offset -= (shape[k] - 1) * stride[k];
            index[k] = 0;
        }
    }
    return c;
}

std::size_t elementCount(const std::vector<std::size_t>& shape, const std::string& where) {
    std::size_t n = 1;
    for (const std::size_t d : shape) {
        if (d != 0 && n > std::numeric_limits<std::size_t>::max() / d)
            throw Error("shape " + describe(shape) + " is too large", where);
        n *= d;
    }
    return n;
}

// ---- Files ----------------------------------------------------------------

// Errors raised while encoding name no file: add the path they are for.
template <class Encode>
void encodeAndWrite(const std::string& path, Encode encode) {
    std::string bytes;
    try {
        bytes = encode();
    } catch (const Error& e) {
        throw e.inFile(path);
    }
    writeFileAtomically(path, bytes);
}

// ---- Zip archives, through libzip -----------------------------------------

struct ZipDiscard {
    void operator()(zip_t* z) const { zip_discard(z); }
};
struct ZipFileClose {
    void operator()(zip_file_t* f) const { zip_fclose(f); }
};
struct ZipSourceFree {
    void operator()(zip_source_t* s) const { zip_source_free(s); }
};
using ZipArchive = std::unique_ptr<zip_t, ZipDiscard>;
using ZipFile = std::unique_ptr<zip_file_t, ZipFileClose>;
using ZipSource = std::unique_ptr<zip_source_t, ZipSourceFree>;

std::string zipErrorText(zip_error_t* error) {
    std::string text = zip_error_strerror(error);
    zip_error_fini(error);
    return text;
}

std::pair<std::string, NpyArray> readMember(zip_t* archive, zip_uint64_t index, const std::string& path) {
    zip_stat_t st;
    if (zip_stat_index(archive, index, 0, &st) != 0) throw Error(zip_strerror(archive), path);
    if (!(st.valid & ZIP_STAT_NAME) || !(st.valid & ZIP_STAT_SIZE))
        throw Error("member " + std::to_string(index + 1) + " has no name or size", path);
    const std::string name = st.name;
    const std::string where = path + ", member '" + name + "'";
    if (!name.ends_with(".npy")) throw Error("not an .npy array (an .npz archive holds only .npy members)", where);
    const ZipFile file(zip_fopen_index(archive, index, 0));
    if (!file) throw Error(std::string("cannot open the member: ") + zip_strerror(archive), where);
    // The size in the archive's directory is only a claim: memory grows with
    // the bytes actually there, never with a number read from the file.
    std::string bytes;
    std::vector<char> chunk(64 * 1024);
    zip_int64_t n = 0;
    while ((n = zip_fread(file.get(), chunk.data(), chunk.size())) > 0) bytes.append(chunk.data(), static_cast<std::size_t>(n));
    if (n < 0) throw Error(std::string("cannot read the member: ") + zip_file_strerror(file.get()), where);
    if (bytes.size() != st.size)
        throw Error("the member holds " + std::to_string(bytes.size()) + " bytes but the archive says " +
                        std::to_string(st.size),
                    where);
    return {name.substr(0, name.size() - 4), decodeNpy(bytes, where)};
}

std::string sourceBytes(zip_source_t* source) {
    zip_stat_t st;
    if (zip_source_stat(source, &st) == 0 && zip_source_open(source) == 0) {
        std::string out(st.size, '\0');
        const zip_int64_t n = zip_source_read(source, out.data(), out.size());
        zip_source_close(source);
        if (n == static_cast<zip_int64_t>(out.size())) return out;
    }
    throw Error(std::string("cannot read the archive back from memory: ") +
                zip_error_strerror(zip_source_error(source)));
}

// Adds every member to an in-memory archive and returns its bytes, so the
// file itself is written by writeFileAtomically like any other.
std::string zipBytes(const std::vector<std::pair<std::string, std::string>>& members, bool compress) {
    // libzip before 1.10 writes nothing at all for an archive without members;
    // numpy writes, and wants to read, a bare end-of-central-directory record.
    if (members.empty()) return std::string("PK\x05\x06", 4) + std::string(18, '\0');
    zip_error_t error;
    zip_error_init(&error);
    const ZipSource buffer(zip_source_buffer_create(nullptr, 0, 0, &error));
    if (!buffer) throw Error("cannot create an archive in memory: " + zipErrorText(&error));
    ZipArchive archive(zip_open_from_source(buffer.get(), ZIP_TRUNCATE, &error));
    if (!archive) throw Error("cannot create an archive in memory: " + zipErrorText(&error));
    zip_source_keep(buffer.get());  // the archive took our reference; we read the bytes after it closes
    for (const auto& [name, bytes] : members) {
        zip_source_t* source = zip_source_buffer(archive.get(), bytes.data(), bytes.size(), 0);
        const zip_int64_t index = source ? zip_file_add(archive.get(), name.c_str(), source, ZIP_FL_ENC_UTF_8) : -1;
        if (index < 0) zip_source_free(source);  // still ours when the add failed
        const zip_int32_t method = compress ? ZIP_CM_DEFLATE : ZIP_CM_STORE;
        if (index < 0 || zip_set_file_compression(archive.get(), index, method, 0) != 0)
            throw Error("cannot add '" + name + "' to the archive: " + zip_strerror(archive.get()));
    }
    if (zip_close(archive.get()) != 0)
        throw Error(std::string("cannot finish the archive: ") + zip_strerror(archive.get()));
    archive.release();  // zip_close freed it
    return sourceBytes(buffer.get());
}

}  // namespace

std::size_t NpyArray::size() const {
    std::size_t n = 1;
    for (const std::size_t d : shape) n *= d;
    return n;
}

std::string encodeNpy(const NpyArray& a) {
    if (a.values.size() != a.size())
        throw Error("the array has " + std::to_string(a.values.size()) + " values but its shape " + describe(a.shape) +
                    " holds " + std::to_string(a.size()));
    const std::string dict = "{'descr': '<f8', 'fortran_order': False, 'shape': " + describe(a.shape) + ", }";
    // The header ends in '\n' and is padded with spaces to the alignment.
    const auto paddedLength = [&](std::size_t lengthBytes) {
        const std::size_t start = kMagic.size() + 2 + lengthBytes;
        return (start + dict.size() + 1 + kAlignment - 1) / kAlignment * kAlignment - start;
    };
    const std::size_t lengthBytes = paddedLength(2) <= 0xFFFF ? 2 : 4;
    const std::size_t length = paddedLength(lengthBytes);
    std::string out(kMagic);
    out += static_cast<char>(lengthBytes == 2 ? 1 : 2);
    out += '\0';
    appendLittleEndian(out, length, lengthBytes);
    out += dict;
    out.append(length - dict.size() - 1, ' ');
    out += '\n';
    out.reserve(out.size() + 8 * a.values.size());
    for (const double v : a.values) appendLittleEndian(out, std::bit_cast<std::uint64_t>(v), 8);
    return out;
}

NpyArray decodeNpy(const std::string& bytes, const std::string& where) {
    const Header h = parseHeader(bytes, where);
    const std::size_t count = elementCount(h.shape, where);
    const std::size_t available = bytes.size() - h.dataOffset;
    if (available % h.dtype.size != 0 || available / h.dtype.size != count)
        throw Error("the data holds " + std::to_string(available) + " bytes but shape " + describe(h.shape) +
                        " needs " + std::to_string(count) + " x " + std::to_string(h.dtype.size) + " bytes",
                    where);
    NpyArray a{h.shape, std::vector<double>(count)};
    const char* data = bytes.data() + h.dataOffset;
    for (std::size_t i = 0; i < count; ++i) a.values[i] = toDouble(data + i * h.dtype.size, h.dtype);
    if (h.fortranOrder) a.values = fortranToC(a.values, a.shape);
    return a;
}

NpyArray readNpy(const std::string& path) { return decodeNpy(readFile(path), path); }

void writeNpy(const std::string& path, const NpyArray& a) {
    encodeAndWrite(path, [&] { return encodeNpy(a); });
}

NpzArrays decodeNpz(const std::string& bytes, const std::string& where) {
    zip_error_t error;
    zip_error_init(&error);
    ZipSource source(zip_source_buffer_create(bytes.data(), bytes.size(), 0, &error));
    if (!source) throw Error("cannot read as a zip archive: " + zipErrorText(&error), where);
    zip_t* opened = zip_open_from_source(source.get(), ZIP_RDONLY, &error);
    if (!opened) throw Error("cannot open as a zip archive: " + zipErrorText(&error), where);
    source.release();  // the archive owns it now
    const ZipArchive archive(opened);
    NpzArrays arrays;
    const zip_int64_t count = zip_get_num_entries(archive.get(), 0);
    for (zip_int64_t i = 0; i < count; ++i)
        arrays.push_back(readMember(archive.get(), static_cast<zip_uint64_t>(i), where));
    return arrays;
}

NpzArrays readNpz(const std::string& path) { return decodeNpz(readFile(path), path); }

void writeNpz(const std::string& path, const NpzArrays& arrays, bool compress) {
    encodeAndWrite(path, [&] {
        std::vector<std::pair<std::string, std::string>> members;
        for (const auto& [key, array] : arrays) members.emplace_back(key + ".npy", encodeNpy(array));
        return zipBytes(members, compress);
    });
}

}  // namespace core
