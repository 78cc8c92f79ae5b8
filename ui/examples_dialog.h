#pragma once
// File > Examples: the bundled example projects with what each one shows.
#include <QDialog>

class QListWidget;
class QTextBrowser;

namespace ui {

class ExamplesDialog : public QDialog {
    Q_OBJECT
public:
    // Lists the example projects found in `directory`.
    explicit ExamplesDialog(const QString& directory, QWidget* parent = nullptr);

    QString selectedFile() const;
    QListWidget* list() const { return list_; }

private:
    void showDetails();

    QListWidget* list_;
    QTextBrowser* details_;
};

}  // namespace ui
