// The main window opens with its menus and an empty canvas.
#include "main_window.h"

#include <QGraphicsView>
#include <QMenuBar>
#include <QtTest>

class MainWindowTest : public QObject {
    Q_OBJECT
private slots:
    void opensWithMenusAndEmptyCanvas() {
        ui::MainWindow w;
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        QStringList menus;
        for (QAction* a : w.menuBar()->actions()) menus << a->text().remove('&');
        QVERIFY(menus.contains("File"));
        QVERIFY(menus.contains("Help"));
        QVERIFY(w.canvas() != nullptr);
        QVERIFY(w.canvas()->isVisible());
        QCOMPARE(w.canvas()->scene()->items().size(), 0);
        // For looking at it: NEUROLOOM_SCREENSHOT_DIR=/tmp ./test_main_window
        if (const QString dir = qEnvironmentVariable("NEUROLOOM_SCREENSHOT_DIR"); !dir.isEmpty())
            QVERIFY(w.grab().save(dir + "/main_window.png"));
    }
};

QTEST_MAIN(MainWindowTest)
#include "test_main_window.moc"
