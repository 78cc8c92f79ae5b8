#pragma once
// Saving what a plot shows: its picture, and the full recorded series behind
// it. Every failure throws core::Error naming the file.
#include "simulation/probe_series.h"

#include <QString>
#include <QStringList>

class QCustomPlot;

namespace ui {

// The picture at the plot's size, in the format the suffix names: .png, .svg or .pdf.
void savePlotImage(QCustomPlot& plot, const QString& path);

// A header row "t,<names>", then one row per sample; numbers in the shortest
// form that reads back to the same double.
void saveSeriesCsv(const ProbeSeries& series, const QStringList& names, const QString& path);

// One array, `key`, of shape (1, samples, size): a probe as neuroloom-cli simulate writes it.
void saveSeriesNpz(const ProbeSeries& series, const QString& key, const QString& path);

}  // namespace ui
