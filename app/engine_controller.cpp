#include "app/engine_controller.h"

#include <QDate>
#include <QDir>
#include <QFileInfo>
#include <QMetaObject>
#include <QStandardPaths>

#include "engine/api/engine.h"
#include "engine/api/error.h"
#include "engine/api/logging.h"
#include "engine/api/runtime.h"
#include "engine/api/system_info.h"
#include "engine/catalog/name_lookup.h"
#include "engine/image/image_file.h"

namespace easel::app {

QImage toQImage(const api::Image& image)
{
    if (image.empty())
        return {};
    const QImage::Format format = image.channels == 4   ? QImage::Format_RGBA8888
                                  : image.channels == 1 ? QImage::Format_Grayscale8
                                                        : QImage::Format_RGB888;
    return QImage(image.pixels.data(), image.width, image.height, image.width * image.channels, format).copy();
}

EngineController::EngineController(QObject* parent)
    : QObject(parent)
{
    m_thread.setObjectName(QStringLiteral("easel-engine"));
    m_worker = new QObject;
    m_worker->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    m_thread.start();
    m_outputFolder = QDir(QStandardPaths::writableLocation(QStandardPaths::PicturesLocation)).filePath("Easel");
}

EngineController::~EngineController()
{
    if (m_stop)
        m_stop->requestStop();
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

void EngineController::setOutput(const QString& folder, const QString& pattern)
{
    m_outputFolder = folder;
    m_outputPattern = pattern;
}

int EngineController::enqueue(const api::GenerationRequest& request)
{
    const int id = m_queue.add(request);
    m_lastRequest = request;
    startNext();
    return id;
}

void EngineController::cancelCurrent()
{
    if (m_stop)
        m_stop->requestStop();
}

void EngineController::cancelAll()
{
    m_generateForever = false;
    for (const Job& j : m_queue.jobs()) {
        if (j.state != JobState::Queued)
            continue;
        Job* job = m_queue.mutableJob(j.id);
        job->state = JobState::Cancelled;
        m_queue.changed(j.id);
        Q_EMIT jobCancelled(j.id);
    }
    cancelCurrent();
}

void EngineController::setGenerateForever(bool on)
{
    m_generateForever = on;
    if (on)
        startNext();
}

void EngineController::startNext()
{
    if (m_currentJob != 0)
        return;
    Job* job = m_queue.nextQueued();
    if (!job && m_generateForever && m_lastRequest) {
        m_queue.add(*m_lastRequest);
        job = m_queue.nextQueued();
    }
    if (!job) {
        Q_EMIT queueIdle();
        return;
    }
    job->state = JobState::Running;
    job->stage = tr("starting");
    m_currentJob = job->id;
    m_queue.changed(job->id);
    Q_EMIT jobStarted(job->id, job->title);

    m_stop = std::make_shared<api::StopToken>();
    const int id = job->id;
    const api::GenerationRequest request = job->request;
    const QString folder = m_outputFolder;
    const QString pattern = m_outputPattern;
    const int previewEvery = m_previewEvery;
    const QString catalogPath = m_catalogPath;
    const int firstIndex = m_imageCounter;
    std::shared_ptr<api::StopToken> stop = m_stop;
    ++m_running;
    QMetaObject::invokeMethod(m_worker, [=, this]() {
        QStringList paths, infotexts, warnings;
        QList<QImage> images;
        QString error;
        bool cancelled = false;
        try {
            if (!m_engine) {
                api::EngineOptions options{previewEvery, {}};
                if (!catalogPath.isEmpty())
                    options.nameLookup = catalog::catalogNameLookup(catalogPath.toStdString());
                m_engine = std::make_unique<api::Engine>(std::move(options));
            }
            auto onProgress = [this, id](const api::Progress& p) {
                const QImage preview = p.preview ? toQImage(*p.preview) : QImage();
                const QString stage = QString::fromStdString(p.stage);
                QMetaObject::invokeMethod(
                    this,
                    [this, id, p, preview, stage] {
                        if (Job* j = m_queue.mutableJob(id)) {
                            j->step = p.step;
                            j->totalSteps = p.totalSteps;
                            j->etaSeconds = p.etaSeconds;
                            j->stage = stage;
                            if (!preview.isNull())
                                j->preview = preview;
                            m_queue.changed(id);
                        }
                        Q_EMIT jobProgress(id, p.step, p.totalSteps, p.etaSeconds, preview);
                    },
                    Qt::QueuedConnection);
            };
            const api::GenerationResult result = m_engine->generate(request, onProgress, stop.get());
            for (const auto& w : m_engine->warnings())
                warnings << QString::fromStdString(w);
            // Generated first, written after: a cancel or failure leaves no files (and no rows).
            const QString date = QDate::currentDate().toString(Qt::ISODate);
            const QString model = QFileInfo(QString::fromStdString(request.model)).completeBaseName();
            int index = firstIndex;
            for (const auto& img : result.images) {
                QString name = pattern;
                name.replace("{date}", date)
                    .replace("{seed}", QString::number(img.seed))
                    .replace("{index}", QStringLiteral("%1").arg(index++, 5, 10, QLatin1Char('0')))
                    .replace("{model}", model);
                const QString path = QDir(folder).filePath(name);
                image::writeImageFile(img.image, path.toStdString(), img.infotext);
                paths << path;
                infotexts << QString::fromStdString(img.infotext);
                images << toQImage(img.image);
            }
        } catch (const api::Error& e) {
            cancelled = e.code() == api::ErrorCode::Cancelled;
            error = QString::fromStdString(e.what());
        } catch (const std::exception& e) {
            error = QStringLiteral("internal error: ") + QString::fromStdString(e.what());
        }
        QMetaObject::invokeMethod(
            this, [=, this] { onGenerationDone(id, paths, images, infotexts, warnings, error, cancelled); },
            Qt::QueuedConnection);
    }, Qt::QueuedConnection);
}

void EngineController::onGenerationDone(int id, const QStringList& paths, const QList<QImage>& images,
                                        const QStringList& infotexts, const QStringList& warnings, const QString& error,
                                        bool cancelled)
{
    --m_running;
    m_currentJob = 0;
    m_stop.reset();
    m_imageCounter += paths.size();
    if (Job* j = m_queue.mutableJob(id)) {
        j->outputs = paths;
        j->warnings = warnings;
        j->error = error;
        j->state = cancelled ? JobState::Cancelled : error.isEmpty() ? JobState::Done : JobState::Failed;
        m_queue.changed(id);
    }
    if (cancelled)
        Q_EMIT jobCancelled(id);
    else if (!error.isEmpty())
        Q_EMIT jobFailed(id, error);
    else
        Q_EMIT imagesReady(id, paths, images, infotexts);
    startNext();
}

} // namespace easel::app
