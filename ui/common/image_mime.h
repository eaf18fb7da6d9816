#pragma once
/// What an image paste or drop carries: image data (a copied picture), or image files (a copied
/// or dragged file from a file manager, as URLs). Shared by the canvas and the ControlNet units.
/// Any thread.

#include <QImage>

class QMimeData;

namespace easel::ui {

/// The image data `mime` holds, or a null image (none, or `mime` is null).
QImage imageDataIn(const QMimeData* mime);

} // namespace easel::ui
