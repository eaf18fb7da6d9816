#pragma once
// Reading and writing image files (PNG/JPEG/WebP/BMP/TIFF…) through OpenCV imgcodecs. Lives in the
// separate easel_image_io target because imgcodecs pulls GDAL and friends (DESIGN.md). Any thread.

#include <string>
#include <vector>

#include "engine/api/image.h"

namespace easel::image {

/// Decodes any image OpenCV reads, to 8-bit RGB (or RGBA when the file has alpha and keepAlpha).
/// Throws api::Error: FileNotFound, FileUnreadable, CorruptFile (not an image / truncated).
api::Image readImageFile(const std::string& path, bool keepAlpha = false);

/// Encodes for a file name's extension: .png (with `parameters` text), .jpg/.jpeg and .webp (with
/// the text in EXIF UserComment, as A1111 does), at `quality` (JPEG/WebP, 1–100).
std::vector<unsigned char> encodeImageForPath(const api::Image& image, const std::string& path,
                                              const std::string& parameters, int quality = 95);

/// encodeImageForPath + atomic write.
void writeImageFile(const api::Image& image, const std::string& path, const std::string& parameters, int quality = 95);

/// The A1111 `parameters` text of any image file: PNG text chunk, or EXIF UserComment of JPEG/WebP.
/// Empty when the file has none. Throws api::Error when the file cannot be read.
std::string readParameters(const std::string& path);

} // namespace easel::image
