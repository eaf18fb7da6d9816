#include "app/batch_exporter.h"

#include <QMetaObject>
#include <QPointer>
#include <QThreadPool>
#include <QtConcurrent/QtConcurrentRun>

namespace easel::app {

BatchExporter::BatchExporter(QObject* parent)
    : QObject(parent)
{
}

BatchExporter::~BatchExporter()
{
    cancel();
    // The worker posts to `this`; waiting here means no post can outlive the object (posted events
    // still queued are dropped by ~QObject).
    m_future.waitForFinished();
}

bool BatchExporter::start(const QList<ExportSource>& sources, const ExportOptions& options, QThreadPool* pool)
{
    if (m_running)
        return false;
    m_running = true;
    m_cancel = std::make_shared<std::atomic_bool>(false);
    auto cancelled = m_cancel;
    m_future = QtConcurrent::run(pool ? pool : QThreadPool::globalInstance(), [this, sources, options, cancelled] {
        const ExportResult result = exportImages(sources, options, [this, cancelled](int done, int total) {
            QMetaObject::invokeMethod(this, [this, done, total] { Q_EMIT progress(done, total); }, Qt::QueuedConnection);
            return !cancelled->load();
        });
        QMetaObject::invokeMethod(
            this,
            [this, result] {
                m_running = false;
                Q_EMIT finished(result);
            },
            Qt::QueuedConnection);
    });
    return true;
}

void BatchExporter::cancel()
{
    if (m_cancel)
        m_cancel->store(true);
}

} // namespace easel::app
