#pragma once
/// Pixels between Qt and the engine: api::Image (8-bit, row-major, no padding) and QImage. Deep
/// copies both ways. Any thread.

#include <QImage>

#include "engine/api/image.h"

namespace easel::app {

/// 8-bit RGB/RGBA/gray image as a QImage.
QImage toQImage(const api::Image& image);

/// A QImage as 8-bit RGB (channels = 3), or gray (channels = 1) for a Grayscale8 image such as a
/// mask, so the engine gets the pixels without a file in between.
api::Image toApiImage(const QImage& image);

} // namespace easel::app
