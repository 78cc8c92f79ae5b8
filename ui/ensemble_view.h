#pragma once
#include "build/ensemble_analysis.h"
#include "model/network.h"

#include <QList>
#include <QWidget>

#include <string>
#include <vector>

class QComboBox;
class QCustomPlot;
class QDoubleSpinBox;
class QLabel;
class QSpinBox;
class QTimer;
class QVBoxLayout;

namespace ui {

struct EnsembleAnalysisOutcome;

// "Understanding an ensemble" (issue 6): the selected ensemble's tuning
// curves and, for each outgoing decoded connection, its target function
// against the decoded estimate with the RMS error. The controls edit the
// ensemble; each settled edit is emitted for the editor to make undoable, and
// the analysis is recomputed off the UI thread, newest edit winning.
class EnsembleView : public QWidget {
    Q_OBJECT
public:
    explicit EnsembleView(QWidget* parent = nullptr);

    // Shows `id` of a copy of `network`. The same network and id again (an
    // edit of this view coming back through the undo stack) changes nothing.
    void setEnsemble(const core::Network& network, const std::string& id);

    bool isComputing() const { return shownGeneration_ != generation_; }
    QCustomPlot* tuningPlot() const { return tuningPlot_; }
    const std::vector<QCustomPlot*>& decodingPlots() const { return decodingPlots_; }

signals:
    // The controls settled on a changed ensemble (debounced).
    void ensembleEdited(const core::Ensemble& edited);
    // The plots (or the error message) now show the newest computation.
    void analysisShown();

private:
    QWidget* createControls();
    void connectControls();
    std::vector<QWidget*> controls() const;
    void loadControls(const core::Ensemble& ensemble);
    void editSoon();
    void applyEdit();
    void recompute();
    void showOutcome(const EnsembleAnalysisOutcome& outcome);
    void showTuning(const core::Ensemble& ensemble, const core::EnsembleAnalysis& analysis);
    void showDecoding(const core::DecodingQuality& quality, const core::Ensemble& pre, QCustomPlot* plot);
    void setDecodingPlotCount(int count);

    core::Network network_;
    std::string id_;
    core::Ensemble pending_;  // the shown ensemble with the controls' changes
    quint64 generation_ = 0, shownGeneration_ = 0;

    QTimer* editTimer_;
    QSpinBox* neuronCount_;
    QComboBox* neuronType_;
    QDoubleSpinBox* radius_;
    QDoubleSpinBox *interceptLow_, *interceptHigh_;
    QDoubleSpinBox *maxRateLow_, *maxRateHigh_;
    QLabel* status_;
    QLabel* heading_;
    QLabel* noDecodingNote_;
    QCustomPlot* tuningPlot_;
    QVBoxLayout* plotsLayout_;
    std::vector<QCustomPlot*> decodingPlots_;
};

}  // namespace ui
