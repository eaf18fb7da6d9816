#include "engine/catalog/header_digest.h"

#define XXH_STATIC_LINKING_ONLY // XXH3_state_t on the stack
#include <xxhash.h>

#include "engine/io/safetensors_header.h"

namespace easel::catalog {

bool digestSafetensorsHeader(std::string_view json, HeaderDigest& out)
{
    out = HeaderDigest{};
    io::SafetensorsHeaderScanner cur(json);
    if (!cur.consume('{'))
        return false;
    // Hash everything except the metadata value, in two streamed pieces.
    size_t metaBegin = std::string_view::npos, metaEnd = 0;
    if (!cur.consume('}')) {
        do {
            std::string_view key;
            bool escaped;
            if (!cur.rawString(key, escaped) || !cur.consume(':'))
                return false;
            if (key == "__metadata__") {
                if (metaBegin != std::string_view::npos || cur.peek() != '{')
                    return false; // duplicate or not an object
                metaBegin = cur.pos();
                cur.consume('{');
                if (!cur.consume('}')) {
                    do {
                        // Decoded and UTF-8-checked exactly as the strict reader does, so both
                        // give the same metadata. Values must be strings.
                        auto& [name, value] = out.metadata.emplace_back();
                        if (!cur.string(name) || !cur.consume(':') || cur.peek() != '"' || !cur.string(value))
                            return false;
                    } while (cur.consume(','));
                    if (!cur.consume('}'))
                        return false;
                }
                metaEnd = cur.pos();
            } else {
                if (cur.peek() != '{' || !cur.skipFlatObject())
                    return false;
                ++out.tensorCount;
            }
        } while (cur.consume(','));
        if (!cur.consume('}'))
            return false;
    }
    // Padding after the object (writers align the data section with spaces) is not hashed, so
    // files that differ only in metadata length share a tensor-part hash.
    const size_t end = cur.pos();
    cur.skipSpace();
    if (!cur.atEnd())
        return false;

    XXH3_state_t state;
    XXH3_64bits_reset(&state);
    if (metaBegin == std::string_view::npos) {
        XXH3_64bits_update(&state, json.data(), end);
    } else {
        XXH3_64bits_update(&state, json.data(), metaBegin);
        XXH3_64bits_update(&state, json.data() + metaEnd, end - metaEnd);
        out.metadataJson = json.substr(metaBegin, metaEnd - metaBegin);
    }
    out.tensorPartHash = XXH3_64bits_digest(&state);
    return true;
}

} // namespace easel::catalog
