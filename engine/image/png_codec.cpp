#include "engine/image/png_codec.h"

#include <zlib.h>

#include <cstring>

#include "engine/api/error.h"

namespace easel::image {

using api::Error;
using api::ErrorCode;

namespace {

const unsigned char kSignature[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

void put32(std::vector<unsigned char>& out, std::uint32_t v)
{
    out.push_back(static_cast<unsigned char>(v >> 24));
    out.push_back(static_cast<unsigned char>(v >> 16));
    out.push_back(static_cast<unsigned char>(v >> 8));
    out.push_back(static_cast<unsigned char>(v));
}

std::uint32_t get32(const unsigned char* p)
{
    return (std::uint32_t(p[0]) << 24) | (std::uint32_t(p[1]) << 16) | (std::uint32_t(p[2]) << 8) | p[3];
}

void writeChunk(std::vector<unsigned char>& out, const char type[4], const std::vector<unsigned char>& data)
{
    put32(out, static_cast<std::uint32_t>(data.size()));
    const size_t start = out.size();
    out.insert(out.end(), type, type + 4);
    out.insert(out.end(), data.begin(), data.end());
    const uLong crc = crc32(0L, out.data() + start, static_cast<uInt>(out.size() - start));
    put32(out, static_cast<std::uint32_t>(crc));
}

std::vector<unsigned char> deflateBytes(const unsigned char* data, size_t size)
{
    uLongf bound = compressBound(static_cast<uLong>(size));
    std::vector<unsigned char> out(bound);
    if (compress2(out.data(), &bound, data, static_cast<uLong>(size), 6) != Z_OK)
        throw Error(ErrorCode::Internal, "PNG compression failed");
    out.resize(bound);
    return out;
}

// Inflates with a hard cap so a hostile file cannot make us allocate without bound.
std::vector<unsigned char> inflateBytes(const unsigned char* data, size_t size, size_t limit)
{
    z_stream zs{};
    if (inflateInit(&zs) != Z_OK)
        throw Error(ErrorCode::Internal, "zlib init failed");
    std::vector<unsigned char> out;
    std::vector<unsigned char> buf(1 << 16);
    zs.next_in = const_cast<Bytef*>(data);
    zs.avail_in = static_cast<uInt>(size);
    int rc = Z_OK;
    while (rc != Z_STREAM_END) {
        zs.next_out = buf.data();
        zs.avail_out = static_cast<uInt>(buf.size());
        rc = inflate(&zs, Z_NO_FLUSH);
        if (rc != Z_OK && rc != Z_STREAM_END) {
            inflateEnd(&zs);
            throw Error(ErrorCode::CorruptFile, "PNG: damaged compressed data");
        }
        out.insert(out.end(), buf.data(), buf.data() + (buf.size() - zs.avail_out));
        if (out.size() > limit) {
            inflateEnd(&zs);
            throw Error(ErrorCode::CorruptFile, "PNG: compressed data expands beyond the expected size");
        }
        if (rc != Z_STREAM_END && zs.avail_in == 0 && zs.avail_out != 0)
            break; // truncated stream: keep what we have, the caller checks the size
    }
    inflateEnd(&zs);
    return out;
}

bool isAscii(const std::string& s)
{
    for (unsigned char c : s)
        if (c >= 0x80)
            return false;
    return true;
}

std::string latin1ToUtf8(const std::string& s)
{
    std::string out;
    for (unsigned char c : s) {
        if (c < 0x80) {
            out += static_cast<char>(c);
        } else {
            out += static_cast<char>(0xC0 | (c >> 6));
            out += static_cast<char>(0x80 | (c & 0x3F));
        }
    }
    return out;
}

struct Chunk {
    std::string type;
    const unsigned char* data;
    std::uint32_t size;
};

std::vector<Chunk> chunks(const std::vector<unsigned char>& png)
{
    if (png.size() < 8 || std::memcmp(png.data(), kSignature, 8) != 0)
        throw Error(ErrorCode::CorruptFile, "not a PNG file");
    std::vector<Chunk> out;
    size_t pos = 8;
    while (pos + 12 <= png.size()) {
        const std::uint32_t len = get32(&png[pos]);
        if (len > png.size() - pos - 12)
            throw Error(ErrorCode::CorruptFile, "PNG: chunk runs past the end of the file (truncated?)");
        Chunk c{std::string(reinterpret_cast<const char*>(&png[pos + 4]), 4), &png[pos + 8], len};
        const uLong crc = crc32(0L, &png[pos + 4], len + 4);
        if (crc != get32(&png[pos + 8 + len]))
            throw Error(ErrorCode::CorruptFile, "PNG: checksum mismatch in chunk " + c.type);
        out.push_back(c);
        pos += 12 + len;
        if (c.type == "IEND")
            break;
    }
    return out;
}

int paeth(int a, int b, int c)
{
    const int p = a + b - c;
    const int pa = std::abs(p - a), pb = std::abs(p - b), pc = std::abs(p - c);
    if (pa <= pb && pa <= pc)
        return a;
    return pb <= pc ? b : c;
}

} // namespace

std::vector<unsigned char> encodePng(const api::Image& image, const std::map<std::string, std::string>& text)
{
    if (image.empty() || image.pixels.size() != image.byteSize()
        || (image.channels != 1 && image.channels != 3 && image.channels != 4))
        throw Error(ErrorCode::InvalidRequest, "cannot encode an empty or malformed image as PNG");
    std::vector<unsigned char> out(kSignature, kSignature + 8);

    std::vector<unsigned char> ihdr;
    put32(ihdr, static_cast<std::uint32_t>(image.width));
    put32(ihdr, static_cast<std::uint32_t>(image.height));
    ihdr.push_back(8);
    ihdr.push_back(image.channels == 1 ? 0 : image.channels == 3 ? 2 : 6);
    ihdr.insert(ihdr.end(), {0, 0, 0});
    writeChunk(out, "IHDR", ihdr);

    for (const auto& [key, value] : text) {
        std::vector<unsigned char> data(key.begin(), key.end());
        data.push_back(0);
        if (isAscii(value)) {
            data.insert(data.end(), value.begin(), value.end());
            writeChunk(out, "tEXt", data);
        } else {
            // iTXt: keyword\0 compression-flag compression-method language\0 translated-keyword\0 text
            data.insert(data.end(), {0, 0, 0, 0});
            data.insert(data.end(), value.begin(), value.end());
            writeChunk(out, "iTXt", data);
        }
    }

    // Filter "Sub" on every row: cheap and compresses generated images noticeably better than none.
    const size_t stride = static_cast<size_t>(image.width) * image.channels;
    std::vector<unsigned char> raw;
    raw.reserve((stride + 1) * image.height);
    for (int y = 0; y < image.height; ++y) {
        const unsigned char* row = image.pixels.data() + y * stride;
        raw.push_back(1);
        for (size_t x = 0; x < stride; ++x)
            raw.push_back(static_cast<unsigned char>(row[x] - (x >= size_t(image.channels) ? row[x - image.channels] : 0)));
    }
    writeChunk(out, "IDAT", deflateBytes(raw.data(), raw.size()));
    writeChunk(out, "IEND", {});
    return out;
}

std::map<std::string, std::string> readPngText(const std::vector<unsigned char>& png)
{
    std::map<std::string, std::string> out;
    for (const Chunk& c : chunks(png)) {
        if (c.type != "tEXt" && c.type != "zTXt" && c.type != "iTXt")
            continue;
        const auto* end = c.data + c.size;
        const auto* nul = static_cast<const unsigned char*>(std::memchr(c.data, 0, c.size));
        if (!nul)
            throw Error(ErrorCode::CorruptFile, "PNG: text chunk without a keyword");
        const std::string key(reinterpret_cast<const char*>(c.data), nul - c.data);
        const unsigned char* p = nul + 1;
        constexpr size_t kTextLimit = 64u << 20;
        if (c.type == "tEXt") {
            out[key] = latin1ToUtf8(std::string(reinterpret_cast<const char*>(p), end - p));
        } else if (c.type == "zTXt") {
            if (p >= end)
                throw Error(ErrorCode::CorruptFile, "PNG: damaged zTXt chunk");
            auto text = inflateBytes(p + 1, end - p - 1, kTextLimit);
            out[key] = latin1ToUtf8(std::string(text.begin(), text.end()));
        } else {
            if (end - p < 2)
                throw Error(ErrorCode::CorruptFile, "PNG: damaged iTXt chunk");
            const bool compressed = p[0] != 0;
            p += 2;
            for (int skip = 0; skip < 2; ++skip) { // language tag, translated keyword
                const auto* z = static_cast<const unsigned char*>(std::memchr(p, 0, end - p));
                if (!z)
                    throw Error(ErrorCode::CorruptFile, "PNG: damaged iTXt chunk");
                p = z + 1;
            }
            if (compressed) {
                auto text = inflateBytes(p, end - p, kTextLimit);
                out[key] = std::string(text.begin(), text.end());
            } else {
                out[key] = std::string(reinterpret_cast<const char*>(p), end - p);
            }
        }
    }
    return out;
}

api::Image decodePng(const std::vector<unsigned char>& png)
{
    const auto all = chunks(png);
    if (all.empty() || all.front().type != "IHDR" || all.front().size != 13)
        throw Error(ErrorCode::CorruptFile, "PNG: missing header");
    const unsigned char* h = all.front().data;
    const std::uint32_t width = get32(h), height = get32(h + 4);
    const int depth = h[8], colorType = h[9], interlace = h[12];
    if (width == 0 || height == 0 || width > 65535 || height > 65535)
        throw Error(ErrorCode::CorruptFile, "PNG: implausible image size");
    int channels = 0;
    switch (colorType) {
    case 0: channels = 1; break;
    case 2: channels = 3; break;
    case 4: channels = 2; break;
    case 6: channels = 4; break;
    default: break;
    }
    if (depth != 8 || channels == 0 || interlace != 0)
        throw Error(ErrorCode::UnsupportedFormat, "PNG variant (palette, 16-bit or interlaced) needs the OpenCV reader");
    std::vector<unsigned char> compressed;
    for (const Chunk& c : all)
        if (c.type == "IDAT")
            compressed.insert(compressed.end(), c.data, c.data + c.size);
    const size_t stride = size_t(width) * channels;
    const size_t expected = (stride + 1) * height;
    const auto raw = inflateBytes(compressed.data(), compressed.size(), expected);
    if (raw.size() < expected)
        throw Error(ErrorCode::CorruptFile, "PNG: image data is truncated");

    std::vector<unsigned char> pix(stride * height);
    for (size_t y = 0; y < height; ++y) {
        const unsigned char filter = raw[y * (stride + 1)];
        const unsigned char* src = &raw[y * (stride + 1) + 1];
        unsigned char* dst = &pix[y * stride];
        const unsigned char* up = y ? &pix[(y - 1) * stride] : nullptr;
        for (size_t x = 0; x < stride; ++x) {
            const int a = x >= size_t(channels) ? dst[x - channels] : 0;
            const int b = up ? up[x] : 0;
            const int c = (up && x >= size_t(channels)) ? up[x - channels] : 0;
            int v = src[x];
            switch (filter) {
            case 0: break;
            case 1: v += a; break;
            case 2: v += b; break;
            case 3: v += (a + b) / 2; break;
            case 4: v += paeth(a, b, c); break;
            default: throw Error(ErrorCode::CorruptFile, "PNG: unknown row filter");
            }
            dst[x] = static_cast<unsigned char>(v);
        }
    }
    api::Image img;
    img.width = static_cast<int>(width);
    img.height = static_cast<int>(height);
    if (channels == 2) { // gray+alpha -> RGBA
        img.channels = 4;
        img.pixels.resize(size_t(width) * height * 4);
        for (size_t i = 0; i < size_t(width) * height; ++i) {
            img.pixels[i * 4] = img.pixels[i * 4 + 1] = img.pixels[i * 4 + 2] = pix[i * 2];
            img.pixels[i * 4 + 3] = pix[i * 2 + 1];
        }
    } else {
        img.channels = channels;
        img.pixels = std::move(pix);
    }
    return img;
}

} // namespace easel::image
