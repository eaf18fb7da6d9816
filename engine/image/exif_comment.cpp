#include "engine/image/exif_comment.h"
#include "engine/core/utf8.h"

#include <cstring>

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
void putLE32(std::vector<unsigned char>& v, std::uint32_t x)
{
    for (int i = 0; i < 4; ++i)
        v.push_back(static_cast<unsigned char>(x >> (8 * i)));
}
std::uint32_t getLE32(const unsigned char* p) { return p[0] | (p[1] << 8) | (p[2] << 16) | (std::uint32_t(p[3]) << 24); }

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

struct Tiff {
    const unsigned char* data;
    size_t size;
    bool big;
    bool ok(size_t offset, size_t n) const { return offset <= size && n <= size - offset; }
    unsigned get16(size_t o) const { return big ? (data[o] << 8) | data[o + 1] : (data[o + 1] << 8) | data[o]; }
    std::uint32_t get32(size_t o) const
    {
        return big ? (std::uint32_t(data[o]) << 24) | (data[o + 1] << 16) | (data[o + 2] << 8) | data[o + 3]
                   : (std::uint32_t(data[o + 3]) << 24) | (data[o + 2] << 16) | (data[o + 1] << 8) | data[o];
    }
    /// Offset of the 12-byte entry with `tag` in the IFD at `ifd`, or 0.
    size_t findEntry(size_t ifd, unsigned tag) const
    {
        if (!ok(ifd, 2))
            return 0;
        const unsigned count = get16(ifd);
        for (unsigned i = 0; i < count; ++i) {
            const size_t e = ifd + 2 + 12 * size_t(i);
            if (!ok(e, 12))
                return 0;
            if (get16(e) == tag)
                return e;
        }
        return 0;
    }
};

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
    if (size >= 6 && std::memcmp(data, "Exif\0\0", 6) == 0) {
        data += 6;
        size -= 6;
    }
    if (size < 8 || !((data[0] == 'M' && data[1] == 'M') || (data[0] == 'I' && data[1] == 'I')))
        return std::nullopt;
    const Tiff t{data, size, data[0] == 'M'};
    const size_t pointer = t.findEntry(t.get32(4), 0x8769);
    if (!pointer)
        return std::nullopt;
    const size_t entry = t.findEntry(t.get32(pointer + 8), 0x9286);
    if (!entry)
        return std::nullopt;
    const std::uint32_t count = t.get32(entry + 4);
    const size_t offset = count <= 4 ? entry + 8 : t.get32(entry + 8);
    if (count < 8 || !t.ok(offset, count))
        return std::nullopt;
    const unsigned char* p = data + offset;
    if (std::memcmp(p, "UNICODE\0", 8) == 0) {
        // piexif writes big-endian; some tools write the file's byte order. A BOM decides if present.
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
                                        int width, int height)
{
    if (webp.size() < 20 || std::memcmp(webp.data(), "RIFF", 4) != 0 || std::memcmp(webp.data() + 8, "WEBP", 4) != 0)
        return webp;
    std::vector<unsigned char> body = {'W', 'E', 'B', 'P'};
    const bool extended = std::memcmp(webp.data() + 12, "VP8X", 4) == 0;
    if (!extended) {
        const bool alpha = std::memcmp(webp.data() + 12, "VP8L", 4) == 0 && webp.size() > 25 && (webp[24] & 0x10);
        body.insert(body.end(), {'V', 'P', '8', 'X'});
        putLE32(body, 10);
        body.push_back(static_cast<unsigned char>(0x08 | (alpha ? 0x10 : 0)));
        body.insert(body.end(), {0, 0, 0});
        for (int v : {width - 1, height - 1})
            for (int i = 0; i < 3; ++i)
                body.push_back(static_cast<unsigned char>(v >> (8 * i)));
        body.insert(body.end(), webp.begin() + 12, webp.end());
    } else {
        body.insert(body.end(), webp.begin() + 12, webp.end());
        body[4 + 8] |= 0x08; // EXIF flag of the VP8X chunk
    }
    body.insert(body.end(), {'E', 'X', 'I', 'F'});
    putLE32(body, static_cast<std::uint32_t>(exif.size()));
    body.insert(body.end(), exif.begin(), exif.end());
    if (exif.size() % 2)
        body.push_back(0);
    std::vector<unsigned char> out = {'R', 'I', 'F', 'F'};
    putLE32(out, static_cast<std::uint32_t>(body.size()));
    out.insert(out.end(), body.begin(), body.end());
    return out;
}

std::vector<unsigned char> findExif(const std::vector<unsigned char>& f)
{
    if (f.size() > 4 && f[0] == 0xFF && f[1] == 0xD8) {
        size_t pos = 2;
        while (pos + 4 <= f.size() && f[pos] == 0xFF) {
            const unsigned marker = f[pos + 1];
            const size_t len = (f[pos + 2] << 8) | f[pos + 3];
            if (marker == 0xDA || len < 2 || pos + 2 + len > f.size())
                break;
            if (marker == 0xE1 && len >= 8 && std::memcmp(&f[pos + 4], "Exif\0\0", 6) == 0)
                return std::vector<unsigned char>(f.begin() + pos + 10, f.begin() + pos + 2 + len);
            pos += 2 + len;
        }
    } else if (f.size() > 20 && std::memcmp(f.data(), "RIFF", 4) == 0 && std::memcmp(f.data() + 8, "WEBP", 4) == 0) {
        size_t pos = 12;
        while (pos + 8 <= f.size()) {
            const std::uint32_t len = getLE32(&f[pos + 4]);
            if (len > f.size() - pos - 8)
                break;
            if (std::memcmp(&f[pos], "EXIF", 4) == 0) {
                std::vector<unsigned char> payload(f.begin() + pos + 8, f.begin() + pos + 8 + len);
                if (payload.size() >= 6 && std::memcmp(payload.data(), "Exif\0\0", 6) == 0)
                    payload.erase(payload.begin(), payload.begin() + 6);
                return payload;
            }
            pos += 8 + len + (len % 2);
        }
    }
    return {};
}

} // namespace easel::image
