#pragma once
// The trained parameters: pick one (an ensemble's encoders or biases, a
// connection's weights) and see it as built, as trained, or the difference,
// as a table and as a heatmap.
#include "train/bptt_trainer.h"

#include <QWidget>

class QComboBox;
class QCPColorMap;
class QCPColorScale;
class QCustomPlot;
class QLabel;
class QTableView;

namespace ui {

class MatrixTableModel;

class ParameterInspector : public QWidget {
    Q_OBJECT
public:
    enum class View { Trained, AsBuilt, Difference };

    explicit ParameterInspector(QWidget* parent = nullptr);

    // `before` may be empty (nothing to compare with); otherwise it matches `after` array for array.
    void setParameters(const std::vector<core::ParameterArray>& before, const std::vector<core::ParameterArray>& after);
    void choose(int parameter, View view);

    // What is shown now (for tests and the heatmap).
    const core::Matrix& shown() const { return shown_; }

protected:
    void showEvent(QShowEvent* event) override;

private:
    void refresh();

    std::vector<core::ParameterArray> before_, after_;
    core::Matrix shown_;
    bool stale_ = false;
    QComboBox *parameter_, *view_;
    QLabel* stats_;
    QTableView* table_;
    MatrixTableModel* model_;
    QCustomPlot* heatmap_;
    QCPColorMap* colorMap_;
    QCPColorScale* colorScale_;
};

}  // namespace ui
