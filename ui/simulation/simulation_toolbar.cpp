#include "simulation/simulation_toolbar.h"

#include <QComboBox>
#include <QIcon>
#include <QLabel>

namespace ui {

SimulationToolBar::SimulationToolBar(SimulationController* controller, QWidget* parent)
    : QToolBar(tr("Simulation"), parent),
      controller_(controller),
      run_(addAction(QIcon(":/icons/run.svg"), tr("Run"))),
      step_(addAction(QIcon(":/icons/step.svg"), tr("Step"))),
      reset_(addAction(QIcon(":/icons/reset.svg"), tr("Reset"))),
      time_(new QLabel(this)),
      speed_(new QComboBox(this)) {
    setObjectName("simulationToolBar");
    setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    run_->setToolTip(tr("Run the simulation (Pause while it runs)"));
    step_->setToolTip(tr("Advance the simulation by one time step"));
    reset_->setToolTip(tr("Back to t = 0"));
    connect(run_, &QAction::triggered, this, [this] {
        if (controller_->state() == SimulationController::State::Running)
            controller_->pause();
        else
            controller_->run();
    });
    connect(step_, &QAction::triggered, controller_, &SimulationController::step);
    connect(reset_, &QAction::triggered, controller_, &SimulationController::reset);

    addSeparator();
    // Wide enough for long runs, so the bar does not jump as digits are added.
    time_->setMinimumWidth(time_->fontMetrics().horizontalAdvance("t = 00000.000 s") + 8);
    time_->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
    addWidget(time_);

    addSeparator();
    addWidget(new QLabel(tr("Speed "), this));
    for (double factor : {0.1, 0.25, 0.5, 1.0, 2.0, 5.0, 10.0})
        speed_->addItem(factor == 1.0 ? tr("real time") : tr("%1×").arg(factor), factor);
    speed_->addItem(tr("as fast as possible"), 0.0);
    speed_->setToolTip(tr("Simulated seconds per second of wall-clock time"));
    addWidget(speed_);
    connect(speed_, &QComboBox::currentIndexChanged, this,
            [this] { controller_->setSpeed(speed_->currentData().toDouble()); });
    speed_->setCurrentIndex(speed_->findData(1.0));

    connect(controller_, &SimulationController::stateChanged, this, &SimulationToolBar::showState);
    connect(controller_, &SimulationController::timeChanged, this, &SimulationToolBar::showTime);
    connect(controller_, &SimulationController::errorOccurred, time_, &QLabel::setToolTip);
    showState(controller_->state());
}

void SimulationToolBar::showState(SimulationController::State state) {
    using State = SimulationController::State;
    const bool running = state == State::Running;
    run_->setText(running ? tr("Pause") : tr("Run"));
    run_->setIcon(QIcon(running ? ":/icons/pause.svg" : ":/icons/run.svg"));
    run_->setEnabled(state != State::Building);
    step_->setEnabled(state != State::Building);
    if (state == State::Building)
        time_->setText(tr("building…"));
    else if (state == State::Error)
        time_->setText(tr("<span style='color:#c62828'>error</span>"));  // the message is the tooltip
    else
        showTime(controller_->time());
}

void SimulationToolBar::showTime(double t) {
    time_->setText(tr("t = %1 s").arg(t, 0, 'f', 3));
    time_->setToolTip(QString());
}

}  // namespace ui
