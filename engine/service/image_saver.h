#pragma once
/// Writes one finished image with its A1111 `parameters`, atomically (temp + rename), creating its
/// folder. PNG always works (zlib codec); JPEG/WebP need the image-file target, which the headless
/// variant leaves out (those requests then fail with a clear error). Any thread.

#include <string>

#include "engine/api/image.h"

namespace easel::service {

/// Throws api::Error (FileUnreadable when the folder cannot be written, UnsupportedFormat).
void saveImage(const api::Image& image, const std::string& path, const std::string& parameters, int quality);

} // namespace easel::service
