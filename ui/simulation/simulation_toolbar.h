#pragma once
// The run controls of a live simulation: Run/Pause, Step, Reset, the
// simulated time and the speed, for the main window's tool bar area.
#include "simulation/simulation_controller.h"

#include <QToolBar>

class QComboBox;
class QLabel;

namespace ui {

class SimulationToolBar : public QToolBar {
    Q_OBJECT
public:
    // Sets the controller to the toolbar's speed (real time, as Nengo GUI runs).
    explicit SimulationToolBar(SimulationController* controller, QWidget* parent = nullptr);

    QAction* runAction() const { return run_; }  // Run, or Pause while running
    QAction* stepAction() const { return step_; }
    QAction* resetAction() const { return reset_; }
    QLabel* timeLabel() const { return time_; }
    QComboBox* speedChoice() const { return speed_; }

private:
    void showState(SimulationController::State state);
    void showTime(double t);

    SimulationController* controller_;
    QAction* run_;
    QAction* step_;
    QAction* reset_;
    QLabel* time_;
    QComboBox* speed_;
};

}  // namespace ui
