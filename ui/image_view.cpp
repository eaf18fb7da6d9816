#include "ui/image_view.h"

#include <QMouseEvent>
#include <QPainter>
#include <QWheelEvent>

#include <algorithm>
#include <cmath>

namespace easel::ui {

ImageView::ImageView(QWidget* parent)
    : QWidget(parent)
{
    setObjectName(QStringLiteral("ImageView"));
    setMinimumSize(256, 256);
    setMouseTracking(false);
    setFocusPolicy(Qt::ClickFocus);
}

void ImageView::setImage(const QImage& image)
{
    const bool sameSize = !m_image.isNull() && image.size() == m_image.size();
    m_image = image;
    // A new preview step or the final image of the same size keeps the user's zoom and pan.
    if (!sameSize || m_fitted)
        fitToWindow();
    update();
}

void ImageView::setPlaceholderText(const QString& text)
{
    m_placeholder = text;
    update();
}

void ImageView::fitToWindow()
{
    m_fitted = true;
    if (m_image.isNull() || width() <= 0 || height() <= 0) {
        m_zoom = 1.0;
        m_offset = {};
        return;
    }
    // Small images are not blown up beyond 4x: a 64 px image stays recognisable as small.
    m_zoom = std::min({width() / double(m_image.width()), height() / double(m_image.height()), 4.0});
    m_offset = QPointF((width() - m_image.width() * m_zoom) / 2, (height() - m_image.height() * m_zoom) / 2);
    update();
    Q_EMIT zoomChanged(m_zoom);
}

void ImageView::setZoom(double zoom, const QPointF& anchor)
{
    zoom = std::clamp(zoom, kMinZoom, kMaxZoom);
    const QPointF imagePoint = (anchor - m_offset) / m_zoom;
    m_zoom = zoom;
    m_offset = anchor - imagePoint * m_zoom;
    m_fitted = false;
    update();
    Q_EMIT zoomChanged(m_zoom);
}

void ImageView::paintEvent(QPaintEvent*)
{
    QPainter p(this);
    p.fillRect(rect(), palette().color(QPalette::Dark));
    if (m_image.isNull()) {
        p.setPen(palette().color(QPalette::BrightText));
        p.drawText(rect().adjusted(16, 16, -16, -16), Qt::AlignCenter | Qt::TextWordWrap, m_placeholder);
        return;
    }
    // Nearest neighbour when magnifying, so pixels stay visible; smooth when shrinking.
    p.setRenderHint(QPainter::SmoothPixmapTransform, m_zoom < 1.0);
    p.drawImage(QRectF(m_offset, QSizeF(m_image.size()) * m_zoom), m_image);
}

void ImageView::resizeEvent(QResizeEvent* event)
{
    QWidget::resizeEvent(event);
    if (m_fitted)
        fitToWindow();
}

void ImageView::wheelEvent(QWheelEvent* event)
{
    if (m_image.isNull())
        return;
    const double steps = event->angleDelta().y() / 120.0;
    setZoom(m_zoom * std::pow(1.25, steps), event->position());
    event->accept();
}

void ImageView::mousePressEvent(QMouseEvent* event)
{
    if (event->button() == Qt::LeftButton || event->button() == Qt::MiddleButton) {
        m_dragging = true;
        m_dragStart = event->position();
        m_offsetAtDragStart = m_offset;
        setCursor(Qt::ClosedHandCursor);
        event->accept();
    }
}

void ImageView::mouseMoveEvent(QMouseEvent* event)
{
    if (!m_dragging)
        return;
    m_offset = m_offsetAtDragStart + (event->position() - m_dragStart);
    m_fitted = false;
    update();
}

void ImageView::mouseReleaseEvent(QMouseEvent*)
{
    m_dragging = false;
    unsetCursor();
}

void ImageView::mouseDoubleClickEvent(QMouseEvent*) { fitToWindow(); }

} // namespace easel::ui
