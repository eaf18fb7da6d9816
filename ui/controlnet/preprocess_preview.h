#pragma once
/// Live preview of a ControlNet preprocessor: runs the engine's preprocessor (a torch-free header,
/// engine/controlnet/preprocessors.h) on a pool thread, never on the GUI thread, and reports only
/// the newest request's result; older ones still running are dropped when they finish. Requests
/// arriving in a burst (slider drags) are coalesced by a short timer. GUI thread.

#include <QImage>
#include <QObject>
#include <QString>
#include <QStringList>

class QTimer;

namespace easel::ui {

struct PreviewRequest {
    QImage image;                 ///< the unit's picture
    QString preprocessor;         ///< module name ("canny")
    int resolution = 512;         ///< processor resolution (short side)
    double thresholdA = -1;
    double thresholdB = -1;
    QStringList onnxSearchDirs;   ///< for neural preprocessors
};

class PreprocessPreview : public QObject {
    Q_OBJECT
public:
    explicit PreprocessPreview(QObject* parent = nullptr);

    /// Schedules a preview; replaces any request not yet started.
    void request(const PreviewRequest& request);
    /// True while a preview is scheduled or computing.
    bool isBusy() const { return m_pending || m_running > 0; }

Q_SIGNALS:
    /// The newest request's control image, or `error` (engine message) when it failed.
    void ready(const QImage& control, const QString& error);

private:
    void start();

    QTimer* m_timer = nullptr;
    PreviewRequest m_next;
    bool m_pending = false;
    int m_running = 0;
    quint64 m_generation = 0;
};

} // namespace easel::ui
