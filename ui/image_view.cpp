#include "ui/image_view.h"

#include <QKeyEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QWheelEvent>

namespace easel::ui {

ImageView::ImageView(QWidget* parent)
    : QWidget(parent)
    // Small images are not blown up beyond 4x when fitted: a 64 px image stays recognisable as small.
    , m_view(ZoomPan::Limits{kMinZoom, kMaxZoom, 0.0, 4.0, 1.25})
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
    if (!sameSize || m_view.isFitted())
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
    if (!m_view.fit(size(), m_image.size()))
        return;
    update();
    Q_EMIT zoomChanged(m_view.zoom());
}

void ImageView::showActualPixels()
{
    if (m_image.isNull())
        return;
    m_view.showActualPixels(size(), m_image.size(), devicePixelRatioF());
    update();
    Q_EMIT zoomChanged(m_view.zoom());
}

void ImageView::setZoom(double zoom, const QPointF& anchor)
{
    m_view.setZoom(zoom, anchor);
    update();
    Q_EMIT zoomChanged(m_view.zoom());
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
    p.setRenderHint(QPainter::SmoothPixmapTransform, m_view.smoothAt(devicePixelRatioF()));
    p.drawImage(m_view.imageRect(m_image.size()), m_image);
}

void ImageView::resizeEvent(QResizeEvent* event)
{
    QWidget::resizeEvent(event);
    if (m_view.isFitted())
        fitToWindow();
}

void ImageView::wheelEvent(QWheelEvent* event)
{
    if (m_image.isNull())
        return;
    m_view.wheel(*event);
    update();
    Q_EMIT zoomChanged(m_view.zoom());
    event->accept();
}

void ImageView::mousePressEvent(QMouseEvent* event)
{
    if (event->button() == Qt::LeftButton || event->button() == Qt::MiddleButton) {
        m_view.beginPan(event->position());
        setCursor(Qt::ClosedHandCursor);
        event->accept();
    }
}

void ImageView::mouseMoveEvent(QMouseEvent* event)
{
    if (!m_view.isPanning())
        return;
    m_view.panTo(event->position());
    update();
}

void ImageView::mouseReleaseEvent(QMouseEvent*)
{
    m_view.endPan();
    unsetCursor();
}

void ImageView::mouseDoubleClickEvent(QMouseEvent*) { fitToWindow(); }

void ImageView::keyPressEvent(QKeyEvent* event)
{
    const Qt::KeyboardModifiers modifiers = event->modifiers() & ~Qt::KeypadModifier;
    if (modifiers == Qt::ControlModifier && event->key() == Qt::Key_0)
        fitToWindow();
    else if (modifiers == Qt::ControlModifier && event->key() == Qt::Key_1)
        showActualPixels();
    else
        return QWidget::keyPressEvent(event);
    event->accept();
}

} // namespace easel::ui
