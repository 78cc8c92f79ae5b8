#pragma once
#include <chrono>
#include <cstdio>

// A progress bar on stderr, shown only when stderr is a terminal and the run
// has already taken about a second (short runs stay quiet).
class ProgressBar {
public:
    explicit ProgressBar(long total);
    ~ProgressBar();
    void update(long done);
    void finish();  // clears the bar so following output starts on a clean line

private:
    long total_;
    bool enabled_;
    bool shown_ = false;
    std::chrono::steady_clock::time_point start_, last_;
};
