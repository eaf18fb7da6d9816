#pragma once
// The codec half of image_file.cpp, in two builds: OpenCV imgcodecs (image_codecs_opencv.cpp) or
// PNG only (image_codecs_png_only.cpp, headless GPU machines). Internal to engine/image.

#include <string>
#include <vector>

#include "engine/api/image.h"

namespace easel::image {

/// Decodes an encoded image to 8-bit RGB (RGBA when it has alpha and keepAlpha). `path` names it in
/// errors. Throws api::Error CorruptFile / UnsupportedFormat.
api::Image decodeImageBytes(const std::vector<unsigned char>& bytes, const std::string& path, bool keepAlpha);

/// JPEG (".jpg"/".jpeg") or WebP (".webp") with `parameters` in EXIF UserComment, at `quality`.
std::vector<unsigned char> encodeLossy(const api::Image& image, const std::string& ext, const std::string& path,
                                       const std::string& parameters, int quality);

} // namespace easel::image
