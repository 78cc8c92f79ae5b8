// The icons the editor and the desktop use: every SVG in resources/icons is
// in the resource file, and each one draws something at the sizes a toolbar
// and a launcher ask for.
#include <QDir>
#include <QIcon>
#include <QImage>
#include <QPainter>
#include <QtTest>

namespace {

const QList<int> paletteSizes{16, 24, 32, 48};
const QList<int> applicationSizes{16, 32, 48, 64, 128, 256};

QStringList resourceIcons() { return QDir(":/icons").entryList({"*.svg"}, QDir::Files, QDir::Name); }

QImage render(const QString& name, int size) {
    return QIcon(":/icons/" + name).pixmap(size, size).toImage().convertToFormat(QImage::Format_ARGB32);
}

// The share of an image's pixels that are not fully transparent.
double inkedShare(const QImage& image) {
    long inked = 0;
    for (int y = 0; y < image.height(); ++y)
        for (int x = 0; x < image.width(); ++x) inked += qAlpha(image.pixel(x, y)) > 0;
    return double(inked) / (image.width() * image.height());
}

QImage contactSheet(const QStringList& names) {
    const int cell = 64, labelWidth = 150, column = labelWidth + paletteSizes.size() * cell;
    const int rows = names.size() + 1;  // + the application icon at its own sizes
    QImage sheet(2 * column, rows * cell + 256, QImage::Format_ARGB32);
    sheet.fill(Qt::white);
    QPainter p(&sheet);
    p.fillRect(column, 0, column, sheet.height(), QColor("#2B2B2B"));
    for (int half = 0; half < 2; ++half) {
        p.setPen(half ? Qt::white : Qt::black);
        for (int row = 0; row < names.size(); ++row) {
            const int x0 = half * column, y0 = row * cell;
            p.drawText(QRect(x0 + 6, y0, labelWidth, cell), Qt::AlignVCenter, names[row]);
            for (int k = 0; k < paletteSizes.size(); ++k)
                p.drawImage(x0 + labelWidth + k * cell, y0 + (cell - paletteSizes[k]) / 2,
                            render(names[row], paletteSizes[k]));
        }
        int x = half * column + 6;
        for (int size : applicationSizes) {
            if (x + size > (half + 1) * column) break;
            p.drawImage(x, names.size() * cell + 8, render("neuroloom.svg", size));
            x += size + 8;
        }
    }
    return sheet;
}

}  // namespace

class TestIcons : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { Q_INIT_RESOURCE(icons); }

    void everySourceSvgIsInTheResourceFile() {
        const QStringList source =
            QDir(NEUROLOOM_ICON_SOURCE_DIR).entryList({"*.svg"}, QDir::Files, QDir::Name);
        QVERIFY(!source.isEmpty());
        QCOMPARE(resourceIcons(), source);
    }

    void eachIconDrawsAtEverySize() {
        for (const QString& name : resourceIcons()) {
            const QList<int>& sizes = name == "neuroloom.svg" ? applicationSizes : paletteSizes;
            for (int size : sizes) {
                const QImage image = render(name, size);
                QVERIFY2(image.size() == QSize(size, size), qPrintable(name));
                const double share = inkedShare(image);
                QVERIFY2(share > 0.1, qPrintable(QString("%1 at %2 px is nearly empty").arg(name).arg(size)));
                // A whole square inked means the drawing was not scaled to its view box.
                QVERIFY2(share < 1.0, qPrintable(QString("%1 at %2 px fills its whole square").arg(name).arg(size)));
            }
        }
        // For looking at them: NEUROLOOM_ICON_SHEET=/tmp/icons.png ./test_icons
        if (const QString path = qEnvironmentVariable("NEUROLOOM_ICON_SHEET"); !path.isEmpty())
            QVERIFY(contactSheet(resourceIcons()).save(path));
    }
};

QTEST_MAIN(TestIcons)
#include "test_icons.moc"
