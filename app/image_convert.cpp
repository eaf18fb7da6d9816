#include "app/image_convert.h"

#include <algorithm>

namespace easel::app {

QImage toQImage(const api::Image& image)
{
    if (image.empty())
        return {};
    const QImage::Format format = image.channels == 4   ? QImage::Format_RGBA8888
                                  : image.channels == 1 ? QImage::Format_Grayscale8
                                                        : QImage::Format_RGB888;
    return QImage(image.pixels.data(), image.width, image.height, image.width * image.channels, format).copy();
}

api::Image toApiImage(const QImage& image)
{
    if (image.isNull())
        return {};
    const bool gray = image.format() == QImage::Format_Grayscale8;
    const QImage converted = gray ? image : image.convertToFormat(QImage::Format_RGB888);
    api::Image out;
    out.width = converted.width();
    out.height = converted.height();
    out.channels = gray ? 1 : 3;
    out.pixels.resize(out.byteSize());
    // QImage rows are padded to 4 bytes; api::Image rows are not.
    const auto rowBytes = static_cast<size_t>(out.width) * out.channels;
    for (int y = 0; y < out.height; ++y)
        std::copy_n(converted.constScanLine(y), rowBytes, out.pixels.data() + y * rowBytes);
    return out;
}

} // namespace easel::app
