#pragma once
// Work that must not run on the UI thread: `work` runs on a thread of its own
// and `done` receives its result on the receiver's thread (by a queued
// signal), unless the receiver is gone by then. `work` must not throw: it
// reports failures in its result.
#include <QObject>
#include <QThread>

#include <functional>
#include <memory>
#include <optional>

namespace ui {

// Returns the thread so that an owner can wait for it before it goes away;
// the thread deletes itself once finished (and `done` has been queued).
template <class Result>
QThread* startBackgroundJob(QObject* receiver, std::function<Result()> work, std::function<void(Result)> done) {
    auto result = std::make_shared<std::optional<Result>>();
    QThread* thread = QThread::create([result, work = std::move(work)] { result->emplace(work()); });
    QObject::connect(thread, &QThread::finished, receiver, [result, done = std::move(done)] { done(std::move(**result)); });
    QObject::connect(thread, &QThread::finished, thread, &QObject::deleteLater);
    thread->start();
    return thread;
}

}  // namespace ui
