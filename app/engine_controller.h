#pragma once
/// Owns the engine worker thread (DESIGN.md, Threading): every engine call runs there, one job at a
/// time; results come back as queued signals carrying value types. The generation queue (add,
/// reorder, remove, cancel current, cancel all, generate forever) is driven from here.
/// Create and call from the GUI thread.

#include <QImage>
#include <QObject>
#include <QString>
#include <QThread>

#include <atomic>
#include <functional>
#include <memory>
#include <optional>

#include "app/job_queue_model.h"
#include "engine/api/image.h"
#include "engine/api/progress.h"

namespace easel::api {
class Engine;
}

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

    // --- generation queue ----------------------------------------------------------------------
    JobQueueModel* queue() { return &m_queue; }
    /// Adds a generation; it starts when the jobs before it are done. Returns its id.
    int enqueue(const api::GenerationRequest& request);
    bool removeJob(int id) { return m_queue.remove(id); }
    bool moveJob(int id, int newRow) { return m_queue.move(id, newRow); }
    /// Stops the running generation within one sampling step; it writes nothing.
    void cancelCurrent();
    /// Cancels every queued job and the running one, and turns generate-forever off.
    void cancelAll();
    /// When on, an empty queue re-queues the last request (seed -1 stays random, as in A1111).
    void setGenerateForever(bool on);
    bool generateForever() const { return m_generateForever; }
    /// Where images are written and how they are named ({date} {seed} {index} {model}).
    void setOutput(const QString& folder, const QString& pattern = QStringLiteral("{date}/{index}-{seed}.png"));
    int runningJob() const { return m_currentJob; }
    void setPreviewEverySteps(int steps) { m_previewEvery = steps; }
    /// The catalog that resolves `<lora:name>` tags and LoRA panel names (by file name or alias)
    /// before the LoRA folders are searched. Set before the first generation ("" = folders only).
    void setCatalogPath(const QString& path) { m_catalogPath = path; }

Q_SIGNALS:
    void jobStarted(int id, const QString& title);
    void jobFinished(int id, const QString& result);
    void jobFailed(int id, const QString& message);
    void jobCancelled(int id);
    void jobProgress(int id, int step, int totalSteps, double etaSeconds, const QImage& preview);
    /// A generation wrote its images: file paths, the images and their A1111 infotexts.
    void imagesReady(int id, const QStringList& paths, const QList<QImage>& images, const QStringList& infotexts);
    void queueIdle();

private:
    void startNext();
    void onGenerationDone(int id, const QStringList& paths, const QList<QImage>& images, const QStringList& infotexts,
                          const QStringList& warnings, const QString& error, bool cancelled);

    QThread m_thread;
    QObject* m_worker = nullptr; ///< lives on m_thread; jobs are posted to it
    int m_nextId = 1;
    std::atomic<int> m_running{0};

    JobQueueModel m_queue;
    std::unique_ptr<api::Engine> m_engine; ///< used on the worker thread only
    std::shared_ptr<api::StopToken> m_stop;
    int m_currentJob = 0;
    bool m_generateForever = false;
    std::optional<api::GenerationRequest> m_lastRequest;
    QString m_outputFolder;
    QString m_outputPattern = QStringLiteral("{date}/{index}-{seed}.png");
    int m_previewEvery = 0;
    QString m_catalogPath;
    int m_imageCounter = 0;
};

/// 8-bit RGB/RGBA/gray image as a QImage (deep copy).
QImage toQImage(const api::Image& image);

} // namespace easel::app
