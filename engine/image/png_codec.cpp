// libpng does the PNG work (chunk walking, CRCs, inflate, filters, interlace, bit depths); this file
// sets its limits, maps its errors to api::Error and converts text encodings.
//
// libpng reports errors by longjmp. Every libpng call therefore runs inside guarded(), whose lambda
// holds no objects with destructors (they live in the caller, so a jump skips none of them), and the
// png/info structs are owned by RAII holders outside the jump.
#include "engine/image/png_codec.h"

#include <png.h>

#include <cstdio>
#include <cstring>

#include "engine/api/error.h"

namespace easel::image {

using api::Error;
using api::ErrorCode;

namespace {

/// Cap on any one text chunk after inflating (zTXt/iTXt): an infotext is a few KB.
constexpr png_alloc_size_t kTextLimit = 64u << 20;

struct Failure {
    char message[256] = {};
};

void onError(png_structp png, png_const_charp message)
{
    auto* f = static_cast<Failure*>(png_get_error_ptr(png));
    std::snprintf(f->message, sizeof f->message, "%s", message ? message : "error");
    png_longjmp(png, 1);
}

void onWarning(png_structp, png_const_charp) {}

template <class Step>
bool guarded(png_structp png, Step&& step)
{
    if (setjmp(png_jmpbuf(png)))
        return false;
    step();
    return true;
}

struct Source {
    const unsigned char* data;
    size_t size;
    size_t pos;
};

void onRead(png_structp png, png_bytep out, size_t n)
{
    auto* s = static_cast<Source*>(png_get_io_ptr(png));
    if (n > s->size - s->pos)
        png_error(png, "the file is truncated");
    std::memcpy(out, s->data + s->pos, n);
    s->pos += n;
}

/// A libpng read struct over bytes in memory, with our limits set.
class Reader {
public:
    explicit Reader(const std::vector<unsigned char>& bytes) : m_source{bytes.data(), bytes.size(), 0}
    {
        if (bytes.size() < 8 || png_sig_cmp(bytes.data(), 0, 8) != 0)
            throw Error(ErrorCode::CorruptFile, "not a PNG file");
        png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &failure, onError, onWarning);
        info = png ? png_create_info_struct(png) : nullptr;
        if (!info)
            throw Error(ErrorCode::OutOfMemory, "PNG: cannot allocate the decoder");
        png_set_read_fn(png, &m_source, onRead);
        // A damaged text chunk is an error, not a silently dropped chunk (libpng's default).
        png_set_crc_action(png, PNG_CRC_ERROR_QUIT, PNG_CRC_ERROR_QUIT);
        png_set_chunk_malloc_max(png, kTextLimit);
    }
    ~Reader() { png_destroy_read_struct(&png, info ? &info : nullptr, nullptr); }
    Reader(const Reader&) = delete;
    Reader& operator=(const Reader&) = delete;

    [[noreturn]] void fail() const { throw Error(ErrorCode::CorruptFile, std::string("PNG: ") + failure.message); }

    /// Refuses images above `maxPixels` from the header, before any image data is inflated.
    void checkSize(uint64_t maxPixels) const
    {
        const uint64_t w = png_get_image_width(png, info), h = png_get_image_height(png, info);
        if (w * h > maxPixels)
            throw Error(ErrorCode::UnsupportedFormat,
                        "PNG is " + std::to_string(w) + "x" + std::to_string(h) + " pixels, more than the " +
                            std::to_string(maxPixels / 1'000'000) + " megapixels Easel decodes; resize it first");
    }

    png_structp png = nullptr;
    png_infop info = nullptr;
    Failure failure;

private:
    Source m_source;
};

bool isAscii(const std::string& s)
{
    for (unsigned char c : s)
        if (c >= 0x80)
            return false;
    return true;
}

std::string latin1ToUtf8(const char* s, size_t n)
{
    std::string out;
    out.reserve(n);
    for (size_t i = 0; i < n; ++i) {
        const auto c = static_cast<unsigned char>(s[i]);
        if (c < 0x80) {
            out += static_cast<char>(c);
        } else {
            out += static_cast<char>(0xC0 | (c >> 6));
            out += static_cast<char>(0x80 | (c & 0x3F));
        }
    }
    return out;
}

void collectText(const Reader& r, std::map<std::string, std::string>& out)
{
    png_textp text = nullptr;
    int count = 0;
    png_get_text(r.png, r.info, &text, &count);
    for (int i = 0; i < count; ++i) {
        const png_text& t = text[i];
        const bool utf8 = t.compression >= PNG_ITXT_COMPRESSION_NONE; // iTXt; tEXt/zTXt are Latin-1
        out[t.key] = utf8 ? std::string(t.text, t.itxt_length) : latin1ToUtf8(t.text, t.text_length);
    }
}

void onWrite(png_structp png, png_bytep data, size_t n)
{
    auto* out = static_cast<std::vector<unsigned char>*>(png_get_io_ptr(png));
    bool ok = true;
    try {
        out->insert(out->end(), data, data + n);
    } catch (...) {
        ok = false; // never unwind through libpng; report through its error path instead
    }
    if (!ok)
        png_error(png, "out of memory");
}

class Writer {
public:
    explicit Writer(std::vector<unsigned char>& out)
    {
        png = png_create_write_struct(PNG_LIBPNG_VER_STRING, &failure, onError, onWarning);
        info = png ? png_create_info_struct(png) : nullptr;
        if (!info)
            throw Error(ErrorCode::OutOfMemory, "PNG: cannot allocate the encoder");
        png_set_write_fn(png, &out, onWrite, nullptr);
    }
    ~Writer() { png_destroy_write_struct(&png, info ? &info : nullptr); }
    Writer(const Writer&) = delete;
    Writer& operator=(const Writer&) = delete;

    png_structp png = nullptr;
    png_infop info = nullptr;
    Failure failure;
};

} // namespace

std::vector<unsigned char> encodePng(const api::Image& image, const std::map<std::string, std::string>& text)
{
    if (image.empty() || image.pixels.size() != image.byteSize()
        || (image.channels != 1 && image.channels != 3 && image.channels != 4))
        throw Error(ErrorCode::InvalidRequest, "cannot encode an empty or malformed image as PNG");
    const int colorType = image.channels == 1 ? PNG_COLOR_TYPE_GRAY
                        : image.channels == 3 ? PNG_COLOR_TYPE_RGB
                                              : PNG_COLOR_TYPE_RGBA;
    // libpng copies the text in png_set_text; these only need to outlive that call.
    std::vector<png_text> chunks(text.size());
    size_t i = 0;
    for (const auto& [key, value] : text) {
        png_text& t = chunks[i++];
        t.key = const_cast<char*>(key.c_str());
        t.text = const_cast<char*>(value.c_str());
        if (isAscii(value)) {
            t.compression = PNG_TEXT_COMPRESSION_NONE; // tEXt
            t.text_length = value.size();
        } else {
            t.compression = PNG_ITXT_COMPRESSION_NONE; // iTXt, UTF-8, no language tag
            t.itxt_length = value.size();
            t.lang = const_cast<char*>("");
            t.lang_key = const_cast<char*>("");
        }
    }
    const size_t stride = static_cast<size_t>(image.width) * image.channels;
    std::vector<png_bytep> rows(image.height);
    for (int y = 0; y < image.height; ++y)
        rows[y] = const_cast<png_bytep>(image.pixels.data() + y * stride);

    std::vector<unsigned char> out;
    out.reserve(image.byteSize() / 2);
    Writer w(out);
    const bool ok = guarded(w.png, [&] {
        png_set_IHDR(w.png, w.info, image.width, image.height, 8, colorType, PNG_INTERLACE_NONE,
                     PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
        if (!chunks.empty())
            png_set_text(w.png, w.info, chunks.data(), static_cast<int>(chunks.size()));
        // "Sub" on every row and zlib level 6: what the hand-written encoder did. libpng's adaptive
        // choice of filters per row makes smaller files but costs more time per saved image.
        png_set_filter(w.png, PNG_FILTER_TYPE_BASE, PNG_FILTER_SUB);
        png_set_compression_level(w.png, 6);
        png_set_rows(w.png, w.info, rows.data());
        png_write_png(w.png, w.info, PNG_TRANSFORM_IDENTITY, nullptr);
    });
    if (!ok)
        throw Error(ErrorCode::Internal, std::string("PNG encoding failed: ") + w.failure.message);
    return out;
}

std::map<std::string, std::string> readPngText(const std::vector<unsigned char>& png, uint64_t maxPixels)
{
    Reader r(png);
    if (!guarded(r.png, [&] { png_read_info(r.png, r.info); }))
        r.fail();
    r.checkSize(maxPixels);
    // Text may also follow the image data; libpng reaches it only by reading the rows, which go
    // through one reused row buffer here (nothing is kept).
    int passes = 1;
    if (!guarded(r.png, [&] {
            passes = png_set_interlace_handling(r.png);
            png_read_update_info(r.png, r.info);
        }))
        r.fail();
    std::vector<unsigned char> row(png_get_rowbytes(r.png, r.info));
    const png_uint_32 height = png_get_image_height(r.png, r.info);
    if (!guarded(r.png, [&] {
            for (int p = 0; p < passes; ++p)
                for (png_uint_32 y = 0; y < height; ++y)
                    png_read_row(r.png, row.data(), nullptr);
            png_read_end(r.png, r.info);
        }))
        r.fail();
    std::map<std::string, std::string> out;
    collectText(r, out);
    return out;
}

api::Image decodePng(const std::vector<unsigned char>& png, uint64_t maxPixels)
{
    Reader r(png);
    if (!guarded(r.png, [&] { png_read_info(r.png, r.info); }))
        r.fail();
    r.checkSize(maxPixels);
    const int colorType = png_get_color_type(r.png, r.info);
    const int depth = png_get_bit_depth(r.png, r.info);
    const bool transparency = png_get_valid(r.png, r.info, PNG_INFO_tRNS) != 0;
    if (!guarded(r.png, [&] {
            if (colorType == PNG_COLOR_TYPE_PALETTE)
                png_set_palette_to_rgb(r.png);
            if (colorType == PNG_COLOR_TYPE_GRAY && depth < 8)
                png_set_expand_gray_1_2_4_to_8(r.png);
            if (transparency)
                png_set_tRNS_to_alpha(r.png);
            if (depth == 16)
                png_set_scale_16(r.png);
            // Our Image has gray, RGB or RGBA: gray with any alpha becomes RGBA.
            if (colorType == PNG_COLOR_TYPE_GRAY_ALPHA || (colorType == PNG_COLOR_TYPE_GRAY && transparency))
                png_set_gray_to_rgb(r.png);
            png_set_interlace_handling(r.png);
            png_read_update_info(r.png, r.info);
        }))
        r.fail();
    api::Image img;
    img.width = static_cast<int>(png_get_image_width(r.png, r.info));
    img.height = static_cast<int>(png_get_image_height(r.png, r.info));
    img.channels = png_get_channels(r.png, r.info);
    const size_t stride = static_cast<size_t>(img.width) * img.channels;
    if (png_get_bit_depth(r.png, r.info) != 8 || png_get_rowbytes(r.png, r.info) != stride ||
        (img.channels != 1 && img.channels != 3 && img.channels != 4))
        throw Error(ErrorCode::Internal, "PNG: unexpected layout after conversion to 8 bits");
    img.pixels.resize(img.byteSize());
    std::vector<png_bytep> rows(img.height);
    for (int y = 0; y < img.height; ++y)
        rows[y] = img.pixels.data() + y * stride;
    if (!guarded(r.png, [&] { png_read_image(r.png, rows.data()); }))
        r.fail();
    return img;
}

} // namespace easel::image
