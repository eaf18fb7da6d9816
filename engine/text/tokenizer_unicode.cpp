#include "engine/text/tokenizer_unicode.h"

#include <algorithm>
#include <cstring>

#include "engine/core/utf8.h"

namespace easel::text::unicode {
namespace {

bool inRanges(const CodeRange* ranges, std::size_t count, char32_t c) {
    const CodeRange* end = ranges + count;
    const CodeRange* it = std::upper_bound(ranges, end, c, [](char32_t v, const CodeRange& r) { return v < r.lo; });
    if (it == ranges) {
        return false;
    }
    --it;
    return c >= it->lo && c <= it->hi;
}

const char* findEntity(const NamedEntity* table, std::size_t count, std::string_view name) {
    const NamedEntity* end = table + count;
    const NamedEntity* it = std::lower_bound(table, end, name,
        [](const NamedEntity& e, std::string_view n) { return std::string_view(e.name) < n; });
    if (it != end && std::string_view(it->name) == name) {
        return it->utf8;
    }
    return nullptr;
}

std::uint8_t combiningClass(char32_t c) {
    const CombiningClass* end = kCombiningClasses + kCombiningClassCount;
    const CombiningClass* it = std::upper_bound(kCombiningClasses, end, c,
        [](char32_t v, const CombiningClass& r) { return v < r.lo; });
    if (it == kCombiningClasses) {
        return 0;
    }
    --it;
    return (c >= it->lo && c <= it->hi) ? it->ccc : 0;
}

// Hangul syllable arithmetic (Unicode ch. 3.12).
constexpr char32_t kSBase = 0xAC00, kLBase = 0x1100, kVBase = 0x1161, kTBase = 0x11A7;
constexpr char32_t kLCount = 19, kVCount = 21, kTCount = 28, kNCount = kVCount * kTCount, kSCount = kLCount * kNCount;

void decompose(char32_t c, std::u32string& out) {
    if (c >= kSBase && c < kSBase + kSCount) {
        const char32_t s = c - kSBase;
        out.push_back(kLBase + s / kNCount);
        out.push_back(kVBase + (s % kNCount) / kTCount);
        if (s % kTCount != 0) {
            out.push_back(kTBase + s % kTCount);
        }
        return;
    }
    const Decomposition* end = kDecompositions + kDecompositionCount;
    const Decomposition* it = std::lower_bound(kDecompositions, end, c,
        [](const Decomposition& d, char32_t v) { return d.from < v; });
    if (it != end && it->from == c) {
        out.append(it->to, it->length);
    } else {
        out.push_back(c);
    }
}

char32_t compose(char32_t a, char32_t b) {
    if (a >= kLBase && a < kLBase + kLCount && b >= kVBase && b < kVBase + kVCount) {
        return kSBase + ((a - kLBase) * kVCount + (b - kVBase)) * kTCount;
    }
    if (a >= kSBase && a < kSBase + kSCount && (a - kSBase) % kTCount == 0 && b > kTBase && b < kTBase + kTCount) {
        return a + (b - kTBase);
    }
    const Composition* end = kCompositions + kCompositionCount;
    const Composition* it = std::lower_bound(kCompositions, end, std::make_pair(a, b),
        [](const Composition& x, const std::pair<char32_t, char32_t>& v) {
            return x.first != v.first ? x.first < v.first : x.second < v.second;
        });
    if (it != end && it->first == a && it->second == b) {
        return it->composite;
    }
    return 0;
}

bool isCased(char32_t c) { return inRanges(kCasedRanges, kCasedRangesCount, c); }
bool isCaseIgnorable(char32_t c) { return inRanges(kCaseIgnorableRanges, kCaseIgnorableRangesCount, c); }

} // namespace

bool isLetter(char32_t c) { return inRanges(kLetterRanges, kLetterRangesCount, c); }
bool isNumber(char32_t c) { return inRanges(kNumberRanges, kNumberRangesCount, c); }
bool isWordChar(char32_t c) { return inRanges(kWordRanges, kWordRangesCount, c); }

bool isWhitespace(char32_t c) {
    return (c >= 0x09 && c <= 0x0D) || c == 0x20 || c == 0x85 || c == 0xA0 || c == 0x1680
        || (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 || c == 0x202F || c == 0x205F || c == 0x3000;
}

bool isPythonSpace(char32_t c) { return isWhitespace(c) || (c >= 0x1C && c <= 0x1F); }

std::u32string toLower(std::u32string_view text) {
    std::u32string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char32_t c = text[i];
        if (c < 0x80) {
            out.push_back((c >= 'A' && c <= 'Z') ? c + 32 : c);
            continue;
        }
        if (c == 0x130) {  // İ lowercases to i + combining dot above
            out.push_back(U'i');
            out.push_back(0x307);
            continue;
        }
        if (c == 0x3A3) {
            // Final sigma rule (Unicode SpecialCasing, as CPython implements it): a cased letter
            // before (skipping case-ignorables) and none after.
            std::size_t j = i;
            bool casedBefore = false;
            while (j > 0) {
                --j;
                if (isCaseIgnorable(text[j])) {
                    continue;
                }
                casedBefore = isCased(text[j]);
                break;
            }
            bool casedAfter = false;
            for (std::size_t k = i + 1; k < text.size(); ++k) {
                if (isCaseIgnorable(text[k])) {
                    continue;
                }
                casedAfter = isCased(text[k]);
                break;
            }
            out.push_back(casedBefore && !casedAfter ? 0x3C2 : 0x3C3);
            continue;
        }
        const CodeMap* end = kLowercase + kLowercaseCount;
        const CodeMap* it = std::lower_bound(kLowercase, end, c, [](const CodeMap& m, char32_t v) { return m.from < v; });
        out.push_back(it != end && it->from == c ? it->to : c);
    }
    return out;
}

std::u32string toNFC(std::u32string_view text) {
    bool ascii = true;
    for (char32_t c : text) {
        if (c >= 0x300) {
            ascii = false;
            break;
        }
    }
    if (ascii) {
        return std::u32string(text);  // nothing below U+0300 decomposes or combines
    }
    // 1. Full canonical decomposition.
    std::u32string d;
    d.reserve(text.size() + 8);
    for (char32_t c : text) {
        decompose(c, d);
    }
    // 2. Canonical ordering: stable sort of each run of non-starters by combining class.
    for (std::size_t i = 0; i < d.size();) {
        if (combiningClass(d[i]) == 0) {
            ++i;
            continue;
        }
        std::size_t j = i;
        while (j < d.size() && combiningClass(d[j]) != 0) {
            ++j;
        }
        std::stable_sort(d.begin() + static_cast<std::ptrdiff_t>(i), d.begin() + static_cast<std::ptrdiff_t>(j),
            [](char32_t a, char32_t b) { return combiningClass(a) < combiningClass(b); });
        i = j;
    }
    // 3. Canonical composition (UAX #15 reference algorithm): a character combines with the last
    // starter unless a character in between has class 0 or a class >= its own.
    std::u32string out;
    out.reserve(d.size());
    std::size_t starter = 0;
    bool haveStarter = false;
    int lastClass = 0;
    for (char32_t c : d) {
        const int cc = combiningClass(c);
        if (haveStarter && (lastClass < cc || lastClass == 0)) {
            if (char32_t composed = compose(out[starter], c)) {
                out[starter] = composed;
                continue;
            }
        }
        if (cc == 0) {
            starter = out.size();
            haveStarter = true;
        }
        lastClass = cc;
        out.push_back(c);
    }
    return out;
}

const char* widthReplacement(char32_t c) {
    if (c != 0x3000 && (c < 0xFF01 || c > 0xFFEF)) {
        return nullptr;
    }
    const CodeString* end = kWidthMap + kWidthMapCount;
    const CodeString* it = std::find_if(kWidthMap, end, [c](const CodeString& m) { return m.from == c; });
    return it != end ? it->utf8 : nullptr;
}

const char* html5Entity(std::string_view name) { return findEntity(kHtml5Entities, kHtml5EntityCount, name); }
const char* ftfyEntity(std::string_view name) { return findEntity(kFtfyEntities, kFtfyEntityCount, name); }

std::u32string numericCharRef(std::uint64_t number) {
    // Ref: CPython Lib/html/__init__.py _replace_charref
    for (std::size_t i = 0; i < kInvalidCharRefCount; ++i) {
        if (kInvalidCharRefs[i].from == number) {
            return std::u32string(1, kInvalidCharRefs[i].to);
        }
    }
    if ((number >= 0xD800 && number <= 0xDFFF) || number > 0x10FFFF) {
        return U"\uFFFD";
    }
    if (inRanges(kInvalidCodepoints, kInvalidCodepointsCount, static_cast<char32_t>(number))) {
        return {};
    }
    return std::u32string(1, static_cast<char32_t>(number));
}

std::string toUtf8(std::u32string_view text) {
    std::string out;
    out.reserve(text.size());
    for (char32_t c : text) {
        core::appendUtf8(out, c);
    }
    return out;
}

std::u32string fromUtf8(std::string_view text) {
    std::u32string out;
    out.reserve(text.size());
    const auto* s = reinterpret_cast<const unsigned char*>(text.data());
    const std::size_t n = text.size();
    for (std::size_t i = 0; i < n;) {
        const unsigned char b = s[i];
        int len = 0;
        char32_t c = 0;
        if (b < 0x80) { c = b; len = 1; }
        else if ((b & 0xE0) == 0xC0) { c = b & 0x1F; len = 2; }
        else if ((b & 0xF0) == 0xE0) { c = b & 0x0F; len = 3; }
        else if ((b & 0xF8) == 0xF0) { c = b & 0x07; len = 4; }
        if (len == 0 || i + static_cast<std::size_t>(len) > n) {
            out.push_back(0xFFFD);
            ++i;
            continue;
        }
        bool ok = true;
        for (int k = 1; k < len; ++k) {
            if ((s[i + static_cast<std::size_t>(k)] & 0xC0) != 0x80) {
                ok = false;
                break;
            }
            c = (c << 6) | (s[i + static_cast<std::size_t>(k)] & 0x3F);
        }
        if (!ok) {
            out.push_back(0xFFFD);
            ++i;
            continue;
        }
        out.push_back(c);
        i += static_cast<std::size_t>(len);
    }
    return out;
}

} // namespace easel::text::unicode
