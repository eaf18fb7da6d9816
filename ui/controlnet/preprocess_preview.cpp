#include "ui/controlnet/preprocess_preview.h"

#include <QThreadPool>
#include <QTimer>

#include <algorithm>
#include <exception>
#include <string>
#include <utility>
#include <vector>

#include "app/async.h"
#include "app/image_convert.h"
#include "engine/api/preprocessors.h"

namespace easel::ui {

namespace {

struct PreviewResult {
    QImage control;
    QString error;
};

} // namespace

PreprocessPreview::PreprocessPreview(QObject* parent)
    : QObject(parent)
    , m_timer(new QTimer(this))
{
    m_timer->setSingleShot(true);
    m_timer->setInterval(120);
    connect(m_timer, &QTimer::timeout, this, &PreprocessPreview::start);
}

void PreprocessPreview::request(const PreviewRequest& request)
{
    m_next = request;
    m_pending = true;
    ++m_generation; // a result still computing for an older request is dropped when it arrives
    m_timer->start();
}

void PreprocessPreview::start()
{
    m_pending = false;
    const quint64 generation = m_generation;
    ++m_running;
    PreviewRequest r = std::move(m_next);
    m_next = {};
    app::runAsync(
        QThreadPool::globalInstance(), this,
        [r]() -> PreviewResult {
            try {
                api::PreprocessOptions options;
                options.resolution = r.resolution;
                options.thresholdA = r.thresholdA;
                options.thresholdB = r.thresholdB;
                for (const QString& dir : r.onnxSearchDirs)
                    options.onnxSearchDirs.push_back(dir.toStdString());
                const api::Image out =
                    api::preprocessControlImage(r.preprocessor.toStdString(), app::toApiImage(r.image), options);
                return {app::toQImage(out), {}};
            } catch (const std::exception& e) {
                // Engine errors say what to do (e.g. which ONNX file a neural preprocessor needs).
                return {{}, QString::fromStdString(e.what())};
            }
        },
        [this, generation](const PreviewResult& result) {
            --m_running;
            if (generation != m_generation)
                return; // a newer request superseded this one
            Q_EMIT ready(result.control, result.error);
        });
}

} // namespace easel::ui
