#pragma once
/// BrushTip: the round, soft-edged stamp the mask brush and eraser paint with. Any thread (value type).

#include <QRect>
#include <QPointF>

namespace easel::ui {

struct BrushTip {
    double size = 48.0;     ///< diameter in image pixels
    double hardness = 0.8;  ///< 0 = soft all the way from the centre, 1 = hard edge

    static constexpr double kMinSize = 1.0;
    static constexpr double kMaxSize = 1024.0;

    /// Coverage in [0, 1] of a pixel whose centre lies `distance` image pixels from the stamp centre.
    double coverage(double distance) const;
    /// Pixels a stamp centred at `centre` (image coordinates, pixel centres at i + 0.5) can touch.
    QRect stampRect(QPointF centre) const;
    /// Distance between stamps along a stroke: close enough that a soft edge does not scallop.
    double spacing() const;
};

} // namespace easel::ui
