#pragma once
/// CanvasWidget: shows the canvas image with the mask as a coloured overlay and paints the mask.
/// Wheel zooms about the cursor, space-drag or middle-drag pans (ZoomPan, shared with the result
/// view); Ctrl+0 fits, Ctrl+1 shows 100 % (one image pixel per device pixel); left-drag paints with the brush
/// or eraser; [ and ] change the brush size, Shift+[ and Shift+] its hardness; Ctrl+Z undoes a
/// stroke, Ctrl+Shift+Z or Ctrl+Y redoes it; Ctrl+V pastes an image; images can be dropped on it.
/// Drawing touches only the changed rectangles, so 4K images stay smooth. GUI thread.

#include <QImage>
#include <QPointF>
#include <QWidget>

#include <memory>

#include "ui/canvas/brush_tip.h"
#include "ui/canvas/canvas_document.h"
#include "ui/canvas/mask_stroke.h"
#include "ui/common/zoom_pan.h"

class QUndoStack;

namespace easel::ui {

class CanvasWidget : public QWidget {
    Q_OBJECT
public:
    explicit CanvasWidget(QWidget* parent = nullptr);
    ~CanvasWidget() override;

    CanvasDocument* document() const { return m_document; }
    QUndoStack* undoStack() const { return m_document->undoStack(); }
    bool hasImage() const { return m_document->hasImage(); }

    MaskTool tool() const { return m_tool; }
    void setTool(MaskTool tool);
    BrushTip brush() const { return m_brush; }
    /// Diameter in image pixels, clamped to [BrushTip::kMinSize, BrushTip::kMaxSize].
    void setBrushSize(double size);
    /// In [0, 1].
    void setBrushHardness(double hardness);
    double maskOpacity() const { return m_maskOpacity; }
    /// How strongly the overlay shows the mask, in [0, 1] (view only; the mask is unchanged).
    void setMaskOpacity(double opacity);

    /// Widget pixels per image pixel.
    double zoom() const { return m_view.zoom(); }
    /// Multiplies the zoom by `factor`, keeping the image point under `widgetPoint` in place.
    void zoomAt(QPointF widgetPoint, double factor);
    QPointF mapToImage(QPointF widgetPoint) const { return m_view.mapToImage(widgetPoint); }
    QPointF mapFromImage(QPointF imagePoint) const { return m_view.mapFromImage(imagePoint); }

    void invertMask() { m_document->invertMask(); }
    void clearMask() { m_document->clearMask(); }
    void extendCanvas(Qt::Edge edge, int pixels, ExtendFill fill) { m_document->extend(edge, pixels, fill); }

    QSize sizeHint() const override { return {640, 640}; }

public Q_SLOTS:
    void setImage(const QImage& image);
    /// Opens an image file; on failure the canvas is unchanged and loadFailed says why.
    bool openImage(const QString& path);
    /// An image from the clipboard (image data, or a copied image file). False when it holds none.
    bool pasteFromClipboard();
    /// Closes the image (back to txt2img).
    void closeImage() { setImage(QImage()); }
    /// Shows the whole image, centred; the view keeps fitting while the widget resizes, until zoomed.
    void fitToView();
    /// 100 %: one image pixel per device pixel, centred (HiDPI screens included).
    void showActualPixels();

Q_SIGNALS:
    void brushChanged();
    void toolChanged(MaskTool tool);
    void zoomChanged(double zoom);
    /// A stroke has been painted and recorded on the undo stack.
    void strokeFinished();
    void loadFailed(const QString& message);

protected:
    bool event(QEvent* event) override;
    void paintEvent(QPaintEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    void wheelEvent(QWheelEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;
    void keyReleaseEvent(QKeyEvent* event) override;
    void leaveEvent(QEvent* event) override;
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;

private:
    enum class KeyAction { None, Undo, Redo, Paste, Fit, ActualPixels, Smaller, Larger, Softer, Harder };
    static KeyAction keyAction(const QKeyEvent* event);
    void onImageReplaced();
    void onMaskChanged(const QRect& rect);
    void updateOverlay(const QRect& rect);
    QRect widgetRect(const QRectF& imageRect) const;
    QRect brushOutlineRect(QPointF widgetPoint) const;
    void moveBrushOutline(QPointF widgetPoint);
    void updateCursor();

    CanvasDocument* m_document;
    QImage m_overlay;                  ///< mask as premultiplied colour, the image's size
    QColor m_maskColor{230, 30, 90};
    double m_maskOpacity = 0.5;
    MaskTool m_tool = MaskTool::Brush;
    BrushTip m_brush;
    std::unique_ptr<MaskStroke> m_stroke;

    ZoomPan m_view;
    bool m_spaceHeld = false;
    QPointF m_cursor{-1e9, -1e9};      ///< last pointer position for the brush outline
};

} // namespace easel::ui
