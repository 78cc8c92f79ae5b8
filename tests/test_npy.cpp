// numpy's .npy and .npz formats: round trips, files numpy wrote
// (tests/data/npy, made by make_fixtures.py), malformed input and atomic writes.
#include "common/error.h"
#include "io/npy.h"

#include <QtTest>

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>
#include <fstream>
#include <limits>
#include <random>
#include <sstream>

using namespace core;

namespace {

std::string fixture(const std::string& name) { return std::string(NEUROLOOM_TEST_DATA) + "/npy/" + name; }

NpyArray randomArray(std::vector<std::size_t> shape, unsigned seed) {
    NpyArray a{std::move(shape), {}};
    std::mt19937_64 rng(seed);
    std::uniform_real_distribution<double> value(-1e3, 1e3);
    for (std::size_t i = 0; i < a.size(); ++i) a.values.push_back(value(rng));
    return a;
}

// The what() of the core::Error that f throws, or "" when it throws none.
template <class F>
QString errorFrom(F f) {
    try {
        f();
    } catch (const Error& e) {
        return QString::fromStdString(e.what());
    }
    return {};
}

std::string slurp(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

void spit(const std::string& path, const std::string& bytes) { std::ofstream(path, std::ios::binary) << bytes; }

// An .npy file in format 1.0 with the header dict and data given verbatim.
std::string npyBytes(const std::string& dict, const std::string& data) {
    std::string header = dict;
    while ((10 + header.size() + 1) % 64 != 0) header += ' ';
    header += '\n';
    std::string out = "\x93NUMPY\x01";
    out += '\0';
    out += static_cast<char>(header.size() & 0xFF);
    out += static_cast<char>(header.size() >> 8);
    return out + header + data;
}

std::string doubles(std::initializer_list<double> values) {
    std::string out(values.size() * 8, '\0');
    std::memcpy(out.data(), std::data(values), out.size());  // the tests run on little-endian machines
    return out;
}

// The raw bytes of values of type T in the given byte order.
template <class T>
std::string raw(const std::vector<T>& values, bool bigEndian) {
    std::string out;
    for (const T v : values) {
        std::string bytes(sizeof(T), '\0');
        std::memcpy(bytes.data(), &v, sizeof(T));
        if (bigEndian != (std::endian::native == std::endian::big)) std::reverse(bytes.begin(), bytes.end());
        out += bytes;
    }
    return out;
}

template <class T>
void checkDtype(const std::string& code, const std::vector<T>& values) {
    const std::string count = std::to_string(values.size());
    std::vector<double> expected(values.begin(), values.end());
    const std::string orders = sizeof(T) == 1 ? "|<>=" : "<>=";
    for (const char order : orders) {
        const std::string descr = order + code;
        const bool big = order == '>' || (order == '=' && std::endian::native == std::endian::big);
        const std::string dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': (" + count + ",), }";
        const NpyArray a = decodeNpy(npyBytes(dict, raw(values, big)), descr);
        QVERIFY2(a == (NpyArray{{values.size()}, expected}), descr.c_str());
    }
}

bool onlyEntry(const QString& folder, const QString& name) {
    return QDir(folder).entryList(QDir::AllEntries | QDir::NoDotAndDotDot) == QStringList{name};
}

}  // namespace

namespace core {
// Shown by QCOMPARE when two arrays differ.
char* toString(const NpyArray& a) {
    std::ostringstream text;
    text << "shape (";
    for (const std::size_t d : a.shape) text << d << ',';
    text << ") values";
    for (std::size_t i = 0; i < a.values.size() && i < 8; ++i) text << ' ' << a.values[i];
    if (a.values.size() > 8) text << " ...";
    return qstrdup(text.str().c_str());
}
}  // namespace core

class NpyTest : public QObject {
    Q_OBJECT
private slots:
    void encodeDecodeRoundTrip_data() {
        QTest::addColumn<std::vector<std::size_t>>("shape");
        QTest::newRow("0-d") << std::vector<std::size_t>{};
        QTest::newRow("empty") << std::vector<std::size_t>{0};
        QTest::newRow("1-d") << std::vector<std::size_t>{7};
        QTest::newRow("2-d") << std::vector<std::size_t>{3, 4};
        QTest::newRow("3-d") << std::vector<std::size_t>{2, 3, 4};
        QTest::newRow("4-d") << std::vector<std::size_t>{2, 1, 3, 2};
        QTest::newRow("2-d empty") << std::vector<std::size_t>{0, 5};
    }
    void encodeDecodeRoundTrip() {
        QFETCH(std::vector<std::size_t>, shape);
        const NpyArray a = randomArray(shape, 7);
        QCOMPARE(decodeNpy(encodeNpy(a), "memory"), a);
    }

    void specialValuesSurviveExactly() {
        const double inf = std::numeric_limits<double>::infinity();
        const NpyArray a{{6}, {-0.0, inf, -inf, std::numeric_limits<double>::denorm_min(),
                               std::numeric_limits<double>::max(), std::nan("")}};
        const NpyArray b = decodeNpy(encodeNpy(a), "memory");
        for (int i = 0; i < 6; ++i)
            QCOMPARE(std::bit_cast<std::uint64_t>(b.values[i]), std::bit_cast<std::uint64_t>(a.values[i]));
    }

    void encodeWritesNumpysHeader() {
        const std::string bytes = encodeNpy(NpyArray{{2, 3}, {1, 2, 3, 4, 5, 6}});
        QCOMPARE(bytes.substr(0, 8), std::string("\x93NUMPY\x01\x00", 8));
        const std::size_t length = static_cast<unsigned char>(bytes[8]) | static_cast<unsigned char>(bytes[9]) << 8;
        QCOMPARE((10 + length) % 64, std::size_t(0));  // numpy aligns the data to 64 bytes
        const std::string header = bytes.substr(10, length);
        QVERIFY(header.starts_with("{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), }"));
        QVERIFY(header.ends_with(" \n"));
        QCOMPARE(bytes.size(), 10 + length + 6 * 8);
        QVERIFY(encodeNpy(NpyArray{{}, {1}}).find("'shape': (), }") != std::string::npos);
        QVERIFY(encodeNpy(NpyArray{{3}, {1, 2, 3}}).find("'shape': (3,), }") != std::string::npos);
    }

    void headerOver64KiBUsesVersion2() {
        const NpyArray a{std::vector<std::size_t>(22000, 1), {4.5}};  // "1, " x 22000 > 65535 bytes
        const std::string bytes = encodeNpy(a);
        QCOMPARE(bytes[6], '\x02');
        std::size_t length = 0;
        for (int k = 11; k >= 8; --k) length = length << 8 | static_cast<unsigned char>(bytes[k]);
        QCOMPARE((12 + length) % 64, std::size_t(0));
        QCOMPARE(decodeNpy(bytes, "memory"), a);
    }

    void encodeRefusesValuesNotMatchingShape() {
        QVERIFY(!errorFrom([] { encodeNpy(NpyArray{{2, 2}, {1, 2, 3}}); }).isEmpty());
    }

    void fileRoundTrip() {
        QTemporaryDir dir;
        const std::string path = dir.filePath("a.npy").toStdString();
        for (const auto& shape : std::vector<std::vector<std::size_t>>{{}, {5}, {3, 2}, {2, 3, 4}}) {
            const NpyArray a = randomArray(shape, 11);
            writeNpy(path, a);
            QCOMPARE(readNpy(path), a);
        }
        QVERIFY(onlyEntry(dir.path(), "a.npy"));  // no temporary left behind
    }

    void npzRoundTrip_data() {
        QTest::addColumn<bool>("compress");
        QTest::newRow("stored") << false;
        QTest::newRow("deflated") << true;
    }
    void npzRoundTrip() {
        QFETCH(bool, compress);
        QTemporaryDir dir;
        const std::string path = dir.filePath("model.npz").toStdString();
        const NpzArrays arrays = {{"weights", randomArray({4, 3}, 1)},
                                  {"A/encoders", randomArray({10, 2}, 2)},
                                  {"B/deep/decoders", randomArray({2, 3, 2}, 3)},
                                  {"scalar", randomArray({}, 4)},
                                  {"empty", randomArray({0, 3}, 5)}};
        writeNpz(path, arrays, compress);
        QCOMPARE(readNpz(path), arrays);
        QVERIFY(onlyEntry(dir.path(), "model.npz"));
    }

    void emptyNpzRoundTrip() {
        QTemporaryDir dir;
        const std::string path = dir.filePath("empty.npz").toStdString();
        writeNpz(path, {});
        QCOMPARE(readNpz(path), NpzArrays{});
    }

    void compressionShrinksRepetitiveData() {
        QTemporaryDir dir;
        const NpzArrays zeros = {{"z", NpyArray{{1000}, std::vector<double>(1000, 0.0)}}};
        const std::string stored = dir.filePath("s.npz").toStdString(), deflated = dir.filePath("d.npz").toStdString();
        writeNpz(stored, zeros, false);
        writeNpz(deflated, zeros, true);
        QVERIFY(slurp(stored).size() > 8000);
        QVERIFY(slurp(deflated).size() < 1000);
        QCOMPARE(readNpz(deflated), zeros);
    }

    void readsNumpyFiles_data() {
        QTest::addColumn<QString>("file");
        QTest::addColumn<std::vector<std::size_t>>("shape");
        QTest::addColumn<std::vector<double>>("values");
        std::vector<double> quarters, tens;
        for (int i = 0; i < 12; ++i) quarters.push_back(i / 4.0 - 1);
        for (int i = 0; i < 24; ++i) tens.push_back(10 * i + 5);
        QTest::newRow("float32 C order") << "float32_c_2d.npy" << std::vector<std::size_t>{3, 4} << quarters;
        QTest::newRow("float64 Fortran order") << "float64_fortran_2d.npy" << std::vector<std::size_t>{2, 3}
                                               << std::vector<double>{-2, -0.5, 1, 2.5, 4, 5.5};
        QTest::newRow("big-endian int16") << "int16_big_1d.npy" << std::vector<std::size_t>{7}
                                          << std::vector<double>{-300, -1, 0, 1, 300, 32767, -32768};
        QTest::newRow("uint8 3-d") << "uint8_3d.npy" << std::vector<std::size_t>{2, 3, 4} << tens;
        QTest::newRow("bool") << "bool_1d.npy" << std::vector<std::size_t>{5} << std::vector<double>{1, 0, 0, 1, 1};
        QTest::newRow("0-d") << "scalar_0d.npy" << std::vector<std::size_t>{} << std::vector<double>{-0.125};
        QTest::newRow("format 3.0") << "version3_1d.npy" << std::vector<std::size_t>{3}
                                    << std::vector<double>{0.5, 1.5, 2.5};
    }
    void readsNumpyFiles() {
        QFETCH(QString, file);
        QFETCH(std::vector<std::size_t>, shape);
        QFETCH(std::vector<double>, values);
        QCOMPARE(readNpy(fixture(file.toStdString())), (NpyArray{shape, values}));
    }

    void readsNumpyNpz_data() {
        QTest::addColumn<QString>("file");
        QTest::newRow("np.savez") << "savez.npz";
        QTest::newRow("np.savez_compressed") << "savez_compressed.npz";
    }
    void readsNumpyNpz() {
        QFETCH(QString, file);
        const NpzArrays expected = {{"weights", NpyArray{{2, 3}, {0, 0.125, 0.25, 0.375, 0.5, 0.625}}},
                                    {"A/encoders", NpyArray{{2, 2}, {1, 0, 0, -1}}},
                                    {"count", NpyArray{{}, {3}}}};
        QCOMPARE(readNpz(fixture(file.toStdString())), expected);
    }

    void decodesEveryDtypeInEitherByteOrder() {
        checkDtype<std::int8_t>("i1", {-128, -1, 0, 127});
        checkDtype<std::uint8_t>("u1", {0, 1, 255});
        checkDtype<std::uint8_t>("b1", {0, 1});
        checkDtype<std::int16_t>("i2", {-32768, -2, 32767});
        checkDtype<std::uint16_t>("u2", {0, 258, 65535});
        checkDtype<std::int32_t>("i4", {std::numeric_limits<std::int32_t>::min(), -3, 70000});
        checkDtype<std::uint32_t>("u4", {0, std::numeric_limits<std::uint32_t>::max()});
        checkDtype<std::int64_t>("i8", {-(std::int64_t(1) << 53), -4, std::int64_t(1) << 40});
        checkDtype<std::uint64_t>("u8", {0, std::uint64_t(1) << 63});
        checkDtype<float>("f4", {-1.5f, 3.25f, std::numeric_limits<float>::infinity()});
        checkDtype<double>("f8", {-1e300, 0.1, 5e-324});
    }

    void fortranOrder3dBecomesCOrder() {
        // Value 100i + 10j + k at index (i, j, k), stored with i running fastest.
        std::vector<double> fortran, c;
        for (int k = 0; k < 4; ++k)
            for (int j = 0; j < 3; ++j)
                for (int i = 0; i < 2; ++i) fortran.push_back(100 * i + 10 * j + k);
        for (int i = 0; i < 2; ++i)
            for (int j = 0; j < 3; ++j)
                for (int k = 0; k < 4; ++k) c.push_back(100 * i + 10 * j + k);
        const std::string dict = "{'descr': '<f8', 'fortran_order': True, 'shape': (2, 3, 4), }";
        QCOMPARE(decodeNpy(npyBytes(dict, raw(fortran, false)), "memory"), (NpyArray{{2, 3, 4}, c}));
    }

    void headerParsingIsTolerant_data() {
        QTest::addColumn<QString>("dict");
        QTest::newRow("keys in another order") << "{'shape': (2,), 'fortran_order': False, 'descr': '<f8'}";
        QTest::newRow("spaces") << "{ 'descr' : '<f8' ,'fortran_order':False,'shape':( 2 , ) , }";
        QTest::newRow("double quotes") << "{\"descr\": \"<f8\", \"fortran_order\": False, \"shape\": (2,)}";
        QTest::newRow("Python 2 long") << "{'descr': '<f8', 'fortran_order': False, 'shape': (2L,), }";
    }
    void headerParsingIsTolerant() {
        QFETCH(QString, dict);
        QCOMPARE(decodeNpy(npyBytes(dict.toStdString(), doubles({1.5, -2})), "memory"), (NpyArray{{2}, {1.5, -2}}));
    }

    void malformedFilesNameTheFile_data() {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QString>("problem");
        const auto row = [](const char* name, const std::string& bytes, const char* problem) {
            QTest::newRow(name) << QByteArray(bytes.data(), static_cast<qsizetype>(bytes.size())) << problem;
        };
        const auto dict = [](const std::string& descr, const std::string& shape) {
            return "{'descr': " + descr + ", 'fortran_order': False, 'shape': " + shape + ", }";
        };
        const std::string good = slurp(fixture("float32_c_2d.npy"));
        row("truncated data", good.substr(0, good.size() - 5),
            "the data holds 43 bytes but shape (3, 4) needs 12 x 4 bytes");
        row("truncated header", good.substr(0, 40), "truncated header");
        row("empty file", "", "magic");
        row("bad magic", "PK\x03\x04" + good.substr(4), "magic");
        row("version 4.0", good.substr(0, 6) + "\x04" + good.substr(7), "format version 4.0 is not supported");
        row("complex", npyBytes(dict("'<c16'", "(1,)"), doubles({1, 2})), "dtype '<c16' is not supported");
        row("unicode", npyBytes(dict("'<U5'", "(1,)"), std::string(20, 'a')), "dtype '<U5' is not supported");
        row("object", npyBytes(dict("'|O'", "(1,)"), doubles({0})), "dtype '|O' is not supported");
        row("float16", npyBytes(dict("'<f2'", "(1,)"), "ab"), "dtype '<f2' is not supported");
        row("structured", npyBytes(dict("[('x', '<f8')]", "(1,)"), doubles({1})), "structured dtypes");
        row("too few values", npyBytes(dict("'<f8'", "(3,)"), doubles({1, 2})), "needs 3 x 8 bytes");
        row("too many values", npyBytes(dict("'<f8'", "(1,)"), doubles({1, 2})), "needs 1 x 8 bytes");
        row("huge shape", npyBytes(dict("'<f8'", "(4294967296, 4294967296, 4294967296)"), doubles({1})), "too large");
        row("negative dimension", npyBytes(dict("'<f8'", "(-1,)"), ""), "non-negative");
        row("shape as list", npyBytes(dict("'<f8'", "[1]"), doubles({1})), "'shape' must be a tuple");
        row("missing key", npyBytes("{'descr': '<f8', 'shape': (1,)}", doubles({1})), "no 'fortran_order'");
        row("extra key", npyBytes("{'descr': '<f8', 'fortran_order': False, 'shape': (), 'x': 1}", doubles({1})),
            "keys besides");
        row("unclosed dict", npyBytes("{'descr': '<f8', 'fortran_order': False, 'shape': (1,)", doubles({1})),
            "malformed header");
        row("not a literal", npyBytes("{'descr': '<f8', 'fortran_order': maybe, 'shape': (1,)}", doubles({1})),
            "malformed header");
        row("fortran_order not bool", npyBytes("{'descr': '<f8', 'fortran_order': 0, 'shape': (1,)}", doubles({1})),
            "'fortran_order' must be True or False");
    }
    void malformedFilesNameTheFile() {
        QFETCH(QByteArray, bytes);
        QFETCH(QString, problem);
        QTemporaryDir dir;
        const std::string path = dir.filePath("broken.npy").toStdString();
        spit(path, bytes.toStdString());
        const QString message = errorFrom([&] { readNpy(path); });
        QVERIFY2(message.contains(QString::fromStdString(path)), qPrintable(message));
        QVERIFY2(message.contains(problem), qPrintable(message));
    }

    void npzErrorsNameFileAndMember() {
        const std::string notNpy = fixture("not_npy_member.npz");
        QString message = errorFrom([&] { readNpz(notNpy); });
        QVERIFY2(message.contains(QString::fromStdString(notNpy)) && message.contains("notes.txt"),
                 qPrintable(message));
        const std::string complex = fixture("complex_member.npz");
        message = errorFrom([&] { readNpz(complex); });
        QVERIFY2(message.contains(QString::fromStdString(complex)) && message.contains("bad.npy") &&
                     message.contains("dtype '<c16' is not supported"),
                 qPrintable(message));
        const std::string npy = fixture("bool_1d.npy");
        message = errorFrom([&] { readNpz(npy); });
        QVERIFY2(message.contains(QString::fromStdString(npy)) && message.contains("zip"), qPrintable(message));
    }

    // Cut anywhere, in the members or in the central directory at the end.
    void truncatedNpzNamesTheFile_data() {
        QTest::addColumn<QString>("file");
        QTest::addColumn<double>("kept");
        for (const char* file : {"savez.npz", "savez_compressed.npz"})
            for (const double kept : {0.5, 0.1, 0.99})
                QTest::addRow("%s, %g kept", file, kept) << file << kept;
    }
    void truncatedNpzNamesTheFile() {
        QFETCH(QString, file);
        QFETCH(double, kept);
        const std::string whole = slurp(fixture(file.toStdString()));
        QTemporaryDir dir;
        const std::string path = dir.filePath("cut.npz").toStdString();
        spit(path, whole.substr(0, static_cast<std::size_t>(kept * static_cast<double>(whole.size()))));
        const QString message = errorFrom([&] { readNpz(path); });
        QVERIFY2(message.startsWith(QString::fromStdString(path) + ": "), qPrintable(message));
    }

    void missingFilesNameTheFile() {
        QTemporaryDir dir;
        const std::string path = dir.filePath("nothing-here").toStdString();
        for (const QString& message : {errorFrom([&] { readNpy(path); }), errorFrom([&] { readNpz(path); })})
            QVERIFY2(message.contains(QString::fromStdString(path)), qPrintable(message));
    }

    void failedWriteLeavesNoTemporary() {
        QTemporaryDir dir;
        const NpyArray a = randomArray({3}, 1);
        const std::string inMissingFolder = dir.filePath("no-such-folder/a.npy").toStdString();
        QVERIFY(errorFrom([&] { writeNpy(inMissingFolder, a); }).contains(QString::fromStdString(inMissingFolder)));
        // A folder in the target's place: the temporary is complete, but the rename fails.
        QVERIFY(QDir(dir.path()).mkdir("taken"));
        const std::string taken = dir.filePath("taken").toStdString();
        QVERIFY(errorFrom([&] { writeNpy(taken, a); }).contains(QString::fromStdString(taken)));
        QVERIFY(errorFrom([&] { writeNpz(taken, {{"a", a}}); }).contains(QString::fromStdString(taken)));
        QVERIFY(onlyEntry(dir.path(), "taken"));
    }

    void failedWriteIntoReadOnlyFolder() {
        if (::geteuid() == 0) QSKIP("root writes into read-only folders");
        QTemporaryDir dir;
        const std::string path = dir.filePath("a.npy").toStdString();
        QVERIFY(QFile::setPermissions(dir.path(), QFile::ReadOwner | QFile::ExeOwner));
        const QString message = errorFrom([&] { writeNpy(path, randomArray({3}, 1)); });
        QVERIFY(QFile::setPermissions(dir.path(), QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner));
        QVERIFY2(message.contains(QString::fromStdString(path)), qPrintable(message));
        QVERIFY(QDir(dir.path()).isEmpty());
    }

    void failedWriteKeepsTheOldFile() {
        QTemporaryDir dir;
        const std::string npy = dir.filePath("a.npy").toStdString(), npz = dir.filePath("a.npz").toStdString();
        writeNpy(npy, randomArray({4}, 1));
        writeNpz(npz, {{"a", randomArray({4}, 1)}});
        const std::string oldNpy = slurp(npy), oldNpz = slurp(npz);
        const NpyArray inconsistent{{2, 2}, {1, 2, 3}};
        QVERIFY(errorFrom([&] { writeNpy(npy, inconsistent); }).contains(QString::fromStdString(npy)));
        QVERIFY(errorFrom([&] { writeNpz(npz, {{"a", inconsistent}}); }).contains(QString::fromStdString(npz)));
        const NpzArrays twice = {{"a", randomArray({1}, 1)}, {"a", randomArray({1}, 2)}};
        const QString duplicate = errorFrom([&] { writeNpz(npz, twice); });
        QVERIFY2(duplicate.contains(QString::fromStdString(npz)) && duplicate.contains("a.npy"), qPrintable(duplicate));
        QCOMPARE(slurp(npy), oldNpy);
        QCOMPARE(slurp(npz), oldNpz);
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files).size(), 2);
    }

    void writeReplacesTheWholeFile() {
        QTemporaryDir dir;
        const std::string npy = dir.filePath("a.npy").toStdString(), npz = dir.filePath("a.npz").toStdString();
        writeNpy(npy, randomArray({100, 10}, 1));
        writeNpz(npz, {{"big", randomArray({100, 10}, 1)}, {"other", randomArray({5}, 2)}});
        QCOMPARE(::chmod(npy.c_str(), 0640), 0);
        const NpyArray small = randomArray({2}, 3);
        writeNpy(npy, small);
        writeNpz(npz, {{"small", small}});
        QCOMPARE(slurp(npy), encodeNpy(small));
        QCOMPARE(readNpz(npz), (NpzArrays{{"small", small}}));
        struct stat st;
        QCOMPARE(::stat(npy.c_str(), &st), 0);
        QCOMPARE(st.st_mode & 07777, mode_t(0640));  // the replaced file's permissions stay
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files).size(), 2);
    }
};

QTEST_APPLESS_MAIN(NpyTest)
#include "test_npy.moc"
