// Generated training data: the shape asked for, seeded, and with the
// properties named (band limit and RMS, sweep frequencies, separable classes).
#include "common/error.h"
#include "io/data_generators.h"
#include "io/training_data_file.h"

#include <QTemporaryDir>
#include <fstream>

#include <QtTest>

#include <cmath>

using namespace core;

class DataGeneratorsTest : public QObject {
    Q_OBJECT
private slots:
    void noiseIsBandLimitedWithTheRms() {
        const Tensor3 t = bandLimitedNoise(3, 1000, 2, 0.001, 10.0, 0.5, 7);
        QCOMPARE(t.n, 3);
        QCOMPARE(t.steps, 1000);
        QCOMPARE(t.size, 2);
        QVERIFY(t == bandLimitedNoise(3, 1000, 2, 0.001, 10.0, 0.5, 7));
        QVERIFY(!(t == bandLimitedNoise(3, 1000, 2, 0.001, 10.0, 0.5, 8)));
        for (int i = 0; i < 3; ++i)
            for (int j = 0; j < 2; ++j) {
                double power = 0.0;
                for (int k = 0; k < 1000; ++k) power += t.at(i, k, j) * t.at(i, k, j);
                QVERIFY(std::abs(std::sqrt(power / 1000) - 0.5) < 1e-12);
                // The DFT bin at 20 Hz (twice the cutoff) carries nothing; 5 Hz does.
                auto bin = [&](int h) {
                    double re = 0.0, im = 0.0;
                    for (int k = 0; k < 1000; ++k) {
                        const double w = 2.0 * M_PI * h * (k + 1) / 1000.0;
                        re += t.at(i, k, j) * std::cos(w);
                        im += t.at(i, k, j) * std::sin(w);
                    }
                    return std::hypot(re, im);
                };
                QVERIFY(bin(20) < 1e-9);
                QVERIFY(bin(5) > 1.0);
            }
    }

    void sweepRisesInFrequency() {
        const Tensor3 t = sineSweep(2, 2000, 1, 0.001, 1.0, 9.0, 0.8);
        auto crossings = [&](int from, int to) {
            int n = 0;
            for (int k = from + 1; k < to; ++k) n += (t.at(0, k - 1, 0) < 0.0) != (t.at(0, k, 0) < 0.0);
            return n;
        };
        QVERIFY(crossings(1000, 2000) > 2 * crossings(0, 1000));
        double peak = 0.0;
        for (double v : t.values) peak = std::max(peak, std::abs(v));
        QVERIFY(peak <= 0.8 + 1e-12 && peak > 0.79);
    }

    void clustersAreLabelledAndSeparable() {
        const ClassificationSet s = gaussianClusters(40, 5, 4, 3, 0.1, 3);
        QCOMPARE(s.inputs.size, 3);
        QCOMPARE(s.targets.size, 4);
        int correct = 0;
        for (int i = 0; i < 40; ++i) {
            int label = -1;
            for (int c = 0; c < 4; ++c)
                if (s.targets.at(i, 4, c) == 1.0) label = c;
            QCOMPARE(label, i % 4);
            // Nearest centre on the circle recovers the label when the spread is small.
            const double angle = std::atan2(s.inputs.at(i, 2, 1), s.inputs.at(i, 2, 0));
            const int nearest = static_cast<int>(std::lround(angle / (M_PI / 2.0)) + 4) % 4;
            correct += nearest == label;
        }
        QVERIFY(correct >= 38);
    }

    void arraysBecomeSequences_data() {
        QTest::addColumn<std::vector<std::size_t>>("shape");
        QTest::addColumn<QString>("expected");  // (n, steps, size), or the refusal
        QTest::newRow("steps") << std::vector<std::size_t>{4} << "(1, 4, 1)";
        QTest::newRow("sequences of steps") << std::vector<std::size_t>{2, 3} << "(2, 3, 1)";
        QTest::newRow("3-d") << std::vector<std::size_t>{2, 3, 2} << "(2, 3, 2)";
        QTest::newRow("empty with many sequences") << std::vector<std::size_t>{100000, 0, 1} << "(100000, 0, 1)";
        QTest::newRow("4-d") << std::vector<std::size_t>{1, 1, 1, 1} << "in.npz [x]: has 4 dimensions";
        QTest::newRow("empty, 3e9 sequences") << std::vector<std::size_t>{3000000000, 0, 1}
                                              << "in.npz [x]: dimension 0 is 3000000000; at most 2147483647";
        QTest::newRow("empty, 3e9 steps") << std::vector<std::size_t>{0, 3000000000} << "in.npz [x]: dimension 1 is";
        QTest::newRow("empty, size 2^32") << std::vector<std::size_t>{1, 0, 4294967296} << "in.npz [x]: dimension 2 is";
    }
    void arraysBecomeSequences() {
        QFETCH(std::vector<std::size_t>, shape);
        QFETCH(QString, expected);
        NpyArray array{shape, {}};
        array.values.resize(array.size());
        try {
            const Tensor3 t = toSequences(array, "in.npz [x]");
            QCOMPARE(QString("(%1, %2, %3)").arg(t.n).arg(t.steps).arg(t.size), expected);
            QCOMPARE(t.count(), array.size());
        } catch (const Error& e) {
            QVERIFY2(QString(e.what()).startsWith(expected), e.what());
        }
    }

    void csvIsOneSequence() {
        QTemporaryDir dir;
        const std::string good = (dir.path() + "/good.csv").toStdString(), bad = (dir.path() + "/bad.csv").toStdString();
        std::ofstream(good) << "x,y\n0.5,1\n-2, 3e-1\r\n\n4,5\n";
        const Tensor3 t = readCsvSequence(good);
        QCOMPARE(t.n, 1);
        QCOMPARE(t.steps, 3);
        QCOMPARE(t.size, 2);
        QCOMPARE(t.at(0, 1, 1), 0.3);
        std::ofstream(bad) << "1,2\n3,oops\n";
        try {
            readCsvSequence(bad);
            QFAIL("read a broken CSV");
        } catch (const Error& e) {
            QVERIFY(QString(e.what()).contains("bad.csv: line 2, column 2: 'oops'"));
        }
        std::ofstream(bad) << "1,2\n3\n";
        QVERIFY_THROWS_EXCEPTION(Error, readCsvSequence(bad));
        std::ofstream(good) << "1e-320\n";  // subnormal, as numpy reads it
        QCOMPARE(readCsvSequence(good).values, std::vector<double>{1e-320});
    }

    void malformedCsvNamesTheFile_data() {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QString>("problem");
        QTest::newRow("empty") << QByteArray() << "holds no rows of numbers";
        QTest::newRow("binary (a PNG header)") << QByteArray("\x89PNG\r\n\x1a\n\0\0\0\rIHDR\xff", 17)
                                               << "line 2, column 1: '?' is not a number";
        QTest::newRow("1e999") << QByteArray("0.5,1\n1e999,2\n") << "line 2, column 1: '1e999' is out of the range";
        QTest::newRow("1e999 on the first line") << QByteArray("1,-1e999\n") << "line 1, column 2: '-1e999' is out";
        QTest::newRow("a NUL in a number") << QByteArray("1\n2\0" "5\n", 5) << "line 2, column 1: '2?5'";
        QTest::newRow("long garbage") << QByteArray("1\n") + QByteArray(1000, 'z')
                                      << "line 2, column 1: 'zzzzzzzzzzzzzzzzzzzzzzzz...' is not";
    }
    void malformedCsvNamesTheFile() {
        QFETCH(QByteArray, bytes);
        QFETCH(QString, problem);
        QTemporaryDir dir;
        const std::string path = (dir.path() + "/broken.csv").toStdString();
        std::ofstream(path, std::ios::binary).write(bytes.data(), bytes.size());
        try {
            readCsvSequence(path);
            QFAIL("read a broken CSV");
        } catch (const Error& e) {
            QVERIFY2(QString(e.what()).startsWith(QString::fromStdString(path) + ": " + problem), e.what());
        }
    }
};

QTEST_APPLESS_MAIN(DataGeneratorsTest)
#include "test_data_generators.moc"
