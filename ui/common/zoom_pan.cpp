#include "ui/common/zoom_pan.h"

#include <QWheelEvent>

#include <algorithm>
#include <cmath>

namespace easel::ui {

bool ZoomPan::fit(QSizeF view, QSizeF image)
{
    m_fitted = true;
    const QSizeF room = view - 2 * QSizeF(m_limits.fitMargin, m_limits.fitMargin);
    if (image.isEmpty() || view.isEmpty()) {
        m_zoom = 1.0;
        m_offset = {};
        return false;
    }
    const double zoom = std::min({room.width() / image.width(), room.height() / image.height(), m_limits.fitMaxZoom});
    m_zoom = std::clamp(zoom, m_limits.minZoom, m_limits.maxZoom);
    m_offset = QPointF((view.width() - image.width() * m_zoom) / 2.0, (view.height() - image.height() * m_zoom) / 2.0);
    return true;
}

void ZoomPan::showActualPixels(QSizeF view, QSizeF image, double devicePixelRatio)
{
    m_zoom = std::clamp(1.0 / std::max(devicePixelRatio, 1e-3), m_limits.minZoom, m_limits.maxZoom);
    m_offset = QPointF((view.width() - image.width() * m_zoom) / 2.0, (view.height() - image.height() * m_zoom) / 2.0);
    m_fitted = false;
}

void ZoomPan::setZoom(double zoom, QPointF anchor)
{
    const QPointF imagePoint = mapToImage(anchor);
    m_zoom = std::clamp(zoom, m_limits.minZoom, m_limits.maxZoom);
    m_offset = anchor - imagePoint * m_zoom;
    m_fitted = false;
}

void ZoomPan::wheel(const QWheelEvent& event)
{
    zoomBy(std::pow(m_limits.wheelNotchFactor, event.angleDelta().y() / 120.0), event.position());
}

void ZoomPan::beginPan(QPointF at)
{
    m_panning = true;
    m_panStart = at;
    m_offsetAtPanStart = m_offset;
}

void ZoomPan::panTo(QPointF at)
{
    if (!m_panning)
        return;
    m_offset = m_offsetAtPanStart + (at - m_panStart);
    m_fitted = false;
}

} // namespace easel::ui
