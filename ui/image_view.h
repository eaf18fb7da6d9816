#pragma once
/// Shows one image large: fitted to the widget until the user zooms (wheel, anchored at the cursor),
/// pans with a drag, double-click fits again. Placeholder text when there is no image. GUI thread.

#include <QImage>
#include <QPointF>
#include <QString>
#include <QWidget>

namespace easel::ui {

class ImageView : public QWidget {
    Q_OBJECT
public:
    explicit ImageView(QWidget* parent = nullptr);

    void setImage(const QImage& image);
    const QImage& image() const { return m_image; }
    void setPlaceholderText(const QString& text);

    /// Screen pixels per image pixel.
    double zoom() const { return m_zoom; }
    /// Zooms keeping the image point under `anchor` (widget coordinates) in place.
    void setZoom(double zoom, const QPointF& anchor);
    void fitToWindow();
    bool isFitted() const { return m_fitted; }
    /// Widget position of the image's top-left corner.
    QPointF offset() const { return m_offset; }

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

private:
    QImage m_image;
    QString m_placeholder;
    double m_zoom = 1.0;
    QPointF m_offset;
    bool m_fitted = true;
    bool m_dragging = false;
    QPointF m_dragStart;
    QPointF m_offsetAtDragStart;
};

} // namespace easel::ui
