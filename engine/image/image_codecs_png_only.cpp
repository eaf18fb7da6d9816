// Image codecs of the headless build (GPU machines without OpenCV imgcodecs): PNG through libpng,
// every other format refused with a message that says so.

#include "engine/image/image_codecs.h"

#include <algorithm>

#include "engine/api/error.h"
#include "engine/image/png_codec.h"

namespace easel::image {

using api::Error;
using api::ErrorCode;

api::Image decodeImageBytes(const std::vector<unsigned char>& bytes, const std::string& path, bool keepAlpha)
{
    const bool png = bytes.size() >= 8 && bytes[0] == 0x89 && bytes[1] == 'P';
    if (!png) {
        const bool jpeg = bytes.size() >= 3 && bytes[0] == 0xFF && bytes[1] == 0xD8 && bytes[2] == 0xFF;
        const bool webp = bytes.size() >= 12 && std::equal(bytes.begin(), bytes.begin() + 4, "RIFF") &&
                          std::equal(bytes.begin() + 8, bytes.begin() + 12, "WEBP");
        if (jpeg || webp)
            throw Error(ErrorCode::UnsupportedFormat,
                        "this build reads PNG images only (built without OpenCV imgcodecs); convert it to PNG", path);
        throw Error(ErrorCode::CorruptFile, "not a PNG image, or damaged (this build reads PNG only)", path);
    }
    api::Image image = decodePng(bytes);
    if (image.channels == 1 || (image.channels == 4 && !keepAlpha)) {
        api::Image rgb;
        rgb.width = image.width;
        rgb.height = image.height;
        rgb.channels = 3;
        rgb.pixels.resize(rgb.byteSize());
        for (size_t i = 0, n = size_t(image.width) * image.height; i < n; ++i)
            for (int c = 0; c < 3; ++c)
                rgb.pixels[i * 3 + c] = image.pixels[i * image.channels + (image.channels == 1 ? 0 : c)];
        return rgb;
    }
    return image;
}

std::vector<unsigned char> encodeLossy(const api::Image&, const std::string& ext, const std::string& path,
                                       const std::string&, int)
{
    throw Error(ErrorCode::UnsupportedFormat,
                "this build writes PNG only (built without OpenCV imgcodecs), not '" + ext + "'; use a .png name", path);
}

} // namespace easel::image
