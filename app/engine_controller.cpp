#include "app/engine_controller.h"

#include <QMetaObject>

#include "engine/api/error.h"
#include "engine/api/runtime.h"
#include "engine/api/system_info.h"

namespace easel::app {

EngineController::EngineController(QObject* parent)
    : QObject(parent)
{
    m_thread.setObjectName(QStringLiteral("easel-engine"));
    m_worker = new QObject;
    m_worker->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    m_thread.start();
}

EngineController::~EngineController()
{
    m_thread.quit();
    m_thread.wait();
}

int EngineController::submit(const QString& title, std::function<QString()> work)
{
    const int id = m_nextId++;
    ++m_running;
    QMetaObject::invokeMethod(m_worker, [this, id, title, work = std::move(work)]() {
        QMetaObject::invokeMethod(this, [this, id, title] { Q_EMIT jobStarted(id, title); }, Qt::QueuedConnection);
        QString result;
        QString failure;
        // Exceptions stop here: none may cross the thread boundary (DESIGN.md, Errors).
        try {
            result = work();
        } catch (const api::Error& e) {
            failure = QString::fromStdString(e.what());
        } catch (const std::exception& e) {
            failure = QStringLiteral("internal error: ") + QString::fromStdString(e.what());
        }
        QMetaObject::invokeMethod(
            this,
            [this, id, result, failure] {
                --m_running;
                if (failure.isEmpty())
                    Q_EMIT jobFinished(id, result);
                else
                    Q_EMIT jobFailed(id, failure);
            },
            Qt::QueuedConnection);
    }, Qt::QueuedConnection);
    return id;
}

int EngineController::querySystemInfo()
{
    return submit(tr("System information"),
                  [] { return QString::fromStdString(api::formatSystemInfo(api::querySystemInfo())); });
}

} // namespace easel::app
