// EXIF UserComment (A1111's `parameters` in JPEG/WebP). Untrusted bytes are parsed by libexif
// (the TIFF/IFD structure, JPEG APP1 scanning) and libwebpmux (the RIFF/WebP container); what stays
// ours is the writer, which emits one fixed, trusted layout (big-endian TIFF with the Exif sub-IFD
// and a UTF-16BE "UNICODE" comment, the bytes piexif gives A1111), the JPEG APP1 insertion, and the
// policy for telling UTF-16 byte orders apart when a writer did not say.

#include "engine/image/exif_comment.h"

#include <algorithm>
#include <cstring>
#include <memory>

#include <libexif/exif-data.h>
#include <libexif/exif-loader.h>
#include <webp/mux.h>

#include "engine/core/utf8.h"

namespace easel::image {

namespace {

void put16(std::vector<unsigned char>& v, unsigned x)
{
    v.push_back(static_cast<unsigned char>(x >> 8));
    v.push_back(static_cast<unsigned char>(x));
}
void put32(std::vector<unsigned char>& v, std::uint32_t x)
{
    put16(v, x >> 16);
    put16(v, x & 0xFFFF);
}
std::u16string utf8ToUtf16(const std::string& s)
{
    std::u16string out;
    for (size_t i = 0; i < s.size();) {
        const unsigned char c = s[i];
        char32_t cp;
        int len;
        if (c < 0x80) { cp = c; len = 1; }
        else if ((c >> 5) == 6) { cp = c & 0x1F; len = 2; }
        else if ((c >> 4) == 14) { cp = c & 0x0F; len = 3; }
        else if ((c >> 3) == 30) { cp = c & 0x07; len = 4; }
        else { out.push_back(0xFFFD); ++i; continue; }
        if (i + len > s.size()) { out.push_back(0xFFFD); break; }
        for (int k = 1; k < len; ++k)
            cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
        i += len;
        if (cp >= 0x10000) {
            cp -= 0x10000;
            out.push_back(static_cast<char16_t>(0xD800 + (cp >> 10)));
            out.push_back(static_cast<char16_t>(0xDC00 + (cp & 0x3FF)));
        } else {
            out.push_back(static_cast<char16_t>(cp));
        }
    }
    return out;
}

std::string utf16ToUtf8(const unsigned char* p, size_t bytes, bool bigEndian)
{
    std::string out;
    for (size_t i = 0; i + 1 < bytes; i += 2) {
        char32_t u = bigEndian ? (p[i] << 8) | p[i + 1] : (p[i + 1] << 8) | p[i];
        if (u >= 0xD800 && u < 0xDC00 && i + 3 < bytes) {
            const char32_t lo = bigEndian ? (p[i + 2] << 8) | p[i + 3] : (p[i + 3] << 8) | p[i + 2];
            if (lo >= 0xDC00 && lo < 0xE000) {
                u = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00);
                i += 2;
            }
        }
        core::appendUtf8(out, u);
    }
    return out;
}

struct ExifDataUnref {
    void operator()(ExifData* d) const { exif_data_unref(d); }
};
struct ExifLoaderUnref {
    void operator()(ExifLoader* l) const { exif_loader_unref(l); }
};
struct WebPMuxDeleter {
    void operator()(WebPMux* m) const { WebPMuxDelete(m); }
};

/// The UserComment bytes (8-byte character code + text) of a TIFF/EXIF block, or nullopt.
std::optional<std::vector<unsigned char>> userCommentBytes(const unsigned char* data, size_t size)
{
    if (size > 0xFFFFFFFFu)
        return std::nullopt;
    // libexif looks for the "Exif\0\0" header; a bare TIFF block (WebP EXIF chunks often are) gets one.
    std::vector<unsigned char> block;
    if (size < 6 || std::memcmp(data, "Exif\0\0", 6) != 0) {
        block.assign({'E', 'x', 'i', 'f', 0, 0});
        block.insert(block.end(), data, data + size);
        data = block.data();
        size = block.size();
    }
    std::unique_ptr<ExifData, ExifDataUnref> exif(exif_data_new());
    if (!exif)
        return std::nullopt;
    // Read as written: no "fixing" of the entries to the specification, no maker-note rewriting.
    exif_data_unset_option(exif.get(), EXIF_DATA_OPTION_FOLLOW_SPECIFICATION);
    exif_data_set_option(exif.get(), EXIF_DATA_OPTION_DONT_CHANGE_MAKER_NOTE);
    exif_data_load_data(exif.get(), data, static_cast<unsigned int>(size));
    ExifEntry* entry = exif_content_get_entry(exif->ifd[EXIF_IFD_EXIF], EXIF_TAG_USER_COMMENT);
    if (!entry || !entry->data || entry->size < 8)
        return std::nullopt;
    return std::vector<unsigned char>(entry->data, entry->data + entry->size);
}

} // namespace

std::vector<unsigned char> buildExifUserComment(const std::string& utf8)
{
    std::vector<unsigned char> comment = {'U', 'N', 'I', 'C', 'O', 'D', 'E', 0};
    for (char16_t u : utf8ToUtf16(utf8)) // piexif: utf-16-be
        put16(comment, u);

    std::vector<unsigned char> out = {'M', 'M', 0, 42};
    put32(out, 8);                 // IFD0
    put16(out, 1);                 // IFD0: one entry, the Exif sub-IFD pointer
    put16(out, 0x8769);
    put16(out, 4);                 // LONG
    put32(out, 1);
    put32(out, 26);                // Exif IFD right after IFD0 (8 + 2 + 12 + 4)
    put32(out, 0);
    put16(out, 1);                 // Exif IFD: UserComment
    put16(out, 0x9286);
    put16(out, 7);                 // UNDEFINED
    put32(out, static_cast<std::uint32_t>(comment.size()));
    put32(out, 44);
    put32(out, 0);
    out.insert(out.end(), comment.begin(), comment.end());
    return out;
}

std::optional<std::string> parseExifUserComment(const unsigned char* data, size_t size)
{
    const auto bytes = userCommentBytes(data, size);
    if (!bytes)
        return std::nullopt;
    const unsigned char* p = bytes->data();
    const size_t count = bytes->size();
    if (std::memcmp(p, "UNICODE\0", 8) == 0) {
        // piexif (A1111) writes UTF-16BE whatever the TIFF byte order; others write the file's
        // order. A BOM decides; else mostly-ASCII text shows its order by where the zero bytes sit.
        bool big = true;
        size_t skip = 8;
        if (count >= 10 && p[8] == 0xFE && p[9] == 0xFF) {
            skip = 10;
        } else if (count >= 10 && p[8] == 0xFF && p[9] == 0xFE) {
            big = false;
            skip = 10;
        } else {
            size_t zeroEven = 0, zeroOdd = 0;
            for (size_t i = 8; i + 1 < count; i += 2) {
                zeroEven += p[i] == 0;
                zeroOdd += p[i + 1] == 0;
            }
            big = zeroOdd <= zeroEven;
        }
        return utf16ToUtf8(p + skip, count - skip, big);
    }
    std::string text(reinterpret_cast<const char*>(p + 8), count - 8);
    while (!text.empty() && text.back() == '\0')
        text.pop_back();
    return text;
}

std::vector<unsigned char> jpegWithExif(const std::vector<unsigned char>& jpeg, const std::vector<unsigned char>& exif)
{
    if (jpeg.size() < 2 || jpeg[0] != 0xFF || jpeg[1] != 0xD8)
        return jpeg;
    std::vector<unsigned char> out = {0xFF, 0xD8, 0xFF, 0xE1};
    put16(out, static_cast<unsigned>(2 + 6 + exif.size()));
    out.insert(out.end(), {'E', 'x', 'i', 'f', 0, 0});
    out.insert(out.end(), exif.begin(), exif.end());
    out.insert(out.end(), jpeg.begin() + 2, jpeg.end());
    return out;
}

std::vector<unsigned char> webpWithExif(const std::vector<unsigned char>& webp, const std::vector<unsigned char>& exif,
                                        int /*width*/, int /*height*/)
{
    // libwebpmux rebuilds the container: VP8X with the EXIF flag and the canvas size, chunk order.
    const WebPData image{webp.data(), webp.size()};
    std::unique_ptr<WebPMux, WebPMuxDeleter> mux(WebPMuxCreate(&image, 0));
    if (!mux)
        return webp;
    const WebPData chunk{exif.data(), exif.size()};
    WebPData assembled{nullptr, 0};
    if (WebPMuxSetChunk(mux.get(), "EXIF", &chunk, 1) != WEBP_MUX_OK ||
        WebPMuxAssemble(mux.get(), &assembled) != WEBP_MUX_OK)
        return webp;
    std::vector<unsigned char> out(assembled.bytes, assembled.bytes + assembled.size);
    WebPDataClear(&assembled);
    return out;
}

std::vector<unsigned char> findExif(const std::vector<unsigned char>& f)
{
    if (f.size() > 4 && f[0] == 0xFF && f[1] == 0xD8) {
        // libexif's loader walks the JPEG markers up to the APP1 Exif segment.
        std::unique_ptr<ExifLoader, ExifLoaderUnref> loader(exif_loader_new());
        if (!loader)
            return {};
        for (size_t pos = 0; pos < f.size();) {
            const auto n = static_cast<unsigned int>(std::min<size_t>(f.size() - pos, 1u << 20));
            if (!exif_loader_write(loader.get(), const_cast<unsigned char*>(f.data() + pos), n))
                break;
            pos += n;
        }
        const unsigned char* buf = nullptr;
        unsigned int size = 0;
        exif_loader_get_buf(loader.get(), &buf, &size);
        return buf && size ? std::vector<unsigned char>(buf, buf + size) : std::vector<unsigned char>{};
    }
    if (f.size() > 12 && std::memcmp(f.data(), "RIFF", 4) == 0 && std::memcmp(f.data() + 8, "WEBP", 4) == 0) {
        const WebPData file{f.data(), f.size()};
        std::unique_ptr<WebPMux, WebPMuxDeleter> mux(WebPMuxCreate(&file, 0));
        WebPData chunk{nullptr, 0};
        if (!mux || WebPMuxGetChunk(mux.get(), "EXIF", &chunk) != WEBP_MUX_OK)
            return {};
        std::vector<unsigned char> payload(chunk.bytes, chunk.bytes + chunk.size);
        if (payload.size() >= 6 && std::memcmp(payload.data(), "Exif\0\0", 6) == 0)
            payload.erase(payload.begin(), payload.begin() + 6);
        return payload;
    }
    return {};
}

} // namespace easel::image
