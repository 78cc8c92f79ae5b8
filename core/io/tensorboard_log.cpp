#include "io/tensorboard_log.h"

#include "common/error.h"
#include "io/atomic_file.h"

#include <algorithm>
#include <array>
#include <bit>
#include <chrono>
#include <filesystem>
#include <span>
#include <unistd.h>

namespace core {

namespace {

// ---- CRC-32C and TFRecord framing -------------------------------------------------

constexpr uint32_t castagnoliReversed = 0x82F63B78u;  // the polynomial 0x1EDC6F41, bit-reversed

constexpr std::array<uint32_t, 256> makeCrc32cTable() {
    std::array<uint32_t, 256> table{};
    for (uint32_t byte = 0; byte < 256; ++byte) {
        uint32_t crc = byte;
        for (int bit = 0; bit < 8; ++bit) crc = (crc >> 1) ^ ((crc & 1u) ? castagnoliReversed : 0u);
        table[byte] = crc;
    }
    return table;
}

constexpr std::array<uint32_t, 256> crc32cTable = makeCrc32cTable();

// TFRecord stores each CRC rotated and offset (TensorFlow's crc32c::Mask),
// because a CRC computed over bytes that themselves contain CRCs is weak.
uint32_t maskedCrc32c(std::string_view bytes) {
    const uint32_t crc = crc32c(bytes);
    return ((crc >> 15) | (crc << 17)) + 0xa282ead8u;
}

void appendLittleEndian(std::string& out, uint64_t value, int bytes) {
    for (int i = 0; i < bytes; ++i) out += static_cast<char>((value >> (8 * i)) & 0xFFu);
}

uint64_t readLittleEndian(std::string_view bytes) {
    uint64_t value = 0;
    for (size_t i = 0; i < bytes.size(); ++i) value |= static_cast<uint64_t>(static_cast<unsigned char>(bytes[i])) << (8 * i);
    return value;
}

// A record: uint64 length, masked CRC of those 8 bytes, the data, masked CRC of the data.
constexpr size_t recordHeaderSize = 8 + 4, recordFooterSize = 4;

std::string record(std::string_view data) {
    std::string length;
    appendLittleEndian(length, data.size(), 8);
    std::string out = length;
    appendLittleEndian(out, maskedCrc32c(length), 4);
    out += data;
    appendLittleEndian(out, maskedCrc32c(data), 4);
    return out;
}

struct Record {
    size_t offset;  // of its header in the file, for error messages
    std::string_view data;
};

// The records of a file, each checked against both of its CRCs.
std::vector<Record> splitRecords(std::string_view bytes, const std::string& path) {
    std::vector<Record> records;
    for (size_t pos = 0; pos < bytes.size();) {
        const std::string where = "record " + std::to_string(records.size() + 1) + " at byte " + std::to_string(pos);
        if (bytes.size() - pos < recordHeaderSize) throw Error(where + ": the file ends inside the record header", path);
        const std::string_view length = bytes.substr(pos, 8);
        if (maskedCrc32c(length) != readLittleEndian(bytes.substr(pos + 8, 4)))
            throw Error(where + ": the checksum of the record length does not match (the file is corrupt)", path);
        const uint64_t size = readLittleEndian(length);
        const size_t rest = bytes.size() - pos - recordHeaderSize;
        if (rest < recordFooterSize || size > rest - recordFooterSize)
            throw Error(where + ": the file ends inside the record (it is truncated)", path);
        const std::string_view data = bytes.substr(pos + recordHeaderSize, size);
        if (maskedCrc32c(data) != readLittleEndian(bytes.substr(pos + recordHeaderSize + size, 4)))
            throw Error(where + ": the checksum of the record data does not match (the file is corrupt)", path);
        records.push_back({pos, data});
        pos += recordHeaderSize + size + recordFooterSize;
    }
    return records;
}

// ---- Protocol buffer wire format --------------------------------------------------

enum WireType : int { varintType = 0, fixed64Type = 1, lengthDelimitedType = 2, fixed32Type = 5 };

// Field numbers of tensorboard/compat/proto/{event,summary,histogram}.proto.
namespace field {
constexpr int eventWallTime = 1, eventStep = 2, eventFileVersion = 3, eventSummary = 5;
constexpr int summaryValue = 1;
constexpr int valueTag = 1, valueSimpleValue = 2, valueHisto = 5;
constexpr int histoMin = 1, histoMax = 2, histoNum = 3, histoSum = 4, histoSumSquares = 5, histoBucketLimit = 6,
              histoBucket = 7;
}  // namespace field

constexpr std::string_view fileVersion = "brain.Event:2";

class ProtoWriter {
public:
    void varintField(int number, uint64_t value) {
        key(number, varintType);
        varint(value);
    }
    void doubleField(int number, double value) {
        key(number, fixed64Type);
        appendLittleEndian(out_, std::bit_cast<uint64_t>(value), 8);
    }
    void floatField(int number, float value) {
        key(number, fixed32Type);
        appendLittleEndian(out_, std::bit_cast<uint32_t>(value), 4);
    }
    void bytesField(int number, std::string_view bytes) {
        key(number, lengthDelimitedType);
        varint(bytes.size());
        out_ += bytes;
    }
    // A `repeated double [packed = true]`: one length-delimited run of fixed64s.
    void packedDoublesField(int number, std::span<const double> values) {
        std::string packed;
        for (const double v : values) appendLittleEndian(packed, std::bit_cast<uint64_t>(v), 8);
        bytesField(number, packed);
    }
    const std::string& bytes() const { return out_; }

private:
    void key(int number, WireType type) { varint(static_cast<uint64_t>(number) << 3 | type); }
    void varint(uint64_t value) {
        for (; value >= 0x80; value >>= 7) out_ += static_cast<char>((value & 0x7Fu) | 0x80u);
        out_ += static_cast<char>(value);
    }
    std::string out_;
};

class ProtoReader {
public:
    explicit ProtoReader(std::string_view bytes) : bytes_(bytes) {}
    bool atEnd() const { return pos_ == bytes_.size(); }
    // The next field's number and wire type.
    std::pair<uint64_t, int> key() {
        const uint64_t k = varint();
        return {k >> 3, static_cast<int>(k & 7u)};
    }
    uint64_t varint() {
        uint64_t value = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            const auto byte = static_cast<unsigned char>(take(1)[0]);
            value |= static_cast<uint64_t>(byte & 0x7Fu) << shift;
            if (!(byte & 0x80u)) return value;
        }
        throw Error("malformed event: a varint is longer than 10 bytes");
    }
    double fixedDouble() { return std::bit_cast<double>(readLittleEndian(take(8))); }
    float fixedFloat() { return std::bit_cast<float>(static_cast<uint32_t>(readLittleEndian(take(4)))); }
    std::string_view lengthDelimited() { return take(varint()); }
    void skip(int type) {
        switch (type) {
            case varintType: varint(); break;
            case fixed64Type: take(8); break;
            case lengthDelimitedType: lengthDelimited(); break;
            case fixed32Type: take(4); break;
            default: throw Error("malformed event: wire type " + std::to_string(type));  // groups: unused by TensorBoard
        }
    }

private:
    std::string_view take(uint64_t n) {
        if (n > bytes_.size() - pos_) throw Error("malformed event: a message ends inside a field");
        const std::string_view out = bytes_.substr(pos_, n);
        pos_ += n;
        return out;
    }
    std::string_view bytes_;
    size_t pos_ = 0;
};

// ---- Writing ----------------------------------------------------------------------

std::string fileVersionEvent(double wallTime) {
    ProtoWriter event;
    event.doubleField(field::eventWallTime, wallTime);
    event.bytesField(field::eventFileVersion, fileVersion);
    return event.bytes();
}

// An Event whose Summary holds the one Summary.Value given (serialized).
std::string summaryEvent(double wallTime, long step, const std::string& value) {
    ProtoWriter summary;
    summary.bytesField(field::summaryValue, value);
    ProtoWriter event;
    event.doubleField(field::eventWallTime, wallTime);
    event.varintField(field::eventStep, static_cast<uint64_t>(step));  // int64: negatives as two's complement
    event.bytesField(field::eventSummary, summary.bytes());
    return event.bytes();
}

std::string scalarValue(const std::string& tag, double value) {
    ProtoWriter v;
    v.bytesField(field::valueTag, tag);
    v.floatField(field::valueSimpleValue, static_cast<float>(value));
    return v.bytes();
}

// TensorBoard reads a HistogramProto as buckets from min to bucket_limit[0],
// then bucket_limit[i - 1] to bucket_limit[i], the last one ending at max; so
// min and max are the outer edges and bucket_limit the right edges.
std::string histogramProto(const DistributionSample& sample) {
    const std::span<const double> edges(sample.edges);
    double num = 0, sum = 0, sumSquares = 0;
    for (size_t b = 0; b < sample.counts.size(); ++b) {
        // Only the histogram is kept, not the values: sum and sum_squares are
        // estimated as if every value sat at its bin's centre.
        const double centre = (edges[b] + edges[b + 1]) / 2, count = sample.counts[b];
        num += count;
        sum += count * centre;
        sumSquares += count * centre * centre;
    }
    ProtoWriter h;
    h.doubleField(field::histoMin, edges.empty() ? 0.0 : edges.front());
    h.doubleField(field::histoMax, edges.empty() ? 0.0 : edges.back());
    h.doubleField(field::histoNum, num);
    h.doubleField(field::histoSum, sum);
    h.doubleField(field::histoSumSquares, sumSquares);
    h.packedDoublesField(field::histoBucketLimit, edges.empty() ? edges : edges.subspan(1));
    h.packedDoublesField(field::histoBucket, sample.counts);
    return h.bytes();
}

std::string histogramValue(const std::string& tag, const DistributionSample& sample, const std::string& where) {
    // An empty parameter array gives a sample with neither edges nor counts.
    const bool empty = sample.edges.empty() && sample.counts.empty();
    if (!empty && sample.edges.size() != sample.counts.size() + 1)
        throw Error("the distribution sample at step " + std::to_string(sample.step) + " has " +
                        std::to_string(sample.edges.size()) + " bin edges for " + std::to_string(sample.counts.size()) +
                        " counts; expected one edge more than counts",
                    where, tag);
    ProtoWriter v;
    v.bytesField(field::valueTag, tag);
    v.bytesField(field::valueHisto, histogramProto(sample));
    return v.bytes();
}

std::string hostName() {
    std::array<char, 256> name{};
    if (gethostname(name.data(), name.size() - 1) != 0 || name[0] == '\0') return "localhost";
    return name.data();
}

// The label names the run's folder inside DIR (nested runs like "a/b" are
// fine); an absolute path or ".." would put it elsewhere.
void checkLabel(const std::string& label, const std::string& directory) {
    const std::filesystem::path run(label);
    if (run.is_absolute() || std::ranges::find(run, "..") != run.end())
        throw Error("the run label '" + label + "' leads out of the log folder", directory);
}

void createFolder(const std::filesystem::path& folder) {
    std::error_code error;
    std::filesystem::create_directories(folder, error);
    if (error) throw Error("cannot create the folder: " + error.message(), folder.string());
}

// The run's own folder in DIR: the first of label, label_1, label_2, ... that
// does not exist yet (NengoDL's suffixes for repeated train calls), so that
// TensorBoard never merges two runs into one. Creating the folder claims it:
// a writer that got there first makes create_directory return false.
std::filesystem::path claimRunFolder(const std::filesystem::path& directory, const std::string& label) {
    createFolder((directory / label).parent_path());  // a nested label's parents, and DIR itself
    for (int k = 0;; ++k) {
        const std::filesystem::path folder = directory / (k == 0 ? label : label + "_" + std::to_string(k));
        std::error_code error;
        if (std::filesystem::create_directory(folder, error)) return folder;
        if (error && !std::filesystem::exists(folder))
            throw Error("cannot create the folder: " + error.message(), folder.string());
    }
}

// ---- Reading ----------------------------------------------------------------------

struct DecodedEvent {
    double wallTime = 0;
    long step = 0;
    std::string fileVersion;
    // Serialized Summary messages; a field repeated on the wire merges, so all count.
    std::vector<std::string_view> summaries;
};

DecodedEvent decodeEvent(std::string_view bytes) {
    DecodedEvent event;
    ProtoReader r(bytes);
    while (!r.atEnd()) {
        const auto [number, type] = r.key();
        if (number == field::eventWallTime && type == fixed64Type)
            event.wallTime = r.fixedDouble();
        else if (number == field::eventStep && type == varintType)
            event.step = static_cast<long>(static_cast<int64_t>(r.varint()));
        else if (number == field::eventFileVersion && type == lengthDelimitedType)
            event.fileVersion = r.lengthDelimited();
        else if (number == field::eventSummary && type == lengthDelimitedType)
            event.summaries.push_back(r.lengthDelimited());
        else
            r.skip(type);
    }
    return event;
}

// A repeated double, packed (one length-delimited run) or not (one fixed64).
void appendDoubles(ProtoReader& r, int type, std::vector<double>& out) {
    if (type == fixed64Type) {
        out.push_back(r.fixedDouble());
        return;
    }
    ProtoReader packed(r.lengthDelimited());
    while (!packed.atEnd()) out.push_back(packed.fixedDouble());
}

void decodeHistogram(std::string_view bytes, TensorBoardEvent& event) {
    ProtoReader r(bytes);
    while (!r.atEnd()) {
        const auto [number, type] = r.key();
        const bool repeatedDouble = type == fixed64Type || type == lengthDelimitedType;
        if (number == field::histoMin && type == fixed64Type) event.min = r.fixedDouble();
        else if (number == field::histoMax && type == fixed64Type) event.max = r.fixedDouble();
        else if (number == field::histoNum && type == fixed64Type) event.num = r.fixedDouble();
        else if (number == field::histoSum && type == fixed64Type) event.sum = r.fixedDouble();
        else if (number == field::histoSumSquares && type == fixed64Type) event.sumSquares = r.fixedDouble();
        else if (number == field::histoBucketLimit && repeatedDouble) appendDoubles(r, type, event.bucketLimits);
        else if (number == field::histoBucket && repeatedDouble) appendDoubles(r, type, event.buckets);
        else r.skip(type);
    }
}

// Appends the Summary.Value if it is a scalar or a histogram.
void decodeValue(std::string_view bytes, const DecodedEvent& event, std::vector<TensorBoardEvent>& out) {
    TensorBoardEvent value;
    value.step = event.step;
    value.wallTime = event.wallTime;
    bool known = false;
    ProtoReader r(bytes);
    while (!r.atEnd()) {
        const auto [number, type] = r.key();
        if (number == field::valueTag && type == lengthDelimitedType) {
            value.tag = r.lengthDelimited();
        } else if (number == field::valueSimpleValue && type == fixed32Type) {
            value.value = r.fixedFloat();
            known = true;
        } else if (number == field::valueHisto && type == lengthDelimitedType) {
            decodeHistogram(r.lengthDelimited(), value);
            value.isHistogram = known = true;
        } else {
            r.skip(type);
        }
    }
    if (known) out.push_back(std::move(value));
}

void decodeSummary(std::string_view bytes, const DecodedEvent& event, std::vector<TensorBoardEvent>& out) {
    ProtoReader r(bytes);
    while (!r.atEnd()) {
        const auto [number, type] = r.key();
        if (number == field::summaryValue && type == lengthDelimitedType)
            decodeValue(r.lengthDelimited(), event, out);
        else
            r.skip(type);
    }
}

}  // namespace

uint32_t crc32c(std::string_view bytes) {
    uint32_t crc = 0xFFFFFFFFu;
    for (const char c : bytes) crc = crc32cTable[(crc ^ static_cast<unsigned char>(c)) & 0xFFu] ^ (crc >> 8);
    return ~crc;
}

std::string writeTensorBoardLog(const TrainingSummary& summary, const std::string& directory) {
    checkLabel(summary.label, directory);
    // The summary keeps no time stamps, so every event gets the time of writing.
    const auto now = std::chrono::system_clock::now().time_since_epoch();
    const double wallTime = std::chrono::duration<double>(now).count();
    const std::string name = "events.out.tfevents." +
                             std::to_string(std::chrono::duration_cast<std::chrono::seconds>(now).count()) + "." +
                             hostName() + ".neuroloom";

    // The events first: bad input leaves no folder behind.
    std::string bytes = record(fileVersionEvent(wallTime));
    for (size_t i = 0; i < summary.stepLoss.size(); ++i)
        bytes += record(summaryEvent(wallTime, static_cast<long>(i + 1), scalarValue("loss", summary.stepLoss[i])));
    for (size_t e = 0; e < summary.epochLoss.size(); ++e)
        bytes += record(summaryEvent(wallTime, static_cast<long>(e + 1), scalarValue("epoch_loss", summary.epochLoss[e])));
    for (const auto& [key, samples] : summary.distributions)
        for (const DistributionSample& sample : samples)
            bytes += record(summaryEvent(wallTime, sample.step, histogramValue(key, sample, directory)));

    const std::string path = (claimRunFolder(directory, summary.label) / name).string();
    writeFileAtomically(path, bytes);
    return path;
}

std::vector<TensorBoardEvent> readTensorBoardLog(const std::string& path) {
    const std::string bytes = readFile(path);
    const std::vector<Record> records = splitRecords(bytes, path);
    if (records.empty()) throw Error("is empty: not a TensorBoard event file", path);
    std::vector<TensorBoardEvent> events;
    for (size_t i = 0; i < records.size(); ++i) {
        try {
            const DecodedEvent event = decodeEvent(records[i].data);
            // Every writer starts with it; checking it tells event files from other TFRecord files.
            if (i == 0 && !event.fileVersion.starts_with("brain.Event:"))
                throw Error("the first event is not the file version (\"brain.Event:N\"): not a TensorBoard event file");
            for (const std::string_view summary : event.summaries) decodeSummary(summary, event, events);
        } catch (const Error& e) {
            throw Error("record " + std::to_string(i + 1) + " at byte " + std::to_string(records[i].offset) + ": " +
                            e.message(),
                        path);
        }
    }
    return events;
}

}  // namespace core
