#include "app/server/uploaded_image.h"

#include "engine/api/error.h"
#include "engine/core/base64.h"
#include "engine/image/image_codecs.h"

namespace easel::server {

namespace {

std::uint32_t be32(const std::vector<unsigned char>& b, size_t at)
{
    return (std::uint32_t(b[at]) << 24) | (std::uint32_t(b[at + 1]) << 16) | (std::uint32_t(b[at + 2]) << 8) | b[at + 3];
}
unsigned be16(const std::vector<unsigned char>& b, size_t at) { return (unsigned(b[at]) << 8) | b[at + 1]; }
unsigned le16(const std::vector<unsigned char>& b, size_t at) { return unsigned(b[at]) | (unsigned(b[at + 1]) << 8); }
std::uint32_t le24(const std::vector<unsigned char>& b, size_t at)
{
    return std::uint32_t(b[at]) | (std::uint32_t(b[at + 1]) << 8) | (std::uint32_t(b[at + 2]) << 16);
}

std::optional<ImageHeader> probePng(const std::vector<unsigned char>& b)
{
    static const unsigned char sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    if (b.size() < 24 || !std::equal(sig, sig + 8, b.begin()) || std::string(b.begin() + 12, b.begin() + 16) != "IHDR")
        return std::nullopt;
    return ImageHeader{"png", static_cast<int>(std::min<std::uint32_t>(be32(b, 16), INT32_MAX)),
                       static_cast<int>(std::min<std::uint32_t>(be32(b, 20), INT32_MAX))};
}

// Ref: JPEG (ITU T.81) B.1.1: markers FFxx; SOF0..SOF15 except DHT (C4), JPG (C8), DAC (CC) carry
// precision, height, width.
std::optional<ImageHeader> probeJpeg(const std::vector<unsigned char>& b)
{
    if (b.size() < 4 || b[0] != 0xFF || b[1] != 0xD8)
        return std::nullopt;
    size_t at = 2;
    while (at + 4 <= b.size()) {
        if (b[at] != 0xFF)
            return std::nullopt;
        const unsigned marker = b[at + 1];
        if (marker == 0xFF) { // fill byte
            ++at;
            continue;
        }
        if (marker == 0xD8 || marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {
            at += 2;
            continue;
        }
        const unsigned length = be16(b, at + 2);
        if (length < 2)
            return std::nullopt;
        const bool sof = marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
        if (sof) {
            if (at + 9 > b.size())
                return std::nullopt;
            return ImageHeader{"jpeg", static_cast<int>(be16(b, at + 7)), static_cast<int>(be16(b, at + 5))};
        }
        if (marker == 0xDA || marker == 0xD9) // scan data before any frame header
            return std::nullopt;
        at += 2 + length;
    }
    return std::nullopt;
}

// Ref: WebP container spec (RIFF "WEBP"; VP8 key frame, VP8L header, VP8X canvas size).
std::optional<ImageHeader> probeWebp(const std::vector<unsigned char>& b)
{
    if (b.size() < 30 || std::string(b.begin(), b.begin() + 4) != "RIFF" || std::string(b.begin() + 8, b.begin() + 12) != "WEBP")
        return std::nullopt;
    const std::string chunk(b.begin() + 12, b.begin() + 16);
    if (chunk == "VP8X")
        return ImageHeader{"webp", static_cast<int>(le24(b, 24) + 1), static_cast<int>(le24(b, 27) + 1)};
    if (chunk == "VP8L" && b[20] == 0x2F) {
        const std::uint32_t bits = b[21] | (std::uint32_t(b[22]) << 8) | (std::uint32_t(b[23]) << 16) | (std::uint32_t(b[24]) << 24);
        return ImageHeader{"webp", static_cast<int>((bits & 0x3FFF) + 1), static_cast<int>(((bits >> 14) & 0x3FFF) + 1)};
    }
    if (chunk == "VP8 " && b[23] == 0x9D && b[24] == 0x01 && b[25] == 0x2A)
        return ImageHeader{"webp", static_cast<int>(le16(b, 26) & 0x3FFF), static_cast<int>(le16(b, 28) & 0x3FFF)};
    return std::nullopt;
}

} // namespace

std::vector<unsigned char> decodeBase64Upload(const std::string& text)
{
    std::string_view payload(text);
    if (payload.rfind("data:", 0) == 0) {
        const auto comma = payload.find(',');
        if (comma == std::string_view::npos || payload.substr(0, comma).find(";base64") == std::string_view::npos)
            throw UploadRefused("a data: URL must be base64 (data:image/png;base64,…)");
        payload.remove_prefix(comma + 1);
    }
    if (payload.empty())
        throw UploadRefused("the image is empty");
    auto bytes = core::base64Decode(payload);
    if (!bytes || bytes->empty())
        throw UploadRefused("the image is not valid base64");
    return std::move(*bytes);
}

std::optional<ImageHeader> probeImageHeader(const std::vector<unsigned char>& bytes)
{
    if (auto h = probePng(bytes))
        return h;
    if (auto h = probeJpeg(bytes))
        return h;
    return probeWebp(bytes);
}

api::Image decodeUpload(const std::string& text, std::int64_t maxPixels, bool keepAlpha)
{
    const std::vector<unsigned char> bytes = decodeBase64Upload(text);
    const auto header = probeImageHeader(bytes);
    if (!header)
        throw UploadRefused("the image is not a PNG, JPEG or WebP file");
    if (header->width <= 0 || header->height <= 0)
        throw UploadRefused("the image header gives no size");
    const std::int64_t pixels = std::int64_t(header->width) * header->height;
    if (pixels > maxPixels)
        throw UploadRefused("the image is " + std::to_string(header->width) + "x" + std::to_string(header->height)
                            + ", over this server's limit of " + std::to_string(maxPixels) + " pixels");
    try {
        api::Image image = image::decodeImageBytes(bytes, "uploaded image", keepAlpha);
        if (std::int64_t(image.width) * image.height > maxPixels) // a header that lied
            throw UploadRefused("the decoded image is over this server's pixel limit");
        return image;
    } catch (const api::Error& e) {
        throw UploadRefused("the " + header->format + " image cannot be decoded: " + e.message());
    }
}

} // namespace easel::server
