#include "ui/canvas/mask_stroke.h"

#include <algorithm>
#include <cmath>

namespace easel::ui {

MaskStroke::MaskStroke(QImage* mask, MaskTool tool, BrushTip tip)
    : m_mask(mask)
    , m_before(*mask)
    , m_tool(tool)
    , m_tip(tip)
    , m_coverage(static_cast<std::size_t>(mask->width()) * static_cast<std::size_t>(mask->height()), 0)
{
}

QRect MaskStroke::lineTo(QPointF point)
{
    if (!m_started) {
        m_started = true;
        m_last = point;
        m_sinceStamp = 0.0;
        return stamp(point);
    }
    const QPointF delta = point - m_last;
    const double length = std::hypot(delta.x(), delta.y());
    if (length <= 0.0)
        return {};
    const double spacing = m_tip.spacing();
    const QPointF direction = delta / length;
    QRect changed;
    double position = spacing - m_sinceStamp;
    while (position <= length) {
        changed |= stamp(m_last + direction * position);
        position += spacing;
    }
    m_sinceStamp = length - (position - spacing);
    m_last = point;
    return changed;
}

QRect MaskStroke::finish()
{
    if (!m_started || m_sinceStamp <= 0.0)
        return {};
    m_sinceStamp = 0.0;
    return stamp(m_last);
}

QRect MaskStroke::stamp(QPointF centre)
{
    const QRect rect = m_tip.stampRect(centre) & m_mask->rect();
    if (rect.isEmpty())
        return {};
    const int width = m_mask->width();
    const bool erase = m_tool == MaskTool::Eraser;
    for (int y = rect.top(); y <= rect.bottom(); ++y) {
        const double dy = y + 0.5 - centre.y();
        const uchar* before = m_before.constScanLine(y);
        uchar* out = m_mask->scanLine(y);
        std::uint8_t* coverage = m_coverage.data() + static_cast<std::size_t>(y) * width;
        for (int x = rect.left(); x <= rect.right(); ++x) {
            const double dx = x + 0.5 - centre.x();
            const int c = static_cast<int>(std::lround(m_tip.coverage(std::sqrt(dx * dx + dy * dy)) * 255.0));
            if (c <= coverage[x])
                continue;
            coverage[x] = static_cast<std::uint8_t>(c);
            const int b = before[x];
            // Brush: coverage "over" the old mask; eraser: the old mask scaled by what is left.
            const int value = erase ? (b * (255 - c) + 127) / 255 : b + ((255 - b) * c + 127) / 255;
            out[x] = static_cast<uchar>(value);
        }
    }
    m_changed |= rect;
    return rect;
}

} // namespace easel::ui
