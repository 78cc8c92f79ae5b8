#include "progress.h"

#include <unistd.h>

ProgressBar::ProgressBar(long total)
    : total_(total), enabled_(isatty(STDERR_FILENO) == 1), start_(std::chrono::steady_clock::now()), last_(start_) {}

ProgressBar::~ProgressBar() { finish(); }

void ProgressBar::finish() {
    if (shown_) std::fputs("\r\033[K", stderr);
    shown_ = false;
}

void ProgressBar::update(long done) {
    if (!enabled_) return;
    const auto now = std::chrono::steady_clock::now();
    const double elapsed = std::chrono::duration<double>(now - start_).count();
    if (elapsed < 1.0 || now - last_ < std::chrono::milliseconds(100)) return;
    last_ = now;
    shown_ = true;
    constexpr int width = 40;
    const double fraction = total_ > 0 ? static_cast<double>(done) / total_ : 1.0;
    const int filled = static_cast<int>(fraction * width);
    const double left = fraction > 0 ? elapsed * (1.0 - fraction) / fraction : 0.0;
    std::fprintf(stderr, "\r[%-*.*s] %5.1f%%  %.0f s left ", width, filled,
                 "########################################", 100.0 * fraction, left);
    std::fflush(stderr);
}
