#pragma once
// Sliders that set an input node's output while the simulation runs, as
// Nengo GUI's slider does: moving one overrides the node with the sliders'
// values; Release hands the node back to its own function.
#include <QPointer>
#include <QWidget>

#include <vector>

class QDoubleSpinBox;
class QGridLayout;
class QLabel;
class QPushButton;
class QSlider;

namespace ui {

class SimulationController;

class ValueSlider : public QWidget {
    Q_OBJECT
public:
    ValueSlider(SimulationController* controller, const QString& nodeId, QWidget* parent = nullptr);
    // Closing the slider gives the node back its own output.
    ~ValueSlider() override;

    QString nodeId() const { return nodeId_; }
    int dimensions() const { return static_cast<int>(sliders_.size()); }
    // The sliders span -range() .. range(): -1..1, widened to the node's constant value.
    double range() const { return range_; }
    std::vector<double> value() const;
    // As if the user moved the sliders there: overrides the node.
    void setValue(const std::vector<double>& value);
    QSlider* slider(int dimension) const { return sliders_[dimension]; }
    bool overriding() const { return overriding_; }
    // Back to the node's own output.
    void release();

    static constexpr int kSteps = 1000;  // slider positions either side of zero

private:
    void rebuild();
    void projectChanged();
    void showValue(const std::vector<double>& value);
    void sliderMoved(int dimension);
    void spinBoxEdited(int dimension);
    void sendOverride();

    QPointer<SimulationController> controller_;
    QString nodeId_;
    double range_ = 1.0;
    std::vector<double> nodeValue_;  // the node's own constant (zeros for other outputs)
    QGridLayout* grid_;
    QLabel* notice_;
    QPushButton* releaseButton_;
    std::vector<QSlider*> sliders_;
    std::vector<QDoubleSpinBox*> spinBoxes_;
    bool overriding_ = false;
};

}  // namespace ui
