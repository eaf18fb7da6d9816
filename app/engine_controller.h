#pragma once
/// Owns the engine worker thread (DESIGN.md, Threading): every engine call runs there, one job at a
/// time; results come back as queued signals carrying value types. Create and call from the GUI thread.

#include <QObject>
#include <QString>
#include <QThread>

#include <atomic>
#include <functional>
#include <memory>

namespace easel::app {

class EngineController : public QObject {
    Q_OBJECT
public:
    explicit EngineController(QObject* parent = nullptr);
    ~EngineController() override;

    /// Queues a job on the engine thread. `work` runs there and returns a short result text;
    /// an exception becomes jobFailed with its message. Returns the job id.
    int submit(const QString& title, std::function<QString()> work);

    /// Queues a system-info query (exercises the thread and the engine end to end).
    int querySystemInfo();

    bool isBusy() const { return m_running.load() > 0; }

Q_SIGNALS:
    void jobStarted(int id, const QString& title);
    void jobFinished(int id, const QString& result);
    void jobFailed(int id, const QString& message);

private:
    QThread m_thread;
    QObject* m_worker = nullptr; ///< lives on m_thread; jobs are posted to it
    int m_nextId = 1;
    std::atomic<int> m_running{0};
};

} // namespace easel::app
