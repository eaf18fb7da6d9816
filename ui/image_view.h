#pragma once
/// Shows one image large: fitted to the widget until the user zooms (wheel, anchored at the cursor),
/// pans with a drag, double-click or Ctrl+0 fits again, Ctrl+1 shows it at 100 % (one image pixel
/// per device pixel). Zoom and pan are ZoomPan's (shared with the canvas). Placeholder text when
/// there is no image. GUI thread.

#include <QImage>
#include <QPointF>
#include <QString>
#include <QWidget>

#include "ui/common/zoom_pan.h"

namespace easel::ui {

class ImageView : public QWidget {
    Q_OBJECT
public:
    explicit ImageView(QWidget* parent = nullptr);

    void setImage(const QImage& image);
    const QImage& image() const { return m_image; }
    void setPlaceholderText(const QString& text);

    /// Widget pixels per image pixel.
    double zoom() const { return m_view.zoom(); }
    /// Zooms keeping the image point under `anchor` (widget coordinates) in place.
    void setZoom(double zoom, const QPointF& anchor);
    void fitToWindow();
    /// 100 %: one image pixel per device pixel, centred.
    void showActualPixels();
    bool isFitted() const { return m_view.isFitted(); }
    /// Widget position of the image's top-left corner.
    QPointF offset() const { return m_view.offset(); }

    static constexpr double kMinZoom = 0.05;
    static constexpr double kMaxZoom = 32.0;

Q_SIGNALS:
    void zoomChanged(double zoom);

protected:
    void paintEvent(QPaintEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    void wheelEvent(QWheelEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void mouseDoubleClickEvent(QMouseEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;

private:
    QImage m_image;
    QString m_placeholder;
    ZoomPan m_view;
};

} // namespace easel::ui
