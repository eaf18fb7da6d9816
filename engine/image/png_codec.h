#pragma once
// PNG encode/decode of pixels and text chunks through libpng, without OpenCV, so metadata handling
// and in-memory pixels work in every build (the headless one too). Text: tEXt (Latin-1), iTXt
// (UTF-8, what A1111/PIL write for non-Latin-1 prompts) and zTXt are read; we write iTXt when the
// text is not pure ASCII, else tEXt. Any thread.

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "engine/api/image.h"

namespace easel::image {

/// Largest image decodePng/readPngText accept by default, checked from the header before anything
/// is inflated (a decompression bomb of a few KB can declare gigapixels): 100 MP, 400 MB as RGBA,
/// below Pillow's own refusal at 179 MP.
inline constexpr uint64_t kDefaultMaxPngPixels = 100'000'000;

/// Encodes an 8-bit gray/RGB/RGBA image with the given text chunks (key -> UTF-8 value).
std::vector<unsigned char> encodePng(const api::Image& image, const std::map<std::string, std::string>& text = {});

/// Reads every text chunk (tEXt, zTXt, iTXt, before or after the image data) of a PNG; throws
/// api::Error(CorruptFile) when the bytes are not a PNG or a chunk is damaged or truncated. Latin-1
/// tEXt/zTXt values are converted to UTF-8. Images above `maxPixels` throw UnsupportedFormat
/// (reaching text after the image data means inflating it).
std::map<std::string, std::string> readPngText(const std::vector<unsigned char>& png,
                                               uint64_t maxPixels = kDefaultMaxPngPixels);

/// Decodes any PNG (gray, gray+alpha, RGB, RGBA, palette, 1–16 bits, interlaced or not) to 8 bits:
/// gray stays 1 channel, gray+alpha becomes RGBA, palette becomes RGB (RGBA with transparency),
/// 16-bit samples are scaled (v/257, rounded). No gamma or colour-profile conversion, as A1111/PIL.
/// Throws api::Error: CorruptFile (not a PNG, damaged, truncated), UnsupportedFormat (more than
/// `maxPixels` pixels, refused before decoding).
api::Image decodePng(const std::vector<unsigned char>& png, uint64_t maxPixels = kDefaultMaxPngPixels);

} // namespace easel::image
