// The fuzz targets' inputs replayed in the normal test build, through the
// same entry points (fuzz/fuzz_entries.h): every input kept in
// fuzz/regressions/<target>/ (each once crashed, hung or overflowed a reader)
// and every seed in fuzz/corpus/<target>/. In the sanitizer build this also
// checks them under AddressSanitizer and UndefinedBehaviorSanitizer.
#include "fuzz_entries.h"

#include <QDir>
#include <QFile>
#include <QTest>

#include <stdexcept>

namespace {

// One row per file in fuzz/<folder>/<target>/, named "<target>/<file>".
void addRows(const QString& folder) {
    QTest::addColumn<int>("target");
    QTest::addColumn<QString>("file");
    for (size_t t = 0; t < fuzz::targets().size(); ++t) {
        const QString name = QString::fromStdString(fuzz::targets()[t].name);
        const QDir dir(QString(NEUROLOOM_FUZZ_DIR) + "/" + folder + "/" + name);
        for (const QString& file : dir.entryList(QDir::Files, QDir::Name))
            QTest::newRow(qPrintable(name + "/" + file)) << static_cast<int>(t) << dir.filePath(file);
    }
}

std::string bytesOf(const QString& path) {
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) throw std::runtime_error("cannot read " + path.toStdString());
    return f.readAll().toStdString();
}

}  // namespace

class TestFuzzRegressions : public QObject {
    Q_OBJECT
private slots:
    void everyTargetHasSeeds() {
        for (const fuzz::Target& t : fuzz::targets()) {
            const QDir seeds(QString(NEUROLOOM_FUZZ_DIR) + "/corpus/" + QString::fromStdString(t.name));
            QVERIFY2(!seeds.entryList(QDir::Files).isEmpty(), t.name.c_str());
        }
    }

    // Refused with a core::Error naming the file, or accepted: never another
    // exception (a sanitizer report or a crash ends the test).
    void keptInputsAreHandled_data() { addRows("regressions"); }
    void keptInputsAreHandled() {
        QFETCH(int, target);
        QFETCH(QString, file);
        try {
            const fuzz::Outcome refused = fuzz::targets()[target].run(bytesOf(file));
            if (refused) QVERIFY2(!refused->file().empty(), refused->what());
        } catch (const std::exception& e) {
            QFAIL(e.what());
        }
    }

    // The seeds are valid files: a seed refused would mean the target no longer
    // reaches the reader it is meant to fuzz (e.g. the params seed no longer
    // fits the model it loads into).
    void seedsAreAccepted_data() { addRows("corpus"); }
    void seedsAreAccepted() {
        QFETCH(int, target);
        QFETCH(QString, file);
        const fuzz::Outcome refused = fuzz::targets()[target].run(bytesOf(file));
        QVERIFY2(!refused, refused ? refused->what() : "");
    }
};

QTEST_GUILESS_MAIN(TestFuzzRegressions)
#include "test_fuzz_regressions.moc"
