#pragma once
// PNG encode/decode of text chunks and 8-bit pixels, on zlib alone (no OpenCV), so metadata handling
// works in every build. Text: tEXt (Latin-1), iTXt (UTF-8, what A1111/PIL write for non-Latin-1
// prompts) and zTXt are read; we write iTXt when the text is not pure ASCII, else tEXt, like PIL.

#include <map>
#include <string>
#include <vector>

#include "engine/api/image.h"

namespace easel::image {

/// Encodes an 8-bit gray/RGB/RGBA image with the given text chunks (key -> UTF-8 value).
std::vector<unsigned char> encodePng(const api::Image& image, const std::map<std::string, std::string>& text = {});

/// Reads every text chunk (tEXt, zTXt, iTXt) of a PNG; throws api::Error(CorruptFile) when the bytes
/// are not a PNG or a chunk is damaged. Latin-1 tEXt values are converted to UTF-8.
std::map<std::string, std::string> readPngText(const std::vector<unsigned char>& png);

/// Decodes non-interlaced 8-bit gray/RGB/RGBA/gray+alpha PNGs (what Easel and A1111 write). Other
/// variants throw api::Error(UnsupportedFormat); the image I/O target reads those through OpenCV.
api::Image decodePng(const std::vector<unsigned char>& png);

} // namespace easel::image
