#pragma once
// Where a run's training time went (TrainOptions::profile): seconds and
// share per phase of each optimisation step, as core::BpttTrainer measures them,
// and below them seconds per operator kind in the forward and backward phases.
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

    // An empty profile: the run was not profiled. operators: phase -> kind -> seconds.
    void setProfile(const QString& run, const std::map<std::string, double>& profile,
                    const std::map<std::string, std::map<std::string, double>>& operators);
    QTableWidget* table() const { return table_; }
    QTableWidget* operatorTable() const { return operatorTable_; }

private:
    void showOperators(const std::map<std::string, std::map<std::string, double>>& operators);

    QLabel* title_;
    QTableWidget* table_;
    QTableWidget* operatorTable_;
};

}  // namespace ui
