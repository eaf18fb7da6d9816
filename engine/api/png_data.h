#pragma once
/// PNG pictures held in memory (bytes from the network, base64 in JSON) ⇄ api::Image, through the
/// engine's libpng codec, so front ends that receive pictures (the studio on an Easel server) decode
/// them without an image library of their own. Implemented in engine/image/png_data_api.cpp
/// (easel_support: no torch, no OpenCV). Plain C++; any thread.

#include <string>
#include <string_view>

#include "engine/api/image.h"

namespace easel::api {

/// Decodes PNG bytes to 8-bit gray/RGB/RGBA. Throws api::Error(CorruptFile) for anything else.
Image decodePngData(std::string_view bytes);
/// Decodes base64 (standard or URL-safe) PNG text. Throws api::Error(CorruptFile).
Image decodeBase64Png(std::string_view text);

} // namespace easel::api
