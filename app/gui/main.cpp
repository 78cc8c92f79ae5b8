#include "main_window.h"

#include <QApplication>

int main(int argc, char** argv) {
    QApplication app(argc, argv);
    QApplication::setApplicationName("NeuroLoom");
    QApplication::setOrganizationName("NeuroLoom");
    QApplication::setApplicationVersion(NEUROLOOM_VERSION);
    ui::MainWindow window;
    window.show();
    return QApplication::exec();
}
