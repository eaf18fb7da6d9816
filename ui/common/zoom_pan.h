#pragma once
/// ZoomPan: the zoom and pan of one image shown in a widget, shared by the result view
/// (ImageView) and the canvas (CanvasWidget). It holds the zoom (widget pixels per image pixel)
/// and the widget position of the image's top-left corner, maps between widget and image
/// coordinates, fits the image (centred, within a margin and a largest fitted zoom), shows it at
/// 100 % (one image pixel per device pixel: HiDPI aware), zooms keeping the image point under the
/// cursor in place (wheel) and pans with a drag. The widget forwards its events and repaints; this
/// holds no widget. GUI thread.

#include <QPointF>
#include <QRectF>
#include <QSizeF>

class QWheelEvent;

namespace easel::ui {

class ZoomPan {
public:
    struct Limits {
        double minZoom = 0.05;
        double maxZoom = 32.0;
        double fitMargin = 0.0;        ///< widget pixels left free on each side when fitted
        double fitMaxZoom = 32.0;      ///< a fitted small image is not blown up beyond this
        double wheelNotchFactor = 1.25; ///< zoom factor of one wheel notch (120 units)
    };

    explicit ZoomPan(const Limits& limits) : m_limits(limits) {}

    const Limits& limits() const { return m_limits; }
    /// Widget pixels per image pixel.
    double zoom() const { return m_zoom; }
    /// Widget position of the image's top-left corner.
    QPointF offset() const { return m_offset; }
    /// True after fit() until the user zooms or pans: the widget fits again when it resizes.
    bool isFitted() const { return m_fitted; }

    QPointF mapToImage(QPointF widgetPoint) const { return (widgetPoint - m_offset) / m_zoom; }
    QPointF mapFromImage(QPointF imagePoint) const { return imagePoint * m_zoom + m_offset; }
    /// Where an image of `imageSize` lies in the widget.
    QRectF imageRect(QSizeF imageSize) const { return {m_offset, imageSize * m_zoom}; }
    /// Smooth filtering only when shrinking on the device; magnified pixels stay crisp.
    bool smoothAt(double devicePixelRatio) const { return m_zoom * devicePixelRatio < 1.0; }

    /// Shows the whole image centred in `view`. An empty image or view leaves zoom 1 at the
    /// origin. Returns whether the image could be fitted. Fitted until zoomed or panned.
    bool fit(QSizeF view, QSizeF image);
    /// 100 %: one image pixel per device pixel, the image centred.
    void showActualPixels(QSizeF view, QSizeF image, double devicePixelRatio);
    /// Sets the zoom (clamped to the limits) keeping the image point under `anchor` in place.
    void setZoom(double zoom, QPointF anchor);
    void zoomBy(double factor, QPointF anchor) { setZoom(m_zoom * factor, anchor); }
    /// Zooms by the event's wheel steps (touchpads send smaller steps and get a smaller factor)
    /// about the cursor.
    void wheel(const QWheelEvent& event);

    /// Drag panning: press, moves, release (widget coordinates).
    void beginPan(QPointF at);
    void panTo(QPointF at);
    void endPan() { m_panning = false; }
    bool isPanning() const { return m_panning; }

private:
    Limits m_limits;
    double m_zoom = 1.0;
    QPointF m_offset;
    bool m_fitted = true;
    bool m_panning = false;
    QPointF m_panStart;
    QPointF m_offsetAtPanStart;
};

} // namespace easel::ui
