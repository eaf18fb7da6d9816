#include "ui/canvas/canvas_widget.h"

#include <QClipboard>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileInfo>
#include <QGuiApplication>
#include <QImageReader>
#include <QKeyEvent>
#include <QMimeData>
#include <QMouseEvent>
#include <QPainter>
#include <QUndoStack>
#include <QWheelEvent>

#include <algorithm>
#include <cmath>

#include "ui/common/image_mime.h"

namespace easel::ui {

namespace {

// Zoom 1 % to 6400 %, 8 px free around a fitted image (which may be magnified as far as it goes);
// one wheel notch (120) zooms by about 20 %.
const ZoomPan::Limits kZoomLimits{0.01, 64.0, 8.0, 64.0, std::pow(1.0015, 120)};

/// The local image file a drop or paste names, or "".
QString imageFileIn(const QMimeData* mime)
{
    if (!mime || !mime->hasUrls())
        return {};
    const QList<QUrl> urls = mime->urls();
    if (urls.size() != 1 || !urls.first().isLocalFile())
        return {};
    const QString path = urls.first().toLocalFile();
    return QImageReader::imageFormat(path).isEmpty() ? QString() : path;
}

} // namespace

CanvasWidget::CanvasWidget(QWidget* parent)
    : QWidget(parent)
    , m_document(new CanvasDocument(this))
    , m_view(kZoomLimits)
{
    setObjectName(QStringLiteral("CanvasWidget"));
    setFocusPolicy(Qt::StrongFocus);
    setMouseTracking(true);
    setAcceptDrops(true);
    setAttribute(Qt::WA_OpaquePaintEvent);
    connect(m_document, &CanvasDocument::imageReplaced, this, &CanvasWidget::onImageReplaced);
    connect(m_document, &CanvasDocument::maskChanged, this, &CanvasWidget::onMaskChanged);
}

CanvasWidget::~CanvasWidget() = default;

void CanvasWidget::setTool(MaskTool tool)
{
    if (tool == m_tool)
        return;
    m_tool = tool;
    Q_EMIT toolChanged(tool);
}

void CanvasWidget::setBrushSize(double size)
{
    size = std::clamp(size, BrushTip::kMinSize, BrushTip::kMaxSize);
    if (size == m_brush.size)
        return;
    const QRect before = brushOutlineRect(m_cursor);
    m_brush.size = size;
    update(before | brushOutlineRect(m_cursor));
    Q_EMIT brushChanged();
}

void CanvasWidget::setBrushHardness(double hardness)
{
    hardness = std::clamp(hardness, 0.0, 1.0);
    if (hardness == m_brush.hardness)
        return;
    m_brush.hardness = hardness;
    Q_EMIT brushChanged();
}

void CanvasWidget::setMaskOpacity(double opacity)
{
    m_maskOpacity = std::clamp(opacity, 0.0, 1.0);
    update();
}

void CanvasWidget::setImage(const QImage& image)
{
    m_stroke.reset();
    m_document->setImage(image);
}

bool CanvasWidget::openImage(const QString& path)
{
    const QString error = m_document->load(path);
    if (!error.isEmpty()) {
        Q_EMIT loadFailed(error);
        return false;
    }
    return true;
}

bool CanvasWidget::pasteFromClipboard()
{
    const QMimeData* mime = QGuiApplication::clipboard()->mimeData();
    if (!mime)
        return false;
    if (const QImage image = imageDataIn(mime); !image.isNull()) {
        setImage(image);
        return true;
    }
    const QString path = imageFileIn(mime);
    return !path.isEmpty() && openImage(path);
}

void CanvasWidget::fitToView()
{
    if (!m_view.fit(size(), hasImage() ? QSizeF(m_document->size()) : QSizeF()))
        return update();
    update();
    Q_EMIT zoomChanged(m_view.zoom());
}

void CanvasWidget::showActualPixels()
{
    if (!hasImage())
        return;
    m_view.showActualPixels(size(), m_document->size(), devicePixelRatioF());
    update();
    Q_EMIT zoomChanged(m_view.zoom());
}

void CanvasWidget::zoomAt(QPointF widgetPoint, double factor)
{
    m_view.zoomBy(factor, widgetPoint);
    update();
    Q_EMIT zoomChanged(m_view.zoom());
}

QRect CanvasWidget::widgetRect(const QRectF& imageRect) const
{
    const QRectF mapped(mapFromImage(imageRect.topLeft()), mapFromImage(imageRect.bottomRight()));
    return mapped.toAlignedRect().adjusted(-2, -2, 2, 2);
}

QRect CanvasWidget::brushOutlineRect(QPointF widgetPoint) const
{
    const double radius = m_brush.size / 2.0 * m_view.zoom() + 3.0;
    return QRectF(widgetPoint.x() - radius, widgetPoint.y() - radius, 2 * radius, 2 * radius).toAlignedRect();
}

void CanvasWidget::moveBrushOutline(QPointF widgetPoint)
{
    const QRect before = brushOutlineRect(m_cursor);
    m_cursor = widgetPoint;
    update(before | brushOutlineRect(m_cursor));
}

void CanvasWidget::onImageReplaced()
{
    m_overlay = QImage();
    if (hasImage()) {
        m_overlay = QImage(m_document->size(), QImage::Format_ARGB32_Premultiplied);
        updateOverlay(m_overlay.rect());
    }
    if (m_view.isFitted() || !hasImage())
        fitToView();
    else
        update();
}

void CanvasWidget::onMaskChanged(const QRect& rect)
{
    updateOverlay(rect);
    update(widgetRect(rect));
}

void CanvasWidget::updateOverlay(const QRect& rect)
{
    const QRect area = rect & m_overlay.rect();
    const QImage& mask = m_document->mask();
    const int r = m_maskColor.red(), g = m_maskColor.green(), b = m_maskColor.blue();
    for (int y = area.top(); y <= area.bottom(); ++y) {
        const uchar* in = mask.constScanLine(y);
        auto* out = reinterpret_cast<QRgb*>(m_overlay.scanLine(y));
        for (int x = area.left(); x <= area.right(); ++x) {
            const int a = in[x];
            out[x] = qRgba(r * a / 255, g * a / 255, b * a / 255, a);
        }
    }
}

void CanvasWidget::paintEvent(QPaintEvent* event)
{
    QPainter painter(this);
    painter.fillRect(event->rect(), QColor(48, 48, 52));
    if (!hasImage()) {
        painter.setPen(QColor(200, 200, 200));
        painter.drawText(rect().adjusted(16, 16, -16, -16), Qt::AlignCenter | Qt::TextWordWrap,
                         tr("Open an image, paste one (Ctrl+V) or drop one here to use img2img and "
                            "inpainting."));
        return;
    }
    painter.save();
    // Smooth filtering only when shrinking; magnified pixels stay crisp so the mask edge can be judged.
    painter.setRenderHint(QPainter::SmoothPixmapTransform, m_view.smoothAt(devicePixelRatioF()));
    painter.translate(m_view.offset());
    painter.scale(m_view.zoom(), m_view.zoom());
    painter.drawImage(QPointF(0, 0), m_document->image());
    // The overlay costs about as much as the image itself when zoomed out; skip it when empty.
    if (m_maskOpacity > 0.0 && m_document->hasMask()) {
        painter.setOpacity(m_maskOpacity);
        painter.drawImage(QPointF(0, 0), m_overlay);
    }
    painter.restore();

    if (!m_view.isPanning() && !m_spaceHeld && rect().contains(m_cursor.toPoint())) {
        const double radius = m_brush.size / 2.0 * m_view.zoom();
        painter.setRenderHint(QPainter::Antialiasing);
        painter.setBrush(Qt::NoBrush);
        painter.setPen(QPen(QColor(0, 0, 0, 160), 3.0));
        painter.drawEllipse(m_cursor, radius, radius);
        painter.setPen(QPen(m_tool == MaskTool::Eraser ? QColor(120, 200, 255) : QColor(255, 255, 255), 1.0));
        painter.drawEllipse(m_cursor, radius, radius);
    }
}

void CanvasWidget::resizeEvent(QResizeEvent* event)
{
    QWidget::resizeEvent(event);
    if (m_view.isFitted())
        fitToView();
}

void CanvasWidget::wheelEvent(QWheelEvent* event)
{
    if (!hasImage())
        return;
    m_view.wheel(*event);
    update();
    Q_EMIT zoomChanged(m_view.zoom());
    event->accept();
}

void CanvasWidget::mousePressEvent(QMouseEvent* event)
{
    setFocus(Qt::MouseFocusReason);
    if (!hasImage())
        return;
    if (event->button() == Qt::MiddleButton || (event->button() == Qt::LeftButton && m_spaceHeld)) {
        m_view.beginPan(event->position());
        updateCursor();
        update();
        return;
    }
    if (event->button() == Qt::LeftButton && !m_stroke) {
        m_stroke = std::make_unique<MaskStroke>(m_document->paintableMask(), m_tool, m_brush);
        m_document->notifyMaskPainted(m_stroke->lineTo(mapToImage(event->position())));
    }
}

void CanvasWidget::mouseMoveEvent(QMouseEvent* event)
{
    if (m_view.isPanning()) {
        m_view.panTo(event->position());
        update();
        return;
    }
    moveBrushOutline(event->position());
    if (m_stroke)
        m_document->notifyMaskPainted(m_stroke->lineTo(mapToImage(event->position())));
}

void CanvasWidget::mouseReleaseEvent(QMouseEvent* event)
{
    if (m_view.isPanning() && (event->button() == Qt::MiddleButton || event->button() == Qt::LeftButton)) {
        m_view.endPan();
        updateCursor();
        update();
        return;
    }
    if (m_stroke && event->button() == Qt::LeftButton) {
        m_document->notifyMaskPainted(m_stroke->lineTo(mapToImage(event->position())));
        m_document->notifyMaskPainted(m_stroke->finish());
        const std::unique_ptr<MaskStroke> stroke = std::move(m_stroke);
        m_document->pushStroke(*stroke, m_tool == MaskTool::Eraser ? tr("Erase mask") : tr("Paint mask"));
        Q_EMIT strokeFinished();
    }
}

void CanvasWidget::leaveEvent(QEvent* event)
{
    moveBrushOutline(QPointF(-1e9, -1e9));
    QWidget::leaveEvent(event);
}

CanvasWidget::KeyAction CanvasWidget::keyAction(const QKeyEvent* event)
{
    const Qt::KeyboardModifiers modifiers = event->modifiers() & ~Qt::KeypadModifier;
    const int key = event->key();
    if (event->matches(QKeySequence::Undo))
        return KeyAction::Undo;
    if (event->matches(QKeySequence::Redo) || (key == Qt::Key_Z && modifiers == (Qt::ControlModifier | Qt::ShiftModifier))
        || (key == Qt::Key_Y && modifiers == Qt::ControlModifier))
        return KeyAction::Redo;
    if (event->matches(QKeySequence::Paste))
        return KeyAction::Paste;
    if (key == Qt::Key_0 && modifiers == Qt::ControlModifier)
        return KeyAction::Fit;
    if (key == Qt::Key_1 && modifiers == Qt::ControlModifier)
        return KeyAction::ActualPixels;
    // Shift+[ arrives as '{' on most layouts, as Shift+[ on some.
    if (key == Qt::Key_BraceLeft || (key == Qt::Key_BracketLeft && modifiers == Qt::ShiftModifier))
        return KeyAction::Softer;
    if (key == Qt::Key_BraceRight || (key == Qt::Key_BracketRight && modifiers == Qt::ShiftModifier))
        return KeyAction::Harder;
    if (key == Qt::Key_BracketLeft && modifiers == Qt::NoModifier)
        return KeyAction::Smaller;
    if (key == Qt::Key_BracketRight && modifiers == Qt::NoModifier)
        return KeyAction::Larger;
    return KeyAction::None;
}

bool CanvasWidget::event(QEvent* event)
{
    // Claim our keys before window-wide shortcuts (an Edit menu's Ctrl+Z, say) see them.
    if (event->type() == QEvent::ShortcutOverride && keyAction(static_cast<QKeyEvent*>(event)) != KeyAction::None) {
        event->accept();
        return true;
    }
    if (event->type() == QEvent::LanguageChange)
        update();
    return QWidget::event(event);
}

void CanvasWidget::keyPressEvent(QKeyEvent* event)
{
    if (event->key() == Qt::Key_Space && !event->isAutoRepeat()) {
        m_spaceHeld = true;
        updateCursor();
        update();
        return;
    }
    // Size steps are relative (Krita/Photoshop feel): fine control for small brushes, quick for big ones.
    const double sizeStep = std::max(1.0, std::round(m_brush.size * 0.1));
    switch (keyAction(event)) {
    case KeyAction::Undo:
        if (!m_stroke)
            undoStack()->undo();
        break;
    case KeyAction::Redo:
        if (!m_stroke)
            undoStack()->redo();
        break;
    case KeyAction::Paste:
        pasteFromClipboard();
        break;
    case KeyAction::Fit:
        fitToView();
        break;
    case KeyAction::ActualPixels:
        showActualPixels();
        break;
    case KeyAction::Smaller:
        setBrushSize(m_brush.size - sizeStep);
        break;
    case KeyAction::Larger:
        setBrushSize(m_brush.size + sizeStep);
        break;
    case KeyAction::Softer:
        setBrushHardness(std::round((m_brush.hardness - 0.1) * 10.0) / 10.0);
        break;
    case KeyAction::Harder:
        setBrushHardness(std::round((m_brush.hardness + 0.1) * 10.0) / 10.0);
        break;
    case KeyAction::None:
        if (event->key() == Qt::Key_B && event->modifiers() == Qt::NoModifier)
            setTool(MaskTool::Brush);
        else if (event->key() == Qt::Key_E && event->modifiers() == Qt::NoModifier)
            setTool(MaskTool::Eraser);
        else
            return QWidget::keyPressEvent(event);
        break;
    }
    event->accept();
}

void CanvasWidget::keyReleaseEvent(QKeyEvent* event)
{
    if (event->key() == Qt::Key_Space && !event->isAutoRepeat()) {
        m_spaceHeld = false;
        updateCursor();
        update();
        return;
    }
    QWidget::keyReleaseEvent(event);
}

void CanvasWidget::updateCursor()
{
    if (m_view.isPanning())
        setCursor(Qt::ClosedHandCursor);
    else if (m_spaceHeld)
        setCursor(Qt::OpenHandCursor);
    else
        setCursor(Qt::CrossCursor);
}

void CanvasWidget::dragEnterEvent(QDragEnterEvent* event)
{
    if (event->mimeData()->hasImage() || !imageFileIn(event->mimeData()).isEmpty())
        event->acceptProposedAction();
}

void CanvasWidget::dropEvent(QDropEvent* event)
{
    const QMimeData* mime = event->mimeData();
    if (mime->hasImage()) {
        setImage(qvariant_cast<QImage>(mime->imageData()));
    } else {
        const QString path = imageFileIn(mime);
        if (path.isEmpty())
            return;
        openImage(path);
    }
    event->acceptProposedAction();
}

} // namespace easel::ui
