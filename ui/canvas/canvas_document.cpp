#include "ui/canvas/canvas_document.h"

#include <QFileInfo>
#include <QImageReader>
#include <QPainter>
#include <QUndoStack>

#include <algorithm>
#include <atomic>
#include <cstring>

#include "ui/canvas/canvas_commands.h"
#include "ui/canvas/mask_stroke.h"

namespace easel::ui {

namespace {

std::uint64_t nextRevision()
{
    static std::atomic<std::uint64_t> counter{0};
    return ++counter;
}

QImage blankMask(QSize size)
{
    QImage mask(size, QImage::Format_Grayscale8);
    mask.fill(0);
    return mask;
}

} // namespace

CanvasDocument::CanvasDocument(QObject* parent)
    : QObject(parent)
    , m_undo(new QUndoStack(this))
{
}

bool CanvasDocument::hasMask() const
{
    if (m_hasMask < 0) {
        m_hasMask = 0;
        const int width = m_mask.width();
        for (int y = 0; y < m_mask.height() && !m_hasMask; ++y) {
            const uchar* line = m_mask.constScanLine(y);
            for (int x = 0; x < width; ++x)
                if (line[x]) {
                    m_hasMask = 1;
                    break;
                }
        }
    }
    return m_hasMask == 1;
}

void CanvasDocument::setImage(const QImage& image)
{
    m_undo->clear();
    if (image.isNull()) {
        m_image = QImage();
        m_mask = QImage();
    } else {
        // Transparent pixels become white, as on a sheet of paper, rather than whatever colour the
        // file happened to store under alpha 0.
        m_image = QImage(image.size(), QImage::Format_RGB32);
        m_image.fill(Qt::white);
        QPainter painter(&m_image);
        painter.drawImage(0, 0, image);
        painter.end();
        m_mask = blankMask(image.size());
    }
    m_imageRevision = nextRevision();
    m_maskRevision = nextRevision();
    m_hasMask = 0;
    Q_EMIT imageReplaced();
}

QString CanvasDocument::load(const QString& path)
{
    QImageReader reader(path);
    reader.setAutoTransform(true);
    // A1111 images are at most a few thousand pixels a side; this only guards against decompression bombs.
    reader.setAllocationLimit(1024);
    const QImage image = reader.read();
    if (image.isNull())
        return tr("Cannot open %1: %2. Choose a PNG, JPEG or WebP image.")
            .arg(QFileInfo(path).fileName(), reader.errorString());
    setImage(image);
    return {};
}

void CanvasDocument::invertMask()
{
    if (hasImage())
        m_undo->push(new InvertMaskCommand(this));
}

void CanvasDocument::clearMask()
{
    if (!hasImage() || !hasMask())
        return;
    // Only the rows and columns that hold mask pixels are stored.
    int top = m_mask.height(), bottom = -1, left = m_mask.width(), right = -1;
    for (int y = 0; y < m_mask.height(); ++y) {
        const uchar* line = m_mask.constScanLine(y);
        for (int x = 0; x < m_mask.width(); ++x)
            if (line[x]) {
                top = std::min(top, y);
                bottom = y;
                left = std::min(left, x);
                right = std::max(right, x);
            }
    }
    const QRect rect(QPoint(left, top), QPoint(right, bottom));
    QImage after(rect.size(), QImage::Format_Grayscale8);
    after.fill(0);
    m_undo->push(new MaskPatchCommand(this, rect, m_mask.copy(rect), after, tr("Clear mask"), false));
}

void CanvasDocument::extend(Qt::Edge edge, int pixels, ExtendFill fill)
{
    if (!hasImage() || pixels <= 0)
        return;
    const bool horizontal = edge == Qt::LeftEdge || edge == Qt::RightEdge;
    const QSize oldSize = m_image.size();
    const QSize newSize = horizontal ? QSize(oldSize.width() + pixels, oldSize.height())
                                     : QSize(oldSize.width(), oldSize.height() + pixels);
    const QPoint offset(edge == Qt::LeftEdge ? pixels : 0, edge == Qt::TopEdge ? pixels : 0);
    QRect strip;
    QRect source;   // the one-pixel edge that edge-stretch repeats
    switch (edge) {
    case Qt::LeftEdge:
        strip = QRect(0, 0, pixels, newSize.height());
        source = QRect(0, 0, 1, oldSize.height());
        break;
    case Qt::RightEdge:
        strip = QRect(oldSize.width(), 0, pixels, newSize.height());
        source = QRect(oldSize.width() - 1, 0, 1, oldSize.height());
        break;
    case Qt::TopEdge:
        strip = QRect(0, 0, newSize.width(), pixels);
        source = QRect(0, 0, oldSize.width(), 1);
        break;
    case Qt::BottomEdge:
        strip = QRect(0, oldSize.height(), newSize.width(), pixels);
        source = QRect(0, oldSize.height() - 1, oldSize.width(), 1);
        break;
    }

    QImage image(newSize, QImage::Format_RGB32);
    QPainter painter(&image);
    painter.drawImage(offset, m_image);
    if (fill == ExtendFill::EdgeStretch)
        // Unsmoothed scaling of a one-pixel row/column repeats it exactly.
        painter.drawImage(strip, m_image, source);
    else
        painter.fillRect(strip, QColor(128, 128, 128));
    painter.end();

    QImage mask = blankMask(newSize);
    for (int y = 0; y < oldSize.height(); ++y)
        std::memcpy(mask.scanLine(y + offset.y()) + offset.x(), m_mask.constScanLine(y), oldSize.width());
    for (int y = strip.top(); y <= strip.bottom(); ++y)
        std::memset(mask.scanLine(y) + strip.left(), 255, strip.width());

    m_undo->push(new ReplaceCanvasCommand(this, image, mask, tr("Extend canvas")));
}

void CanvasDocument::pushStroke(const MaskStroke& stroke, const QString& text)
{
    const QRect rect = stroke.changedRect();
    if (rect.isEmpty())
        return;
    m_undo->push(new MaskPatchCommand(this, rect, stroke.before(rect), m_mask.copy(rect), text, true));
}

void CanvasDocument::notifyMaskPainted(const QRect& rect)
{
    if (rect.isEmpty())
        return;
    m_maskRevision = nextRevision();
    m_hasMask = -1;
    Q_EMIT maskChanged(rect);
}

void CanvasDocument::writeMask(const QRect& rect, const QImage& part)
{
    for (int y = 0; y < rect.height(); ++y)
        std::memcpy(m_mask.scanLine(rect.top() + y) + rect.left(), part.constScanLine(y), rect.width());
    notifyMaskPainted(rect);
}

void CanvasDocument::invertMaskNow()
{
    for (int y = 0; y < m_mask.height(); ++y) {
        uchar* line = m_mask.scanLine(y);
        for (int x = 0; x < m_mask.width(); ++x)
            line[x] = static_cast<uchar>(255 - line[x]);
    }
    notifyMaskPainted(m_mask.rect());
}

void CanvasDocument::replaceAll(const QImage& image, const QImage& mask)
{
    m_image = image;
    m_mask = mask;
    m_imageRevision = nextRevision();
    m_maskRevision = nextRevision();
    m_hasMask = -1;
    Q_EMIT imageReplaced();
}

} // namespace easel::ui
