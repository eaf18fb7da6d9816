#pragma once
// Images clients upload inside JSON (A1111 init_images, masks, ControlNet pictures): base64, bare or
// as a `data:image/…;base64,` URL, PNG/JPEG/WebP. The size is read from the file header and checked
// against the pixel limit BEFORE anything is decoded, so a 60000×60000 "decompression bomb" of a
// few hundred bytes costs nothing.

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "engine/api/image.h"

namespace easel::server {

/// Why an upload was refused, in words for the client ("not base64", "60000×60000 is over …").
struct UploadRefused : std::runtime_error {
    using std::runtime_error::runtime_error;
};

/// The bytes of a base64 upload (bare or data: URL). Throws UploadRefused.
std::vector<unsigned char> decodeBase64Upload(const std::string& text);

struct ImageHeader {
    std::string format; ///< "png", "jpeg", "webp"
    int width = 0;
    int height = 0;
};

/// Width and height from a PNG IHDR, a JPEG SOFn or a WebP VP8/VP8L/VP8X header; nullopt when the
/// bytes are none of these (or the header is cut short).
std::optional<ImageHeader> probeImageHeader(const std::vector<unsigned char>& bytes);

/// Decoded pixels of an upload whose header says at most `maxPixels`. Throws UploadRefused.
api::Image decodeUpload(const std::string& text, std::int64_t maxPixels, bool keepAlpha = false);

} // namespace easel::server
