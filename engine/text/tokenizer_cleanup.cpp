#include "engine/text/tokenizer_cleanup.h"

#include <array>
#include <cstdint>

#include "engine/text/tokenizer_unicode.h"

namespace easel::text {
namespace {

using unicode::fromUtf8;
using unicode::toUtf8;

// Windows-1252 bytes 0x80..0x9F; the five undefined bytes map to the C1 code point of the same
// value, as ftfy's "sloppy-windows-1252" codec does.
constexpr std::array<char32_t, 32> kCp1252High = {
    0x20AC, 0x81, 0x201A, 0x192, 0x201E, 0x2026, 0x2020, 0x2021, 0x2C6, 0x2030, 0x160, 0x2039, 0x152, 0x8D, 0x17D, 0x8F,
    0x90, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x2DC, 0x2122, 0x161, 0x203A, 0x153, 0x9D, 0x17E, 0x178};

/// The byte a character had in sloppy Windows-1252 / Latin-1, or -1.
int sloppyByte(char32_t c) {
    if (c < 0x80 || (c >= 0xA0 && c <= 0xFF)) {
        return static_cast<int>(c);
    }
    for (std::size_t i = 0; i < kCp1252High.size(); ++i) {
        if (kCp1252High[i] == c) {
            return static_cast<int>(0x80 + i);
        }
    }
    if (c >= 0x80 && c <= 0x9F) {
        return static_cast<int>(c);  // Latin-1 reading of a C1 control
    }
    return -1;
}

bool isAsciiAlnum(char32_t c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

// ftfy unescape_html: HTML_ENTITY_RE = &#?[0-9A-Za-z]{1,24}; with ftfy's own entity table; numeric
// references go through html.unescape and are kept only if it consumed the whole reference.
std::u32string ftfyUnescapeHtml(const std::u32string& text) {
    std::u32string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size();) {
        if (text[i] == U'&') {
            std::size_t j = i + 1;
            const bool numeric = j < text.size() && text[j] == U'#';
            if (numeric) {
                ++j;
            }
            std::size_t k = j;
            while (k < text.size() && k - j < 24 && isAsciiAlnum(text[k])) {
                ++k;
            }
            if (k > j && k < text.size() && text[k] == U';') {
                const std::u32string match = text.substr(i, k + 1 - i);
                const std::string utf8 = toUtf8(match);
                if (const char* value = unicode::ftfyEntity(std::string_view(utf8).substr(1))) {
                    out += fromUtf8(value);
                    i = k + 1;
                    continue;
                }
                if (numeric) {
                    const std::u32string unescaped = fromUtf8(htmlUnescape(utf8));
                    out += unescaped.find(U';') != std::u32string::npos ? match : unescaped;
                    i = k + 1;
                    continue;
                }
                out += match;
                i = k + 1;
                continue;
            }
        }
        out.push_back(text[i]);
        ++i;
    }
    return out;
}

// Mojibake: UTF-8 bytes that were decoded as Latin-1 / Windows-1252 ("cafÃ©", "â€™").
struct Utf8Run {
    std::size_t length = 0;   // characters consumed (0: no valid sequence here)
    char32_t decoded = 0;
    bool strong = false;      // looks like mojibake, not like real accented text
};

/// The UTF-8 sequence formed by the sloppy-1252 bytes of text[i...], if any.
Utf8Run utf8RunAt(const std::u32string& text, std::size_t i) {
    Utf8Run run;
    const int lead = sloppyByte(text[i]);
    int need = 0;
    if (lead >= 0xC2 && lead <= 0xDF) need = 1;
    else if (lead >= 0xE0 && lead <= 0xEF) need = 2;
    else if (lead >= 0xF0 && lead <= 0xF4) need = 3;
    if (need == 0 || i + static_cast<std::size_t>(need) >= text.size()) return run;
    char32_t cp = static_cast<char32_t>(lead) & (need == 1 ? 0x1F : need == 2 ? 0x0F : 0x07);
    bool special = false;
    for (int k = 1; k <= need; ++k) {
        const int b = sloppyByte(text[i + static_cast<std::size_t>(k)]);
        if (b < 0x80 || b > 0xBF) return run;
        special |= b <= 0x9F;
        cp = (cp << 6) | static_cast<char32_t>(b & 0x3F);
    }
    // Overlong forms, surrogates and values past U+10FFFF are not UTF-8.
    if ((need == 2 && cp < 0x800) || (need == 3 && (cp < 0x10000 || cp > 0x10FFFF)) || (cp >= 0xD800 && cp <= 0xDFFF)) {
        return run;
    }
    run.length = static_cast<std::size_t>(need) + 1;
    run.decoded = cp;
    // ftfy only repairs text its "badness" heuristic flags. Approximation: "Â"/"Ã" leads, any
    // Windows-1252 punctuation / C1 byte inside the sequence, or a 3-4 byte sequence. Real text
    // like "CAFÉ\u00a0!" (É + no-break space, also valid UTF-8 bytes) is left alone.
    run.strong = lead == 0xC2 || lead == 0xC3 || special || need >= 2;
    return run;
}

std::u32string fixMojibake(const std::u32string& text) {
    bool nonAscii = false;
    for (char32_t c : text) nonAscii |= c >= 0x80;
    if (!nonAscii) return text;

    // Whole text re-encodable and valid UTF-8 with at least one strong sign: decode all of it
    // (ftfy's main path). Otherwise decode only the strong sequences (decode_inconsistent_utf8).
    bool wholeValid = true;
    bool anyStrong = false;
    for (std::size_t i = 0; i < text.size() && wholeValid;) {
        if (text[i] < 0x80) {
            ++i;
            continue;
        }
        const Utf8Run run = utf8RunAt(text, i);
        if (run.length == 0) {
            wholeValid = false;
            break;
        }
        anyStrong |= run.strong;
        i += run.length;
    }
    const bool decodeAll = wholeValid && anyStrong;
    std::u32string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size();) {
        if (text[i] >= 0x80) {
            const Utf8Run run = utf8RunAt(text, i);
            if (run.length > 0 && (decodeAll || run.strong)) {
                out.push_back(run.decoded);
                i += run.length;
                continue;
            }
        }
        out.push_back(text[i]);
        ++i;
    }
    return out;
}

char32_t ligatureOrZero(char32_t c, const char32_t*& multi) {
    // ftfy chardata LIGATURES: Latin ligatures that NFC keeps.
    static const struct { char32_t from; const char32_t* to; } kLigatures[] = {
        {0x132, U"IJ"}, {0x133, U"ij"}, {0x149, U"\u02BCn"}, {0x1C4, U"D\u017D"}, {0x1C5, U"D\u017E"},
        {0x1C6, U"d\u017E"}, {0x1C7, U"LJ"}, {0x1C8, U"Lj"}, {0x1C9, U"lj"}, {0x1CA, U"NJ"}, {0x1CB, U"Nj"},
        {0x1CC, U"nj"}, {0x1F1, U"DZ"}, {0x1F2, U"Dz"}, {0x1F3, U"dz"}, {0xFB00, U"ff"}, {0xFB01, U"fi"},
        {0xFB02, U"fl"}, {0xFB03, U"ffi"}, {0xFB04, U"ffl"}, {0xFB05, U"\u017Ft"}, {0xFB06, U"st"}};
    for (const auto& l : kLigatures) {
        if (l.from == c) {
            multi = l.to;
            return c;
        }
    }
    return 0;
}

bool isRemovedControl(char32_t c) {
    // ftfy remove_control_chars (keeps \t \n \f \r).
    return c <= 0x08 || c == 0x0B || (c >= 0x0E && c <= 0x1F) || c == 0x7F || (c >= 0x206A && c <= 0x206F)
        || c == 0xFEFF || (c >= 0xFFF9 && c <= 0xFFFC);
}

std::u32string fixCharacters(const std::u32string& text) {
    std::u32string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        char32_t c = text[i];
        // fix_c1_controls: C1 controls decoded as Windows-1252.
        if (c >= 0x80 && c <= 0x9F) {
            c = kCp1252High[c - 0x80];
        }
        const char32_t* multi = nullptr;
        if (ligatureOrZero(c, multi)) {
            out += multi;
            continue;
        }
        if (const char* wide = unicode::widthReplacement(c)) {
            out += fromUtf8(wide);
            continue;
        }
        // uncurl_quotes
        if (c == 0x2BC || (c >= 0x2018 && c <= 0x201B)) {
            out.push_back(U'\'');
            continue;
        }
        if (c >= 0x201C && c <= 0x201F) {
            out.push_back(U'"');
            continue;
        }
        // fix_line_breaks
        if (c == U'\r') {
            out.push_back(U'\n');
            if (i + 1 < text.size() && text[i + 1] == U'\n') {
                ++i;
            }
            continue;
        }
        if (c == 0x2028 || c == 0x2029 || c == 0x85) {
            out.push_back(U'\n');
            continue;
        }
        // remove_terminal_escapes: ESC [ (digits|;)* letter
        if (c == 0x1B && i + 1 < text.size() && text[i + 1] == U'[') {
            std::size_t k = i + 2;
            while (k < text.size() && ((text[k] >= '0' && text[k] <= '9') || text[k] == ';')) {
                ++k;
            }
            if (k < text.size() && ((text[k] >= 'a' && text[k] <= 'z') || (text[k] >= 'A' && text[k] <= 'Z'))) {
                i = k;
                continue;
            }
        }
        if (isRemovedControl(c)) {
            continue;
        }
        out.push_back(c);
    }
    return out;
}

std::u32string fixSegment(std::u32string text, bool unescapeHtml) {
    for (int round = 0; round < 16; ++round) {
        const std::u32string before = text;
        if (unescapeHtml) {
            text = ftfyUnescapeHtml(text);
        }
        for (int k = 0; k < 8; ++k) {
            std::u32string fixed = fixMojibake(text);
            if (fixed == text) {
                break;
            }
            text = std::move(fixed);
        }
        text = fixCharacters(text);
        text = unicode::toNFC(text);
        if (text == before) {
            break;
        }
    }
    return text;
}

} // namespace

std::string ftfyFixText(std::string_view text) {
    const std::u32string all = fromUtf8(text);
    std::u32string out;
    out.reserve(all.size());
    bool unescapeHtml = true;
    // ftfy fixes line by line; once a line contains '<' (looks like HTML) entities stay as written
    // for the rest of the text.
    for (std::size_t pos = 0; pos < all.size();) {
        std::size_t end = all.find(U'\n', pos);
        end = end == std::u32string::npos ? all.size() : end + 1;
        const std::u32string segment = all.substr(pos, end - pos);
        if (unescapeHtml && segment.find(U'<') != std::u32string::npos) {
            unescapeHtml = false;
        }
        out += fixSegment(segment, unescapeHtml);
        pos = end;
    }
    return toUtf8(out);
}

std::string htmlUnescape(std::string_view text) {
    // Ref: CPython html.unescape: &(#[0-9]+;?|#[xX][0-9a-fA-F]+;?|[^\t\n\f <&#;]{1,32};?)
    if (text.find('&') == std::string_view::npos) {
        return std::string(text);
    }
    const std::u32string s = fromUtf8(text);
    std::u32string out;
    out.reserve(s.size());
    auto isHex = [](char32_t c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); };
    for (std::size_t i = 0; i < s.size();) {
        if (s[i] != U'&') {
            out.push_back(s[i++]);
            continue;
        }
        std::size_t j = i + 1;
        if (j < s.size() && s[j] == U'#') {
            const bool hex = j + 1 < s.size() && (s[j + 1] == U'x' || s[j + 1] == U'X');
            std::size_t k = j + (hex ? 2 : 1);
            const std::size_t digits = k;
            while (k < s.size() && (hex ? isHex(s[k]) : (s[k] >= '0' && s[k] <= '9'))) {
                ++k;
            }
            if (k == digits) {
                out.push_back(s[i++]);
                continue;
            }
            std::uint64_t number = 0;
            for (std::size_t d = digits; d < k; ++d) {
                const char32_t c = s[d];
                const std::uint64_t v = c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
                number = number * (hex ? 16 : 10) + v;
                if (number > 0x10FFFFFFULL) {
                    number = 0x10FFFFFFULL;  // saturate: anything above U+10FFFF behaves the same
                }
            }
            if (k < s.size() && s[k] == U';') {
                ++k;
            }
            out += unicode::numericCharRef(number);
            i = k;
            continue;
        }
        std::size_t k = j;
        while (k < s.size() && k - j < 32 && s[k] != U'\t' && s[k] != U'\n' && s[k] != U'\f' && s[k] != U' '
               && s[k] != U'<' && s[k] != U'&' && s[k] != U'#' && s[k] != U';') {
            ++k;
        }
        if (k == j) {
            out.push_back(s[i++]);
            continue;
        }
        if (k < s.size() && s[k] == U';') {
            ++k;
        }
        const std::string name = toUtf8(s.substr(j, k - j));
        if (const char* value = unicode::html5Entity(name)) {
            out += fromUtf8(value);
            i = k;
            continue;
        }
        // Longest prefix that is an entity (the legacy names work without ';').
        bool found = false;
        for (std::size_t len = name.size() - 1; len > 1; --len) {
            if (const char* value = unicode::html5Entity(std::string_view(name).substr(0, len))) {
                out += fromUtf8(value);
                out += fromUtf8(std::string_view(name).substr(len));
                found = true;
                break;
            }
        }
        if (!found) {
            out.push_back(U'&');
            out += fromUtf8(name);
        }
        i = k;
    }
    return toUtf8(out);
}

std::string collapseWhitespace(std::string_view text) {
    const std::u32string s = fromUtf8(text);
    std::u32string out;
    out.reserve(s.size());
    bool inSpace = false;
    for (char32_t c : s) {
        if (unicode::isWhitespace(c)) {
            if (!inSpace) {
                out.push_back(U' ');
            }
            inSpace = true;
        } else {
            out.push_back(c);
            inSpace = false;
        }
    }
    std::size_t b = 0;
    std::size_t e = out.size();
    while (b < e && unicode::isPythonSpace(out[b])) {
        ++b;
    }
    while (e > b && unicode::isPythonSpace(out[e - 1])) {
        --e;
    }
    return toUtf8(std::u32string_view(out).substr(b, e - b));
}

std::string lowercase(std::string_view text) { return toUtf8(unicode::toLower(fromUtf8(text))); }

} // namespace easel::text
