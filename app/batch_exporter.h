#pragma once
/// Runs exportImages() on a pool thread and reports back on the GUI thread: progress per image,
/// cancel between images (each written file stays whole), the result at the end. One export at a
/// time per exporter. GUI thread.

#include <QFuture>
#include <QObject>

#include <atomic>
#include <memory>

#include "app/batch_export.h"

class QThreadPool;

namespace easel::app {

class BatchExporter : public QObject {
    Q_OBJECT
public:
    explicit BatchExporter(QObject* parent = nullptr);
    /// Cancels a running export and waits for the image being written (at most one).
    ~BatchExporter() override;

    /// Starts an export; false when one is still running.
    bool start(const QList<ExportSource>& sources, const ExportOptions& options, QThreadPool* pool = nullptr);
    /// Stops after the image being written; finished() follows with cancelled set.
    void cancel();
    bool isRunning() const { return m_running; }

Q_SIGNALS:
    void progress(int done, int total);
    void finished(const easel::app::ExportResult& result);

private:
    bool m_running = false;
    std::shared_ptr<std::atomic_bool> m_cancel;
    QFuture<void> m_future;
};

} // namespace easel::app
