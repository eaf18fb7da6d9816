#pragma once
/// MaskStroke: one press-drag-release of the mask brush or eraser. Soft round stamps are placed
/// along the path at the tip's spacing; the stroke keeps, per pixel, the highest coverage any of
/// its stamps gave and composites that once over the mask as it was before the stroke, so a
/// stroke looks the same however fast the pointer moved. GUI thread (works on the caller's image).

#include <QImage>
#include <QPointF>
#include <QRect>

#include <cstdint>
#include <vector>

#include "ui/canvas/brush_tip.h"

namespace easel::ui {

enum class MaskTool { Brush, Eraser };

class MaskStroke {
public:
    /// `mask` (Format_Grayscale8) is painted in place and must outlive the stroke.
    MaskStroke(QImage* mask, MaskTool tool, BrushTip tip);

    /// Extends the stroke to `point` (image coordinates; pixel centres at i + 0.5). Returns the
    /// pixels that changed (empty when none).
    QRect lineTo(QPointF point);
    /// Puts a last stamp at the end point when the spacing left it short. Returns changed pixels.
    QRect finish();

    /// Every pixel the stroke may have changed, within the mask.
    QRect changedRect() const { return m_changed; }
    /// The mask before the stroke, cropped to `rect`.
    QImage before(const QRect& rect) const { return m_before.copy(rect); }

private:
    QRect stamp(QPointF centre);

    QImage* m_mask;
    QImage m_before;                   ///< implicitly shared: costs a copy only once the mask is written
    MaskTool m_tool;
    BrushTip m_tip;
    std::vector<std::uint8_t> m_coverage;
    QPointF m_last;
    bool m_started = false;
    double m_sinceStamp = 0.0;         ///< path length since the last stamp
    QRect m_changed;
};

} // namespace easel::ui
