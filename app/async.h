#pragma once
/// Runs `work` on a thread pool and hands its result to `done` on `context`'s thread, unless
/// `context` was destroyed meanwhile (the watcher is its child). Exceptions stay on the pool thread:
/// `work` must catch what it can throw (DESIGN.md, Errors). GUI thread.

#include <QFutureWatcher>
#include <QObject>
#include <QThreadPool>
#include <QtConcurrent/QtConcurrentRun>

#include <utility>

namespace easel::app {

template <typename Work, typename Done>
void runAsync(QThreadPool* pool, QObject* context, Work&& work, Done&& done)
{
    using Result = decltype(work());
    auto* watcher = new QFutureWatcher<Result>(context);
    QObject::connect(watcher, &QFutureWatcherBase::finished, context,
                     [watcher, done = std::forward<Done>(done)]() mutable {
                         watcher->deleteLater();
                         done(watcher->result());
                     });
    watcher->setFuture(QtConcurrent::run(pool, std::forward<Work>(work)));
}

} // namespace easel::app
