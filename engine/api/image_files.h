#pragma once
/// Image files as the UI needs them from the engine: the A1111 `parameters` text a PNG, JPEG or
/// WebP carries. Forwards to engine/image/image_file.h (easel_image_io). Plain C++; any thread.

#include <string>

namespace easel::api {

/// The file's A1111 `parameters` text: PNG text chunk, or EXIF UserComment of JPEG/WebP; "" when it
/// has none. Throws api::Error when the file cannot be read.
std::string readParametersText(const std::string& path);

} // namespace easel::api
