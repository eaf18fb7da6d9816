#pragma once
/// Image files as the studio needs them from the engine: pixels and the A1111 `parameters` text a
/// PNG, JPEG or WebP carries. Implemented in engine/image/image_files_api.cpp (easel_image_io:
/// OpenCV imgcodecs, PNG only in the headless build). Plain C++; any thread.

#include <string>

#include "engine/api/image.h"

namespace easel::api {

/// The file's A1111 `parameters` text: PNG text chunk, or EXIF UserComment of JPEG/WebP; "" when it
/// has none. Throws api::Error when the file cannot be read.
std::string readParametersText(const std::string& path);

/// Decodes an image file to 8-bit RGB (RGBA when it has alpha and `keepAlpha`). Throws api::Error:
/// FileNotFound, FileUnreadable, CorruptFile, UnsupportedFormat.
Image readImage(const std::string& path, bool keepAlpha = false);

/// Writes `image` atomically in the format of the path's extension (.png/.jpg/.webp) with
/// `parameters` as A1111 stores them (PNG text chunk, EXIF UserComment). Throws api::Error.
void writeImage(const Image& image, const std::string& path, const std::string& parameters, int quality = 95);

} // namespace easel::api
