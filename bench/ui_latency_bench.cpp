// neuroloom-bench-ui-latency: how long the UI thread is kept from its events
// while the training panel trains the x^2 example. A 1 ms precise timer runs
// on the UI thread; every gap between its ticks beyond 1 ms is time the event
// loop was busy (appending batches, replotting the live loss and summary
// charts, painting) or the thread waited for a core. Prints the gaps' median,
// 99th percentile and maximum, idle and while training with each page of live
// charts on screen, beside the 16 ms target (one frame at 60 Hz); then the
// longest event deliveries with the UI thread's own CPU time in them, which
// tells the app's work apart from a busy machine's scheduling.
// Runs offscreen unless QT_QPA_PLATFORM says otherwise.
//
//   neuroloom-bench-ui-latency [--epochs N]   (default 100)
#include "training/training_controller.h"
#include "training/training_panel.h"

#include "io/examples.h"
#include "io/project.h"

#include <qcustomplot.h>

#include <QApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QMetaEnum>
#include <QPushButton>
#include <QTabWidget>
#include <QThread>
#include <QTimer>

#include <algorithm>
#include <ctime>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

namespace {

constexpr double targetMs = 16.0;

struct Gaps {
    std::vector<double> ms;
    std::vector<double> at;  // seconds since the start, when each gap ended

    double percentile(double p) const {
        if (ms.empty()) return 0.0;
        std::vector<double> sorted = ms;
        std::sort(sorted.begin(), sorted.end());
        return sorted[static_cast<size_t>(p / 100.0 * static_cast<double>(sorted.size() - 1))];
    }
    void print(const char* what) const {
        const double worst = percentile(100);
        const size_t w = static_cast<size_t>(std::max_element(ms.begin(), ms.end()) - ms.begin());
        std::printf("%-22s %8zu %9.2f %9.2f %9.2f   %s (worst at %.3f s of %.3f s)\n", what, ms.size(), percentile(50),
                    percentile(99), worst, worst <= targetMs ? "within 16 ms" : "OVER 16 ms", ms.empty() ? 0.0 : at[w],
                    ms.empty() ? 0.0 : at.back());
    }
};

// Records the gaps between ticks of a 1 ms timer until stopped.
class LatencyProbe {
public:
    LatencyProbe() {
        timer_.setTimerType(Qt::PreciseTimer);
        timer_.setInterval(1);
        QObject::connect(&timer_, &QTimer::timeout, [this] {
            const qint64 now = clock_.nsecsElapsed();
            if (last_ >= 0) {
                gaps_.ms.push_back(static_cast<double>(now - last_) / 1e6);
                gaps_.at.push_back(static_cast<double>(now) / 1e9);
            }
            last_ = now;
        });
    }
    void start() {
        gaps_ = {};
        last_ = -1;
        clock_.start();
        timer_.start();
    }
    Gaps stop() {
        timer_.stop();
        return gaps_;
    }

private:
    QTimer timer_;
    QElapsedTimer clock_;
    qint64 last_ = -1;
    Gaps gaps_;
};

void runEvents(int ms) {
    QEventLoop loop;
    QTimer::singleShot(ms, &loop, &QEventLoop::quit);
    loop.exec();
}

// Times every event the application delivers, so that the report can name
// what held the event loop longest (receiver class, event type).
class TimingApplication : public QApplication {
public:
    using QApplication::QApplication;

    struct Slow {
        double ms, cpuMs;  // wall-clock and the UI thread's own CPU time
        std::string what;
    };
    std::vector<Slow> slowest;  // the longest deliveries (wall-clock) while recording, longest first
    Slow costliest{0.0, 0.0, {}};  // the delivery with the most UI-thread CPU time
    bool recording = false;

    bool notify(QObject* receiver, QEvent* event) override {
        if (!recording || depth_ > 0) return QApplication::notify(receiver, event);
        ++depth_;
        QElapsedTimer t;
        t.start();
        const double cpu = threadCpuMs();
        // The event, or the receiver (a deferred delete), may be gone after delivery.
        const int type = event->type();
        const char* className = receiver->metaObject()->className();
        const bool result = QApplication::notify(receiver, event);
        --depth_;
        note(static_cast<double>(t.nsecsElapsed()) / 1e6, threadCpuMs() - cpu, className, type);
        return result;
    }

private:
    static double threadCpuMs() {
        timespec t{};
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
        return static_cast<double>(t.tv_sec) * 1e3 + static_cast<double>(t.tv_nsec) / 1e6;
    }
    void note(double ms, double cpuMs, const char* className, int type) {
        const bool costliestYet = cpuMs > costliest.cpuMs;
        if (!costliestYet && slowest.size() == 5 && ms <= slowest.back().ms) return;
        const char* event = QMetaEnum::fromType<QEvent::Type>().valueToKey(type);
        const Slow slow{ms, cpuMs, std::string(className) + " " + (event ? event : std::to_string(type))};
        if (costliestYet) costliest = slow;
        slowest.push_back(slow);
        std::sort(slowest.begin(), slowest.end(), [](const Slow& a, const Slow& b) { return a.ms > b.ms; });
        if (slowest.size() > 5) slowest.pop_back();
    }
    int depth_ = 0;
};

int epochsArgument(int argc, char** argv) {
    for (int i = 1; i + 1 < argc; ++i)
        if (std::strcmp(argv[i], "--epochs") == 0) return std::max(1, std::atoi(argv[i + 1]));
    return 100;
}

}  // namespace

int main(int argc, char** argv) {
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) qputenv("QT_QPA_PLATFORM", "offscreen");
    TimingApplication app(argc, argv);
    const int epochs = epochsArgument(argc, argv);
    const std::string path = core::examplesDirectory(argv[0]) + "/x_squared_training.nlproj";
    core::Project project = core::loadProject(path);
    project.training->options.epochs = epochs;

    ui::TrainingPanel panel;
    panel.resize(1280, 820);
    panel.setProject(project, QString::fromStdString(std::filesystem::path(path).parent_path().string()));
    panel.show();
    auto* tabs = panel.findChild<QTabWidget*>("trainingTabs");

    double load[1] = {0.0};
    getloadavg(load, 1);
    std::printf("UI thread latency while training '%s' (%d epochs, minibatch %d, summaries of %zu objects)\n"
                "%d cores, load average %.1f before starting (other processes lengthen the gaps)\n",
                project.title.c_str(), epochs, project.training->minibatchSize, project.training->options.summaries.size(),
                QThread::idealThreadCount(), load[0]);
    std::printf("gaps of a 1 ms timer    samples    median       p99       max   (ms; target: max <= %.0f ms)\n", targetMs);

    // The first layout and paint of the panel, and the data check, are not idle time.
    runEvents(500);
    LatencyProbe probe;
    probe.start();
    runEvents(1000);
    probe.stop().print("idle");

    // One run with each page of live charts on screen.
    ui::TrainingController* controller = panel.controller();
    QEventLoop loop;  // (QApplication::quit would close the panel)
    QObject::connect(controller, &ui::TrainingController::runEnded, &loop, &QEventLoop::quit);
    auto* train = panel.findChild<QPushButton*>("trainButton");
    const std::pair<int, const char*> pages[] = {{1, "training (Loss)"}, {2, "training (Distributions)"}, {3, "training (Histograms)"}};
    for (const auto& [page, name] : pages) {
        tabs->setCurrentIndex(page);
        runEvents(300);  // showing the page (a user's click) is not training's doing
        QElapsedTimer wall;
        probe.start();
        wall.start();
        app.slowest.clear();
        app.costliest = {};
        app.recording = true;
        QTimer::singleShot(0, train, &QPushButton::click);
        loop.exec();
        app.recording = false;
        probe.stop().print(name);
        const ui::TrainingRun& run = controller->runs().back();
        if (run.outcome == ui::RunOutcome::Failed) {
            std::printf("training failed: %s\n", run.message.toStdString().c_str());
            return 1;
        }
        std::printf("  run '%s': %zu steps in %.2f s, last epoch loss %.3g\n", run.summary.label.c_str(),
                    run.summary.stepLoss.size(), static_cast<double>(wall.elapsed()) / 1000.0,
                    run.summary.epochLoss.empty() ? 0.0 : run.summary.epochLoss.back());
        std::printf("  longest event deliveries (ms wall / ms UI-thread CPU):");
        for (const auto& slow : app.slowest) std::printf(" %.1f/%.1f %s;", slow.ms, slow.cpuMs, slow.what.c_str());
        const double cpu = app.costliest.cpuMs;
        std::printf("\n  the UI thread's costliest event: %.1f ms CPU (%s), %s; wall time beyond the CPU time is waiting for a core",
                    cpu, app.costliest.what.c_str(), cpu <= targetMs ? "within 16 ms" : "OVER 16 ms");
        std::printf("\n  replot time of the charts on screen (ms, mean of the last ones):");
        for (const QCustomPlot* plot : panel.findChildren<QCustomPlot*>())
            if (plot->isVisible()) std::printf(" %s %.2f", plot->objectName().toStdString().c_str(), plot->replotTime(true));
        std::printf("\n");
    }
    return 0;
}
