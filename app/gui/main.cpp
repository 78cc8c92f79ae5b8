#include "main_window.h"

#include <QApplication>
#include <QTimer>

int main(int argc, char** argv) {
    Q_INIT_RESOURCE(icons);  // the icon set lives in the static ui library
    QApplication app(argc, argv);
    QApplication::setApplicationName("NeuroLoom");
    QApplication::setOrganizationName("NeuroLoom");
    QApplication::setApplicationVersion(NEUROLOOM_VERSION);
    ui::MainWindow window;
    window.show();
    const QStringList args = QApplication::arguments();
    QTimer::singleShot(0, &window, [&window, args] {
        window.offerRecovery();
        if (args.size() > 1) window.openFile(args.at(1));
    });
    return QApplication::exec();
}
