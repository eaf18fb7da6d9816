#pragma once
/// Undo commands of the canvas. A stroke or a clear stores only the rectangle it changed; invert
/// stores nothing (it is its own inverse); extending the canvas keeps the old image and mask
/// (implicitly shared, so no copy). GUI thread.

#include <QImage>
#include <QRect>
#include <QUndoCommand>

#include "ui/canvas/canvas_document.h"

namespace easel::ui {

/// Swaps a rectangle of the mask between its old and new pixels.
class MaskPatchCommand : public QUndoCommand {
public:
    /// `applied`: the document already shows `after` (a stroke painted live), so the push does nothing.
    MaskPatchCommand(CanvasDocument* document, const QRect& rect, QImage before, QImage after, const QString& text,
                     bool applied);
    void undo() override;
    void redo() override;
    /// Bytes held by the command (the two patches).
    qsizetype byteSize() const { return m_before.sizeInBytes() + m_after.sizeInBytes(); }

private:
    CanvasDocument* m_document;
    QRect m_rect;
    QImage m_before;
    QImage m_after;
    bool m_applied;
};

class InvertMaskCommand : public QUndoCommand {
public:
    explicit InvertMaskCommand(CanvasDocument* document);
    void undo() override { m_document->invertMaskNow(); }
    void redo() override { m_document->invertMaskNow(); }

private:
    CanvasDocument* m_document;
};

/// Replaces image and mask together (extend canvas).
class ReplaceCanvasCommand : public QUndoCommand {
public:
    ReplaceCanvasCommand(CanvasDocument* document, QImage image, QImage mask, const QString& text);
    void undo() override { m_document->replaceAll(m_oldImage, m_oldMask); }
    void redo() override { m_document->replaceAll(m_newImage, m_newMask); }

private:
    CanvasDocument* m_document;
    QImage m_oldImage, m_oldMask, m_newImage, m_newMask;
};

} // namespace easel::ui
