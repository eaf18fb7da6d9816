#include "ui/canvas/canvas_commands.h"

#include <utility>

namespace easel::ui {

MaskPatchCommand::MaskPatchCommand(CanvasDocument* document, const QRect& rect, QImage before, QImage after,
                                   const QString& text, bool applied)
    : QUndoCommand(text)
    , m_document(document)
    , m_rect(rect)
    , m_before(std::move(before))
    , m_after(std::move(after))
    , m_applied(applied)
{
}

void MaskPatchCommand::undo()
{
    m_document->writeMask(m_rect, m_before);
    m_applied = false;
}

void MaskPatchCommand::redo()
{
    if (!m_applied)
        m_document->writeMask(m_rect, m_after);
    m_applied = false;
}

InvertMaskCommand::InvertMaskCommand(CanvasDocument* document)
    : QUndoCommand(CanvasDocument::tr("Invert mask"))
    , m_document(document)
{
}

ReplaceCanvasCommand::ReplaceCanvasCommand(CanvasDocument* document, QImage image, QImage mask, const QString& text)
    : QUndoCommand(text)
    , m_document(document)
    , m_oldImage(document->image())
    , m_oldMask(document->mask())
    , m_newImage(std::move(image))
    , m_newMask(std::move(mask))
{
}

} // namespace easel::ui
