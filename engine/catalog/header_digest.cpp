#include "engine/catalog/header_digest.h"

#define XXH_STATIC_LINKING_ONLY // XXH3_state_t on the stack
#include <xxhash.h>

#include <cstring>

namespace easel::catalog {

namespace {

class Cursor {
public:
    explicit Cursor(std::string_view text)
        : m_s(text)
    {
    }

    size_t pos() const { return m_i; }
    bool atEnd() const { return m_i >= m_s.size(); }

    void skipSpace()
    {
        while (m_i < m_s.size()) {
            const char c = m_s[m_i];
            if (c != ' ' && c != '\n' && c != '\r' && c != '\t')
                break;
            ++m_i;
        }
    }

    bool consume(char c)
    {
        skipSpace();
        if (m_i < m_s.size() && m_s[m_i] == c) {
            ++m_i;
            return true;
        }
        return false;
    }

    /// Skips a tensor entry object. Entries hold only `dtype`, `shape` and `data_offsets` (no nested
    /// objects, no braces inside their strings), so the first '}' ends it. A file that breaks this
    /// either fails the structure checks that follow or is caught by the strict reader, which
    /// validates every distinct tensor part (see ClassificationCache).
    bool skipFlatObject()
    {
        if (!consume('{'))
            return false;
        const void* close = std::memchr(m_s.data() + m_i, '}', m_s.size() - m_i);
        if (!close)
            return false;
        m_i = static_cast<size_t>(static_cast<const char*>(close) - m_s.data()) + 1;
        return true;
    }

    char peek()
    {
        skipSpace();
        return m_i < m_s.size() ? m_s[m_i] : '\0';
    }

    /// A string token; `body` is the raw text between the quotes (escapes not decoded).
    bool string(std::string_view& body, bool& escaped)
    {
        if (!consume('"'))
            return false;
        const size_t begin = m_i;
        escaped = false;
        while (m_i < m_s.size()) {
            const char c = m_s[m_i];
            if (c == '"') {
                body = m_s.substr(begin, m_i - begin);
                ++m_i;
                return true;
            }
            if (c == '\\') {
                escaped = true;
                m_i += 2;
                continue;
            }
            if (static_cast<unsigned char>(c) < 0x20)
                return false;
            ++m_i;
        }
        return false;
    }

private:
    std::string_view m_s;
    size_t m_i = 0;
};

void appendUtf8(uint32_t cp, std::string& out)
{
    if (cp < 0x80) {
        out += static_cast<char>(cp);
    } else if (cp < 0x800) {
        out += static_cast<char>(0xC0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out += static_cast<char>(0xE0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (cp >> 18));
        out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    }
}

bool hex4(std::string_view s, size_t i, uint32_t& out)
{
    if (i + 4 > s.size())
        return false;
    out = 0;
    for (size_t k = 0; k < 4; ++k) {
        const char c = s[i + k];
        out <<= 4;
        if (c >= '0' && c <= '9')
            out |= static_cast<uint32_t>(c - '0');
        else if (c >= 'a' && c <= 'f')
            out |= static_cast<uint32_t>(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F')
            out |= static_cast<uint32_t>(c - 'A' + 10);
        else
            return false;
    }
    return true;
}

} // namespace

bool unescapeJsonString(std::string_view body, std::string& out)
{
    out.clear();
    out.reserve(body.size());
    for (size_t i = 0; i < body.size(); ++i) {
        const char c = body[i];
        if (c != '\\') {
            out += c;
            continue;
        }
        if (++i >= body.size())
            return false;
        switch (body[i]) {
        case '"': out += '"'; break;
        case '\\': out += '\\'; break;
        case '/': out += '/'; break;
        case 'b': out += '\b'; break;
        case 'f': out += '\f'; break;
        case 'n': out += '\n'; break;
        case 'r': out += '\r'; break;
        case 't': out += '\t'; break;
        case 'u': {
            uint32_t cp;
            if (!hex4(body, i + 1, cp))
                return false;
            i += 4;
            if (cp >= 0xD800 && cp < 0xDC00) { // high surrogate: a low one must follow
                uint32_t low;
                if (body.substr(i + 1, 2) != "\\u" || !hex4(body, i + 3, low) || low < 0xDC00 || low >= 0xE000)
                    return false;
                i += 6;
                cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
            } else if (cp >= 0xDC00 && cp < 0xE000) {
                return false;
            }
            appendUtf8(cp, out);
            break;
        }
        default: return false;
        }
    }
    return true;
}

bool digestSafetensorsHeader(std::string_view json, HeaderDigest& out)
{
    out = HeaderDigest{};
    Cursor cur(json);
    if (!cur.consume('{'))
        return false;
    // Hash everything except the metadata value, in two streamed pieces.
    size_t metaBegin = std::string_view::npos, metaEnd = 0;
    if (!cur.consume('}')) {
        do {
            std::string_view key;
            bool escaped;
            if (!cur.string(key, escaped) || !cur.consume(':'))
                return false;
            if (key == "__metadata__") {
                if (metaBegin != std::string_view::npos || cur.peek() != '{')
                    return false; // duplicate or not an object
                metaBegin = cur.pos();
                cur.consume('{');
                if (!cur.consume('}')) {
                    do {
                        std::string_view k, v;
                        bool ke, ve;
                        if (!cur.string(k, ke) || !cur.consume(':') || cur.peek() != '"' || !cur.string(v, ve))
                            return false; // values must be strings
                        auto& [name, value] = out.metadata.emplace_back();
                        if (ke ? !unescapeJsonString(k, name) : (name.assign(k), false))
                            return false;
                        if (ve ? !unescapeJsonString(v, value) : (value.assign(v), false))
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
