#include "plots/value_slider.h"

#include "simulation/simulation_controller.h"

#include <QDoubleSpinBox>
#include <QGridLayout>
#include <QLabel>
#include <QPushButton>
#include <QSignalBlocker>
#include <QSlider>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace ui {

namespace {

// What a node puts out on its own when that is a constant; zeros otherwise
// (Nengo GUI's slider also starts at zero for other functions).
std::vector<double> ownValue(const core::Node& node) {
    if (const auto* c = std::get_if<core::ConstantOutput>(&node.output)) return c->value;
    return std::vector<double>(static_cast<size_t>(node.sizeOut), 0.0);
}

}  // namespace

ValueSlider::ValueSlider(SimulationController* controller, const QString& nodeId, QWidget* parent)
    : QWidget(parent),
      controller_(controller),
      nodeId_(nodeId),
      grid_(new QGridLayout),
      notice_(new QLabel(this)),
      releaseButton_(new QPushButton(tr("Release"), this)) {
    auto* column = new QVBoxLayout(this);
    column->addWidget(notice_);
    column->addLayout(grid_);
    column->addWidget(releaseButton_, 0, Qt::AlignRight);
    column->addStretch(1);
    notice_->setWordWrap(true);
    releaseButton_->setToolTip(tr("Give the node back its own output"));
    connect(releaseButton_, &QPushButton::clicked, this, &ValueSlider::release);
    connect(controller_, &SimulationController::projectChanged, this, &ValueSlider::projectChanged);
    rebuild();
}

ValueSlider::~ValueSlider() {
    if (overriding_ && controller_) controller_->clearNodeOverride(nodeId_);
}

std::vector<double> ValueSlider::value() const {
    std::vector<double> v;
    for (const QDoubleSpinBox* box : spinBoxes_) v.push_back(box->value());
    return v;
}

void ValueSlider::setValue(const std::vector<double>& value) {
    showValue(value);
    sendOverride();
}

void ValueSlider::release() {
    if (overriding_) controller_->clearNodeOverride(nodeId_);
    overriding_ = false;
    releaseButton_->setEnabled(false);
    showValue(nodeValue_);
}

// One row per dimension; none when the node is gone or cannot be set.
void ValueSlider::rebuild() {
    while (QLayoutItem* item = grid_->takeAt(0)) {
        delete item->widget();
        delete item;
    }
    sliders_.clear();
    spinBoxes_.clear();
    overriding_ = false;
    releaseButton_->setEnabled(false);
    const core::Node* node = findNode(controller_->project().network, nodeId_.toStdString());
    if (!node || node->isPassthrough()) {
        notice_->setText(node ? tr("%1 sums its inputs: there is no output to set").arg(nodeId_)
                              : tr("There is no node %1 in the model").arg(nodeId_));
        notice_->show();
        return;
    }
    notice_->hide();
    nodeValue_ = ownValue(*node);
    double largest = 0.0;
    for (double v : nodeValue_) largest = std::max(largest, std::abs(v));
    range_ = std::max(1.0, std::ceil(largest));
    for (int i = 0; i < node->sizeOut; ++i) {
        auto* label = new QLabel(node->sizeOut == 1 ? QString() : QStringLiteral("[%1]").arg(i));
        auto* slider = new QSlider(Qt::Horizontal);
        slider->setRange(-kSteps, kSteps);
        auto* box = new QDoubleSpinBox;
        box->setRange(-range_, range_);
        box->setDecimals(3);
        box->setSingleStep(range_ / 100.0);
        grid_->addWidget(label, i, 0);
        grid_->addWidget(slider, i, 1);
        grid_->addWidget(box, i, 2);
        connect(slider, &QSlider::valueChanged, this, [this, i] { sliderMoved(i); });
        connect(box, &QDoubleSpinBox::valueChanged, this, [this, i] { spinBoxEdited(i); });
        sliders_.push_back(slider);
        spinBoxes_.push_back(box);
    }
    showValue(nodeValue_);
}

// Keeps the sliders (and the override, which the controller keeps too) when the node keeps its size.
void ValueSlider::projectChanged() {
    const core::Node* node = findNode(controller_->project().network, nodeId_.toStdString());
    const bool sameShape = node && !node->isPassthrough() && node->sizeOut == dimensions();
    if (sameShape) {
        nodeValue_ = ownValue(*node);
        if (!overriding_) showValue(nodeValue_);
        return;
    }
    if (overriding_) controller_->clearNodeOverride(nodeId_);
    rebuild();
}

void ValueSlider::showValue(const std::vector<double>& value) {
    for (int i = 0; i < dimensions() && i < static_cast<int>(value.size()); ++i) {
        const QSignalBlocker blockSlider(sliders_[i]), blockBox(spinBoxes_[i]);
        spinBoxes_[i]->setValue(value[i]);
        sliders_[i]->setValue(static_cast<int>(std::lround(value[i] / range_ * kSteps)));
    }
}

void ValueSlider::sliderMoved(int dimension) {
    const QSignalBlocker block(spinBoxes_[dimension]);
    spinBoxes_[dimension]->setValue(sliders_[dimension]->value() * range_ / kSteps);
    sendOverride();
}

void ValueSlider::spinBoxEdited(int dimension) {
    const QSignalBlocker block(sliders_[dimension]);
    sliders_[dimension]->setValue(static_cast<int>(std::lround(spinBoxes_[dimension]->value() / range_ * kSteps)));
    sendOverride();
}

void ValueSlider::sendOverride() {
    overriding_ = true;
    releaseButton_->setEnabled(true);
    controller_->setNodeOverride(nodeId_, value());
}

}  // namespace ui
