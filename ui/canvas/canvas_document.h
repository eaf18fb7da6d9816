#pragma once
/// CanvasDocument: the image the canvas edits, its inpainting mask (Format_Grayscale8, 255 = repaint)
/// and the undo stack of every edit. Views listen to its signals; edits go through undo commands.
/// GUI thread.

#include <QImage>
#include <QObject>

#include <cstdint>

class QUndoStack;

namespace easel::ui {

class MaskStroke;

/// How "extend canvas" fills the added strip.
enum class ExtendFill { EdgeStretch, Neutral };

class CanvasDocument : public QObject {
    Q_OBJECT
public:
    explicit CanvasDocument(QObject* parent = nullptr);

    bool hasImage() const { return !m_image.isNull(); }
    /// Format_RGB32 (alpha flattened onto white), or null.
    const QImage& image() const { return m_image; }
    /// Format_Grayscale8, the image's size.
    const QImage& mask() const { return m_mask; }
    QSize size() const { return m_image.size(); }
    /// True when at least one mask pixel is set.
    bool hasMask() const;
    QUndoStack* undoStack() const { return m_undo; }

    /// Revisions change whenever the pixels do; they are unique within the process, so equal
    /// revisions mean equal pixels (used to reuse files already written).
    std::uint64_t imageRevision() const { return m_imageRevision; }
    std::uint64_t maskRevision() const { return m_maskRevision; }

    /// Starts over with `image` and an empty mask; the undo history is dropped. A null image closes.
    void setImage(const QImage& image);
    /// Reads an image file (EXIF orientation applied). Returns "" or what went wrong.
    QString load(const QString& path);

    /// Undoable edits.
    void invertMask();
    void clearMask();
    void extend(Qt::Edge edge, int pixels, ExtendFill fill);
    /// Records a finished stroke (already painted into the mask) as one undo step.
    void pushStroke(const MaskStroke& stroke, const QString& text);

    /// For MaskStroke: the mask to paint into, and the call after each change.
    QImage* paintableMask() { return &m_mask; }
    void notifyMaskPainted(const QRect& rect);

    /// For undo commands: raw replacements that only notify.
    void writeMask(const QRect& rect, const QImage& part);
    void invertMaskNow();
    void replaceAll(const QImage& image, const QImage& mask);

Q_SIGNALS:
    /// A new image, or a new size: views refit and rebuild what they cached.
    void imageReplaced();
    /// Mask pixels within `rect` changed.
    void maskChanged(const QRect& rect);

private:
    QImage m_image;
    QImage m_mask;
    QUndoStack* m_undo = nullptr;
    std::uint64_t m_imageRevision = 0;
    std::uint64_t m_maskRevision = 0;
    mutable int m_hasMask = -1;       ///< cached: -1 unknown, 0 no, 1 yes
};

} // namespace easel::ui
