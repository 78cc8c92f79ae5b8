#include "plots/plot_export.h"

#include "common/error.h"
#include "io/atomic_file.h"
#include "io/npy.h"

#include <QFileInfo>
#include <QSvgGenerator>
#include <qcustomplot.h>

#include <array>
#include <charconv>

namespace ui {

namespace {

bool saveSvg(QCustomPlot& plot, const QString& path) {
    QSvgGenerator svg;
    svg.setFileName(path);
    svg.setSize(plot.size());
    svg.setViewBox(QRect(QPoint(0, 0), plot.size()));
    svg.setTitle(plot.windowTitle());
    QCPPainter painter;
    if (!painter.begin(&svg)) return false;
    painter.setMode(QCPPainter::pmVectorized);  // as QCustomPlot's own PDF export does
    painter.setMode(QCPPainter::pmNoCaching);
    plot.toPainter(&painter, plot.width(), plot.height());
    return painter.end();
}

void appendNumber(std::string& out, double v) {
    std::array<char, 32> buffer;
    const auto result = std::to_chars(buffer.data(), buffer.data() + buffer.size(), v);
    out.append(buffer.data(), result.ptr);
}

// A CSV field: quoted when it holds a comma, quote or line break.
std::string csvField(const QString& text) {
    std::string s = text.toStdString();
    if (s.find_first_of(",\"\n") == std::string::npos) return s;
    std::string quoted = "\"";
    for (char c : s) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
    return quoted + "\"";
}

}  // namespace

void savePlotImage(QCustomPlot& plot, const QString& path) {
    const QString suffix = QFileInfo(path).suffix().toLower();
    bool saved = false;
    if (suffix == "png")
        saved = plot.savePng(path, plot.width(), plot.height());
    else if (suffix == "svg")
        saved = saveSvg(plot, path);
    else if (suffix == "pdf")
        saved = plot.savePdf(path, plot.width(), plot.height());
    else
        throw core::Error("unknown image format '" + suffix.toStdString() + "' (use .png, .svg or .pdf)",
                          path.toStdString());
    if (!saved || QFileInfo(path).size() == 0) throw core::Error("could not write the image", path.toStdString());
}

void saveSeriesCsv(const ProbeSeries& series, const QStringList& names, const QString& path) {
    if (names.size() != series.size)
        throw core::Error("needs one column name per dimension", path.toStdString(), {}, "names");
    std::string text = "t";
    for (const QString& name : names) text += "," + csvField(name);
    text += "\n";
    for (long s = 0; s < series.samples(); ++s) {
        appendNumber(text, series.times[s]);
        for (int i = 0; i < series.size; ++i) {
            text += ',';
            appendNumber(text, series.at(s, i));
        }
        text += '\n';
    }
    core::writeFileAtomically(path.toStdString(), text);
}

void saveSeriesNpz(const ProbeSeries& series, const QString& key, const QString& path) {
    core::NpyArray array;
    array.shape = {1, static_cast<size_t>(series.samples()), static_cast<size_t>(series.size)};
    array.values = series.values;  // [sample][element] is numpy's C order for (1, samples, size)
    core::writeNpz(path.toStdString(), {{key.toStdString(), std::move(array)}});
}

}  // namespace ui
