#pragma once
// UTF-8 encoding and JSON string decoding, shared by every hand-written reader of text formats
// (safetensors headers, the catalog's header digest, the CLIP tokenizer, EXIF comments). One copy,
// because each former copy had to agree with the others bit for bit: a metadata string decoded by
// the catalog's fast pass must equal the one the strict reader gives. Header-only and plain C++
// (the catalog links no engine library); any thread.

#include <cstdint>
#include <string>
#include <string_view>

namespace easel::core {

/// Appends the code point `cp` as UTF-8. Callers pass scalar values they decoded (no surrogates,
/// <= U+10FFFF); nothing is validated here, so the hot paths (tokenizer) stay branch-light.
inline void appendUtf8(std::string& out, char32_t cp)
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

/// The longest prefix of `s` of at most `maxBytes` bytes that does not cut a UTF-8 sequence.
inline std::string_view utf8Prefix(std::string_view s, size_t maxBytes)
{
    if (s.size() <= maxBytes)
        return s;
    size_t cut = maxBytes;
    while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80)
        --cut;
    return s.substr(0, cut);
}

/// True when `s` is well-formed UTF-8 as far as the safetensors reader has always checked it:
/// lead bytes with the right number of continuation bytes (0xC0/0xC1 two-byte leads refused).
inline bool isValidUtf8(std::string_view s)
{
    for (size_t i = 0; i < s.size();) {
        const unsigned char c = static_cast<unsigned char>(s[i]);
        const int n = c < 0x80 ? 0 : (c >> 5) == 6 ? 1 : (c >> 4) == 14 ? 2 : (c >> 3) == 30 ? 3 : -1;
        if (n < 0 || (n == 1 && c < 0xC2) || i + n >= s.size() + (n == 0 ? 1 : 0))
            return false;
        for (int k = 1; k <= n; ++k)
            if ((static_cast<unsigned char>(s[i + k]) >> 6) != 2)
                return false;
        i += static_cast<size_t>(n) + 1;
    }
    return true;
}

/// Four hex digits of `s` at `i` (a JSON \u escape); false when short or not hex.
inline bool parseHex4(std::string_view s, size_t i, uint32_t& out)
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

/// Decodes a JSON string body (the text between the quotes) into UTF-8 (RFC 8259 §7: the two-char
/// escapes and \uXXXX, surrogate pairs joined). False on a bad escape or a lone surrogate; `out`
/// then holds a prefix. Control characters are the tokenizer's business, not checked here.
inline bool unescapeJsonString(std::string_view body, std::string& out)
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
            uint32_t cp = 0;
            if (!parseHex4(body, i + 1, cp))
                return false;
            i += 4;
            if (cp >= 0xD800 && cp < 0xDC00) { // high surrogate: a low one must follow
                uint32_t low = 0;
                if (body.substr(i + 1, 2) != "\\u" || !parseHex4(body, i + 3, low) || low < 0xDC00 || low >= 0xE000)
                    return false;
                i += 6;
                cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
            } else if (cp >= 0xDC00 && cp < 0xE000) {
                return false;
            }
            appendUtf8(out, cp);
            break;
        }
        default: return false;
        }
    }
    return true;
}

} // namespace easel::core
