// TensorBoard event files: round trips of a training summary, the bytes
// TensorBoard expects (CRC-32C, TFRecord framing, protobuf encoding, the file
// version event first), and corrupt or truncated files.
#include "common/error.h"
#include "io/tensorboard_log.h"

#include <QtTest>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

using namespace core;

namespace {

std::string slurp(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

void spit(const std::string& path, const std::string& bytes) { std::ofstream(path, std::ios::binary) << bytes; }

// The core::Error that f throws, or one saying that it threw none (naming no file).
template <class F>
Error errorFrom(F f) {
    try {
        f();
    } catch (const Error& e) {
        return e;
    }
    return Error("no core::Error was thrown");
}

uint64_t littleEndian(const std::string& bytes, size_t pos, int size) {
    uint64_t value = 0;
    for (int i = 0; i < size; ++i) value |= uint64_t(static_cast<unsigned char>(bytes[pos + i])) << (8 * i);
    return value;
}

// Written out here again, independently of the library, to check its framing.
uint32_t masked(const std::string& bytes) {
    const uint32_t crc = crc32c(bytes);
    return ((crc >> 15) | (crc << 17)) + 0xa282ead8u;
}

std::string littleEndianBytes(uint64_t value, int size) {
    std::string out;
    for (int i = 0; i < size; ++i) out += static_cast<char>(value >> (8 * i));
    return out;
}

// One TFRecord: length, masked CRC of the length, data, masked CRC of the data.
std::string frame(const std::string& data) {
    const std::string length = littleEndianBytes(data.size(), 8);
    return length + littleEndianBytes(masked(length), 4) + data + littleEndianBytes(masked(data), 4);
}

struct RawRecord {
    size_t offset;
    std::string data;
};

// Splits a file by its length fields, checking both CRCs of every record.
std::vector<RawRecord> rawRecords(const std::string& bytes) {
    std::vector<RawRecord> records;
    for (size_t pos = 0; pos < bytes.size();) {
        const uint64_t size = littleEndian(bytes, pos, 8);
        if (littleEndian(bytes, pos + 8, 4) != masked(bytes.substr(pos, 8))) return {};
        const std::string data = bytes.substr(pos + 12, size);
        if (littleEndian(bytes, pos + 12 + size, 4) != masked(data)) return {};
        records.push_back({pos, data});
        pos += 12 + size + 4;
    }
    return records;
}

double doubleAt(const std::string& bytes, size_t pos) {
    double d;
    const uint64_t raw = littleEndian(bytes, pos, 8);
    std::memcpy(&d, &raw, 8);
    return d;
}

// A sample of the given bins only: the writer uses no percentiles.
DistributionSample binned(long step, std::vector<double> edges, std::vector<double> counts) {
    DistributionSample s;
    s.step = step;
    s.edges = std::move(edges);
    s.counts = std::move(counts);
    return s;
}

// Losses exact in float32, so the round trip compares exactly.
TrainingSummary knownSummary() {
    TrainingSummary s;
    s.label = "train_1";
    s.stepLoss = {0.5, 0.25, 0.125, 1.5};
    s.epochLoss = {0.375, 0.8125};
    Matrix encoders(3, 4);
    encoders << 0.1, -0.7, 0.3, 0.9, -0.2, 0.4, 0.8, -1.1, 0.05, 0.6, -0.3, 0.2;
    s.distributions["A/encoders"] = {describeDistribution(encoders, 0, 5), describeDistribution(2 * encoders, 2, 5)};
    s.distributions["conn/weights"] = {binned(3, {-1.0, 0.0, 0.5, 2.0}, {3.0, 0.0, 5.0})};
    return s;
}

}  // namespace

class TensorBoardTest : public QObject {
    Q_OBJECT
private slots:
    void crc32cMatchesTheCheckValue() {
        // The standard check value of CRC-32C (iSCSI, RFC 3720), and the empty input.
        QCOMPARE(crc32c("123456789"), 0xE3069283u);
        QCOMPARE(crc32c(""), 0u);
    }

    void summaryRoundTrips() {
        QTemporaryDir dir;
        const TrainingSummary summary = knownSummary();
        const double before = std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
        const std::string logdir = dir.path().toStdString() + "/logs/run";  // folders made as needed
        const std::string path = writeTensorBoardLog(summary, logdir);

        const std::filesystem::path p(path);
        QCOMPARE(p.parent_path().string(), logdir + "/train_1");
        QVERIFY(p.filename().string().starts_with("events.out.tfevents."));
        QVERIFY(p.filename().string().ends_with(".neuroloom"));
        QCOMPARE(std::distance(std::filesystem::directory_iterator(p.parent_path()), {}), 1L);  // no temporary left

        const std::vector<TensorBoardEvent> events = readTensorBoardLog(path);
        QCOMPARE(events.size(), size_t(4 + 2 + 2 + 1));
        for (const TensorBoardEvent& e : events) QVERIFY(std::abs(e.wallTime - before) < 60);
        for (size_t i = 0; i < 4; ++i) {
            QCOMPARE(events[i].tag, std::string("loss"));
            QCOMPARE(events[i].step, long(i + 1));
            QVERIFY(!events[i].isHistogram);
            QCOMPARE(events[i].value, summary.stepLoss[i]);
        }
        for (size_t e = 0; e < 2; ++e) {
            QCOMPARE(events[4 + e].tag, std::string("epoch_loss"));
            QCOMPARE(events[4 + e].step, long(e + 1));
            QCOMPARE(events[4 + e].value, summary.epochLoss[e]);
        }
        for (size_t k = 0; k < 2; ++k) {
            const DistributionSample& sample = summary.distributions.at("A/encoders")[k];
            const TensorBoardEvent& h = events[6 + k];
            QCOMPARE(h.tag, std::string("A/encoders"));
            QVERIFY(h.isHistogram);
            QCOMPARE(h.step, sample.step);
            QCOMPARE(h.min, sample.edges.front());
            QCOMPARE(h.max, sample.edges.back());
            QCOMPARE(h.num, 12.0);
            QCOMPARE(h.bucketLimits, std::vector<double>(sample.edges.begin() + 1, sample.edges.end()));
            QCOMPARE(h.buckets, sample.counts);
        }
        // Sums from bin centres: 3 values at -0.5, 5 at 1.25.
        const TensorBoardEvent& w = events[8];
        QCOMPARE(w.tag, std::string("conn/weights"));
        QCOMPARE(w.step, 3L);
        QCOMPARE(w.min, -1.0);
        QCOMPARE(w.max, 2.0);
        QCOMPARE(w.num, 8.0);
        QCOMPARE(w.sum, 3 * -0.5 + 5 * 1.25);
        QCOMPARE(w.sumSquares, 3 * 0.25 + 5 * 1.5625);
        QCOMPARE(w.bucketLimits, (std::vector<double>{0.0, 0.5, 2.0}));
        QCOMPARE(w.buckets, (std::vector<double>{3.0, 0.0, 5.0}));
    }

    // Two runs of one label into one folder stay two runs for TensorBoard.
    void eachRunGetsItsOwnFolder() {
        QTemporaryDir dir;
        const std::string logdir = dir.path().toStdString();
        TrainingSummary first, second;
        first.label = second.label = "train";
        first.stepLoss = {4.0, 3.0};
        second.stepLoss = {2.0};
        std::filesystem::create_directory(logdir + "/train_1");  // taken, as by another writer
        const std::string a = writeTensorBoardLog(first, logdir), b = writeTensorBoardLog(second, logdir);
        QCOMPARE(std::filesystem::path(a).parent_path().string(), logdir + "/train");
        QCOMPARE(std::filesystem::path(b).parent_path().string(), logdir + "/train_2");
        QCOMPARE(readTensorBoardLog(a).size(), size_t(2));
        QCOMPARE(readTensorBoardLog(b).size(), size_t(1));
        QCOMPARE(readTensorBoardLog(b)[0].value, 2.0);
        second.label = "nested/run";
        QCOMPARE(std::filesystem::path(writeTensorBoardLog(second, logdir)).parent_path().string(), logdir + "/nested/run");
        QCOMPARE(std::filesystem::path(writeTensorBoardLog(second, logdir)).parent_path().string(), logdir + "/nested/run_1");
    }

    void firstRecordIsTheFileVersionEvent() {
        QTemporaryDir dir;
        const std::string bytes = slurp(writeTensorBoardLog(knownSummary(), dir.path().toStdString()));
        const std::vector<RawRecord> records = rawRecords(bytes);
        QCOMPARE(records.size(), size_t(1 + 9));
        // Event{wall_time (field 1, fixed64), file_version (field 3, length-delimited)}.
        const std::string& first = records[0].data;
        QCOMPARE(first.size(), size_t(1 + 8 + 2 + 13));
        QCOMPARE(first[0], '\x09');
        QCOMPARE(first.substr(9), std::string("\x1a\x0d") + "brain.Event:2");
        QVERIFY(doubleAt(first, 1) > 1.6e9);
    }

    void scalarEventHasTheExpectedBytes() {
        QTemporaryDir dir;
        const std::string bytes = slurp(writeTensorBoardLog(knownSummary(), dir.path().toStdString()));
        const std::string loss = rawRecords(bytes).at(1).data;
        // Event{wall_time, step = 1, summary = Summary{value = Value{tag = "loss", simple_value = 0.5f}}}
        const std::string value = std::string("\x0a\x04loss\x15", 7) + littleEndianBytes(0x3F000000u, 4);
        const std::string summary = std::string("\x0a") + char(value.size()) + value;
        const std::string expected = "\x09" + loss.substr(1, 8) + std::string("\x10\x01\x2a") + char(summary.size()) + summary;
        QCOMPARE(loss, expected);
    }

    void histogramEventHasTheExpectedBytes() {
        QTemporaryDir dir;
        const std::string bytes = slurp(writeTensorBoardLog(knownSummary(), dir.path().toStdString()));
        const std::string event = rawRecords(bytes).back().data;  // conn/weights at step 3
        auto fixed = [](int field, double v) {
            uint64_t raw;
            std::memcpy(&raw, &v, 8);
            return std::string(1, char(field << 3 | 1)) + littleEndianBytes(raw, 8);
        };
        auto packed = [&](int field, std::vector<double> values) {
            std::string run;
            for (double v : values) run += fixed(0, v).substr(1);
            return std::string(1, char(field << 3 | 2)) + char(run.size()) + run;
        };
        const std::string histo = fixed(1, -1.0) + fixed(2, 2.0) + fixed(3, 8.0) + fixed(4, 4.75) + fixed(5, 8.5625) +
                                  packed(6, {0.0, 0.5, 2.0}) + packed(7, {3.0, 0.0, 5.0});
        const std::string value = std::string("\x0a\x0c") + "conn/weights" + "\x2a" + char(histo.size()) + histo;
        const std::string summary = std::string("\x0a") + char(value.size()) + value;
        QCOMPARE(event.substr(9), std::string("\x10\x03\x2a") + char(summary.size()) + summary);
    }

    void everyFlippedByteIsReported() {
        QTemporaryDir dir;
        TrainingSummary small;
        small.label = "train";
        small.stepLoss = {0.5};
        small.distributions["A/bias"] = {binned(1, {0.0, 1.0}, {2.0})};
        const std::string original = slurp(writeTensorBoardLog(small, dir.path().toStdString()));
        const std::string path = dir.filePath("flipped").toStdString();
        for (size_t i = 0; i < original.size(); ++i) {
            std::string bytes = original;
            bytes[i] = static_cast<char>(bytes[i] ^ 0x20);
            spit(path, bytes);
            const Error e = errorFrom([&] { readTensorBoardLog(path); });
            QVERIFY2(e.file() == path, ("byte " + std::to_string(i) + ": " + e.what()).c_str());
            QVERIFY(std::string(e.what()).find("checksum") != std::string::npos);
        }
    }

    void everyTruncationInsideARecordIsReported() {
        QTemporaryDir dir;
        const std::string original = slurp(writeTensorBoardLog(knownSummary(), dir.path().toStdString()));
        std::vector<size_t> boundaries;
        for (const RawRecord& r : rawRecords(original)) boundaries.push_back(r.offset);
        const std::string path = dir.filePath("truncated").toStdString();
        for (size_t size = 0; size < original.size(); ++size) {
            // A cut between records leaves a shorter valid file: TFRecord cannot tell.
            if (size > 0 && std::ranges::find(boundaries, size) != boundaries.end()) continue;
            spit(path, original.substr(0, size));
            const Error e = errorFrom([&] { readTensorBoardLog(path); });
            QVERIFY2(e.file() == path, ("size " + std::to_string(size) + ": " + e.what()).c_str());
        }
    }

    void otherFilesAreRejected() {
        QTemporaryDir dir;
        const std::string path = dir.filePath("events.out.tfevents.1.host").toStdString();
        // A valid record holding an Event without a file version.
        spit(path, frame(std::string("\x10\x05", 2)));
        QVERIFY(std::string(errorFrom([&] { readTensorBoardLog(path); }).what()).find("file version") != std::string::npos);
        // A valid record holding a length-delimited field that runs past its end.
        spit(path, frame(std::string("\x1a\x0d") + "brain.Event:2") + frame("\x2a\x7f\x0a"));
        const Error e = errorFrom([&] { readTensorBoardLog(path); });
        QCOMPARE(e.file(), path);
        QVERIFY(std::string(e.what()).find("record 2") != std::string::npos);
        QVERIFY(std::string(e.what()).find("malformed") != std::string::npos);
    }

    void badInputIsReportedBeforeWriting() {
        QTemporaryDir dir;
        const std::string logdir = dir.filePath("logs").toStdString();
        TrainingSummary s;
        s.label = "train";
        s.distributions["A/encoders"] = {binned(4, {0.0, 1.0}, {1.0, 2.0})};
        QCOMPARE(errorFrom([&] { writeTensorBoardLog(s, logdir); }).object(), std::string("A/encoders"));
        s.distributions.clear();
        for (const std::string label : {"../escape", "a/../../escape", "/tmp/escape"}) {
            s.label = label;
            QCOMPARE(errorFrom([&] { writeTensorBoardLog(s, logdir); }).file(), logdir);
        }
        QVERIFY(!std::filesystem::exists(logdir));
    }

    void emptySampleIsAnEmptyHistogram() {
        QTemporaryDir dir;
        TrainingSummary s;
        s.label = "train";
        s.distributions["A/bias"] = {describeDistribution(Matrix(0, 0), 7, 10)};
        const std::vector<TensorBoardEvent> events = readTensorBoardLog(writeTensorBoardLog(s, dir.path().toStdString()));
        QCOMPARE(events.size(), size_t(1));
        QVERIFY(events[0].isHistogram);
        QCOMPARE(events[0].step, 7L);
        QCOMPARE(events[0].num, 0.0);
        QVERIFY(events[0].bucketLimits.empty() && events[0].buckets.empty());
    }
};

QTEST_APPLESS_MAIN(TensorBoardTest)
#include "test_tensorboard.moc"
