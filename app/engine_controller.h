#pragma once
/// The studio's adapter over service::GenerationService (engine/service): the service owns the job
/// queue and the engine worker thread, names, saves and records every image; this class turns the
/// service's events into queued Qt signals and mirrors its jobs into JobQueueModel for the views.
/// It also runs small non-generation jobs (system information) on a helper thread of its own.
/// Create and call from the GUI thread.

#include <QImage>
#include <QList>
#include <QObject>
#include <QString>
#include <QStringList>
#include <QThread>

#include <atomic>
#include <functional>
#include <memory>
#include <optional>

#include "app/image_convert.h"
#include "app/job_queue_model.h"
#include "engine/api/image.h"
#include "engine/service/job.h"

namespace easel::service {
class GenerationService;
class Generator;
struct JobEvent;
}

namespace easel::app {

class EngineController : public QObject {
    Q_OBJECT
public:
    explicit EngineController(QObject* parent = nullptr);
    ~EngineController() override;

    /// Runs `work` on the helper thread (not the engine's); it returns a short result text, an
    /// exception becomes jobFailed with its message. Returns the job id (ids of their own).
    int submit(const QString& title, std::function<QString()> work);
    /// Queues a system-info query (exercises the thread and the engine end to end).
    int querySystemInfo();
    bool isBusy() const;

    // --- generation queue (the service's, mirrored) ---------------------------------------------
    JobQueueModel* queue() { return &m_queue; }
    /// Adds a generation with its own options (preview cadence, output folder and pattern) as they
    /// are now; it starts when the jobs before it are done. Returns its id.
    int enqueue(const api::GenerationRequest& request, const service::JobOptions& options = {});
    bool removeJob(int id);
    bool moveJob(int id, int newRow);
    /// Stops the running generation within one sampling step; images it finished stay saved.
    void cancelCurrent();
    /// Cancels every queued job and the running one, and turns generate-forever off.
    void cancelAll();
    /// When on, an empty queue re-runs the last enqueued request with its options (seed -1 stays
    /// random, as in A1111).
    void setGenerateForever(bool on);
    bool generateForever() const { return m_generateForever; }
    int runningJob() const { return m_currentJob; }
    /// The catalog that resolves `<lora:name>` tags and LoRA panel names and records every image.
    /// Takes effect for the service created at the first generation ("" = folders only, no gallery).
    void setCatalogPath(const QString& path) { m_catalogPath = path; }
    /// Where jobs without their own folder write.
    void setDefaultOutputFolder(const QString& folder);

    // --- where generations run ------------------------------------------------------------------
    /// From the next job on, generations run on the Easel server at `url` (app/remote): the same
    /// queue, signals, previews and cancel, and each image the server makes is saved and recorded
    /// here as a local one is. Returns "" or why the address cannot be used (nothing changes then).
    QString useServer(const QString& url, const QString& apiKey);
    /// From the next job on, generations run on this computer again (the default).
    void useLocalEngine();
    bool usesServer() const { return m_generator != nullptr; }

Q_SIGNALS:
    void jobStarted(int id, const QString& title);
    void jobFinished(int id, const QString& result);
    void jobFailed(int id, const QString& message);
    void jobCancelled(int id);
    void jobProgress(int id, int step, int totalSteps, double etaSeconds, const QImage& preview);
    /// One image of a running job was decoded, saved and recorded (the moment it was, not at the end).
    void imageSaved(int id, const QString& path, const QImage& image, const QString& infotext, qint64 catalogId);
    /// A generation ended with images (done, or cancelled after some): paths, images, infotexts.
    void imagesReady(int id, const QStringList& paths, const QList<QImage>& images, const QStringList& infotexts);
    /// The gallery rows the service added for a finished job (empty without a catalog).
    void imagesRecorded(int id, const QList<qint64>& imageIds);
    void queueIdle();

private:
    service::GenerationService& service();
    void onEvent(const service::JobEvent& event);
    void onFinished(const service::JobEvent& event);
    bool anyQueued() const;

    QThread m_thread;
    QObject* m_worker = nullptr; ///< lives on m_thread; helper jobs are posted to it
    int m_nextHelperId = -1;     ///< helper jobs count down from -1, generations up from 1
    std::atomic<int> m_helperJobs{0};

    JobQueueModel m_queue;
    std::unique_ptr<service::GenerationService> m_service;
    std::shared_ptr<service::Generator> m_generator; ///< the server's; null = the local engine
    int m_listener = 0;
    int m_currentJob = 0;
    bool m_generateForever = false;
    std::optional<api::GenerationRequest> m_lastRequest;
    service::JobOptions m_lastOptions;
    QString m_catalogPath;
    QString m_defaultFolder;
    /// Per running job: what imagesReady reports at the end.
    QStringList m_paths, m_infotexts;
    QList<QImage> m_images;
    QList<qint64> m_catalogIds;
};

} // namespace easel::app
