#include "engine/text/vocab.h"

#include <zlib.h>

#include "engine/api/error.h"

namespace easel::text {

std::string embeddedVocabText() {
    const std::string_view gz = embeddedVocabGz();
    z_stream stream{};
    // 16 + MAX_WBITS: expect a gzip header.
    if (inflateInit2(&stream, 16 + MAX_WBITS) != Z_OK) {
        throw api::Error(api::ErrorCode::Internal, "zlib could not start decompressing the built-in CLIP vocabulary.");
    }
    stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(gz.data()));
    stream.avail_in = static_cast<uInt>(gz.size());
    std::string out;
    char buffer[1 << 16];
    int rc = Z_OK;
    do {
        stream.next_out = reinterpret_cast<Bytef*>(buffer);
        stream.avail_out = sizeof(buffer);
        rc = inflate(&stream, Z_NO_FLUSH);
        if (rc != Z_OK && rc != Z_STREAM_END) {
            inflateEnd(&stream);
            throw api::Error(api::ErrorCode::CorruptFile,
                "The built-in CLIP vocabulary is damaged (zlib error " + std::to_string(rc)
                    + "). Reinstall Easel or rebuild it from a clean checkout.");
        }
        out.append(buffer, sizeof(buffer) - stream.avail_out);
    } while (rc != Z_STREAM_END);
    inflateEnd(&stream);
    return out;
}

} // namespace easel::text
