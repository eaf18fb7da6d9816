#include "ui/canvas/brush_tip.h"

#include <algorithm>
#include <cmath>

namespace easel::ui {

double BrushTip::coverage(double distance) const
{
    const double radius = size / 2.0;
    // A one-pixel ramp at the rim antialiases hard brushes; soft ones already reach zero there.
    const double rim = std::clamp(radius + 0.5 - distance, 0.0, 1.0);
    const double inner = std::clamp(hardness, 0.0, 1.0) * radius;
    if (distance <= inner || radius - inner < 1e-6)
        return rim;
    const double t = std::min(1.0, (distance - inner) / (radius - inner));
    // (1 - t^2)^2 falls from 1 to 0 with zero slope at both ends, so the soft edge has no visible ring.
    const double u = 1.0 - t * t;
    return std::min(rim, u * u);
}

QRect BrushTip::stampRect(QPointF centre) const
{
    const double reach = size / 2.0 + 1.0;
    const int left = static_cast<int>(std::floor(centre.x() - reach));
    const int top = static_cast<int>(std::floor(centre.y() - reach));
    const int right = static_cast<int>(std::ceil(centre.x() + reach));
    const int bottom = static_cast<int>(std::ceil(centre.y() + reach));
    return QRect(QPoint(left, top), QPoint(right, bottom));
}

double BrushTip::spacing() const
{
    // A tenth of the diameter (Krita and Photoshop default to 10-25 %); the stroke keeps the maximum
    // coverage of its stamps, so a denser spacing only costs time, never darkens the stroke.
    return std::max(0.5, size * 0.1);
}

} // namespace easel::ui
