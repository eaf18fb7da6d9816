#include "app/engine_controller.h"

#include <QDir>
#include <QMetaObject>
#include <QPointer>
#include <QStandardPaths>

#include "app/remote/remote_generator.h"
#include "engine/api/error.h"
#include "engine/api/image_files.h"
#include "engine/api/runtime.h"
#include "engine/api/system_info.h"
#include "engine/service/generation_service.h"
#include "engine/service/job_events.h"

namespace easel::app {

EngineController::EngineController(QObject* parent)
    : QObject(parent)
{
    m_thread.setObjectName(QStringLiteral("easel-helper"));
    m_worker = new QObject;
    m_worker->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    m_thread.start();
    m_defaultFolder = QDir(QStandardPaths::writableLocation(QStandardPaths::PicturesLocation)).filePath("Easel");
}

EngineController::~EngineController()
{
    // The service cancels the running job and joins its thread; events still posted to this object
    // are dropped by Qt with it.
    if (m_service)
        m_service->unsubscribe(m_listener);
    m_service.reset();
    m_thread.quit();
    m_thread.wait();
}

service::GenerationService& EngineController::service()
{
    if (!m_service) {
        service::ServiceConfig config;
        config.catalogPath = m_catalogPath.toStdString();
        config.outputFolder = m_defaultFolder.toStdString();
        config.generator = m_generator;
        m_service = std::make_unique<service::GenerationService>(std::move(config));
        // Events come on the worker thread, or on this one for queue edits made here: handle those at
        // once (the model must show a job as soon as enqueue returns), re-post the others in order.
        QPointer<EngineController> self(this);
        m_listener = m_service->subscribe([self, this](const service::JobEvent& event) {
            if (QThread::currentThread() == thread()) {
                onEvent(event);
                return;
            }
            QMetaObject::invokeMethod(
                this, [self, event] { if (self) self->onEvent(event); }, Qt::QueuedConnection);
        });
    }
    return *m_service;
}

void EngineController::setDefaultOutputFolder(const QString& folder)
{
    m_defaultFolder = folder;
    if (m_service)
        m_service->setOutputFolder(folder.toStdString());
}

QString EngineController::useServer(const QString& url, const QString& apiKey)
{
    try {
        m_generator = std::make_shared<remote::RemoteGenerator>(
            remote::ServerConfig{url.toStdString(), apiKey.toStdString()},
            [](const std::string& path) { return api::readImage(path, /*keepAlpha=*/false); });
    } catch (const api::Error& e) {
        return QString::fromStdString(e.what());
    }
    if (m_service)
        m_service->setGenerator(m_generator);
    return {};
}

void EngineController::useLocalEngine()
{
    m_generator.reset();
    if (m_service)
        m_service->setGenerator(nullptr);
}

bool EngineController::isBusy() const { return m_helperJobs.load() > 0 || m_currentJob != 0 || anyQueued(); }

bool EngineController::anyQueued() const
{
    for (const Job& j : m_queue.jobs())
        if (j.state == JobState::Queued)
            return true;
    return false;
}

int EngineController::submit(const QString& title, std::function<QString()> work)
{
    const int id = m_nextHelperId--;
    ++m_helperJobs;
    QMetaObject::invokeMethod(m_worker, [this, id, title, work = std::move(work)]() {
        QMetaObject::invokeMethod(this, [this, id, title] { Q_EMIT jobStarted(id, title); }, Qt::QueuedConnection);
        QString result, failure;
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
                --m_helperJobs;
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

int EngineController::enqueue(const api::GenerationRequest& request, const service::JobOptions& options)
{
    m_lastRequest = request;
    m_lastOptions = options;
    const int id = static_cast<int>(service().submit(request, options));
    if (m_generateForever)
        service().setGenerateForever(true, request, options);
    return id;
}

bool EngineController::removeJob(int id)
{
    const Job* job = m_queue.job(id);
    if (!job || job->state == JobState::Running)
        return false;
    if (m_service)
        m_service->remove(id); // a job the service has already forgotten is still the model's to drop
    return m_queue.remove(id);
}

bool EngineController::moveJob(int id, int newRow)
{
    // Any row may move in the list; for a queued job the service's run order follows: its place
    // among the queued rows of the model.
    if (!m_queue.move(id, newRow))
        return false;
    const Job* job = m_queue.job(id);
    if (!job || job->state != JobState::Queued || !m_service)
        return true;
    int position = 0;
    for (const Job& j : m_queue.jobs()) {
        if (j.id == id)
            break;
        if (j.state == JobState::Queued)
            ++position;
    }
    m_service->move(id, position);
    return true;
}

void EngineController::cancelCurrent()
{
    if (m_service && m_currentJob)
        m_service->cancel(m_currentJob);
}

void EngineController::cancelAll()
{
    m_generateForever = false;
    if (m_service)
        m_service->cancelAll();
}

void EngineController::setGenerateForever(bool on)
{
    m_generateForever = on;
    if (!on) {
        if (m_service)
            m_service->setGenerateForever(false);
        return;
    }
    if (m_lastRequest)
        service().setGenerateForever(true, *m_lastRequest, m_lastOptions);
}

void EngineController::onEvent(const service::JobEvent& event)
{
    using service::JobEventKind;
    const int id = static_cast<int>(event.id);
    switch (event.kind) {
    case JobEventKind::Queued:
        if (!m_queue.job(id))
            if (auto snapshot = m_service->job(event.id))
                m_queue.add(id, snapshot->request, QString::fromStdString(snapshot->options.title));
        return;
    case JobEventKind::Moved:
    case JobEventKind::Removed:
        return; // the model made the change itself when this class asked for it
    case JobEventKind::Started:
        if (Job* job = m_queue.mutableJob(id)) {
            job->state = JobState::Running;
            job->stage = tr("starting");
            m_queue.changed(id);
        }
        m_currentJob = id;
        m_paths.clear();
        m_infotexts.clear();
        m_images.clear();
        m_catalogIds.clear();
        Q_EMIT jobStarted(id, m_queue.job(id) ? m_queue.job(id)->title : QString());
        return;
    case JobEventKind::Progress: {
        const api::Progress& p = event.progress;
        const QImage preview = p.preview ? toQImage(*p.preview) : QImage();
        if (Job* j = m_queue.mutableJob(id)) {
            j->step = p.step;
            j->totalSteps = p.totalSteps;
            j->etaSeconds = p.etaSeconds;
            j->stage = QString::fromLatin1(api::stageName(p.stage));
            if (!preview.isNull())
                j->preview = preview;
            m_queue.changed(id);
        }
        Q_EMIT jobProgress(id, p.step, p.totalSteps, p.etaSeconds, preview);
        return;
    }
    case JobEventKind::ImageSaved: {
        if (!event.image)
            return;
        const QString path = QString::fromStdString(event.image->path);
        const QImage image = toQImage(event.image->image.image);
        const QString infotext = QString::fromStdString(event.image->image.infotext);
        m_paths << path;
        m_images << image;
        m_infotexts << infotext;
        if (event.image->catalogId)
            m_catalogIds << event.image->catalogId;
        if (Job* j = m_queue.mutableJob(id)) {
            j->outputs << path;
            m_queue.changed(id);
        }
        Q_EMIT imageSaved(id, path, image, infotext, event.image->catalogId);
        return;
    }
    case JobEventKind::Finished:
        onFinished(event);
        return;
    }
}

void EngineController::onFinished(const service::JobEvent& event)
{
    const int id = static_cast<int>(event.id);
    const QString error = QString::fromStdString(event.message);
    if (Job* j = m_queue.mutableJob(id)) {
        j->state = event.state;
        j->error = event.state == JobState::Failed ? error : QString();
        j->warnings.clear();
        for (const auto& w : event.warnings)
            j->warnings << QString::fromStdString(w);
        m_queue.changed(id);
    }
    const bool wasRunning = id == m_currentJob;
    if (wasRunning)
        m_currentJob = 0;
    if (event.state == JobState::Cancelled)
        Q_EMIT jobCancelled(id);
    else if (event.state == JobState::Failed)
        Q_EMIT jobFailed(id, error);
    if (wasRunning && !m_paths.isEmpty()) { // a cancel or failure keeps what was finished
        Q_EMIT imagesReady(id, m_paths, m_images, m_infotexts);
        Q_EMIT imagesRecorded(id, m_catalogIds);
    }
    if (m_service && !m_service->busy() && !m_service->generateForever())
        Q_EMIT queueIdle();
}

} // namespace easel::app
