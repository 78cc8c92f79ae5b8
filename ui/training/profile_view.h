#pragma once
// Where a run's training time went (TrainOptions::profile): seconds and
// share per phase of each optimisation step, as core::BpttTrainer measures them.
#include <QWidget>

#include <map>
#include <string>

class QLabel;
class QTableWidget;

namespace ui {

class ProfileView : public QWidget {
    Q_OBJECT
public:
    explicit ProfileView(QWidget* parent = nullptr);

    // An empty profile: the run was not profiled.
    void setProfile(const QString& run, const std::map<std::string, double>& profile);
    QTableWidget* table() const { return table_; }

private:
    QLabel* title_;
    QTableWidget* table_;
};

}  // namespace ui
