#include "engine/text/prompt_text_util.h"

#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <limits>

#include "engine/text/tokenizer_unicode.h"

namespace easel::text::prompt_detail {

bool isSpace(char32_t c) { return unicode::isPythonSpace(c); }
bool isWord(char32_t c) { return unicode::isWordChar(c); }

std::optional<double> pythonFloat(std::string_view s) {
    // Ref: CPython float(str): strip whitespace, accept [sign] (digits[.digits]|.digits)[e[sign]digits],
    // inf/infinity/nan; '_' only between digits.
    std::u32string u = unicode::fromUtf8(s);
    std::size_t b = 0;
    std::size_t e = u.size();
    while (b < e && isSpace(u[b])) ++b;
    while (e > b && isSpace(u[e - 1])) --e;
    std::string t;
    for (std::size_t i = b; i < e; ++i) {
        const char32_t c = u[i];
        if (c == U'_') {
            const bool digitBefore = i > b && u[i - 1] >= '0' && u[i - 1] <= '9';
            const bool digitAfter = i + 1 < e && u[i + 1] >= '0' && u[i + 1] <= '9';
            if (!digitBefore || !digitAfter) return std::nullopt;
            continue;
        }
        if (c >= 0x80) return std::nullopt;
        t.push_back(static_cast<char>(c));
    }
    if (t.empty()) return std::nullopt;
    std::size_t i = 0;
    double sign = 1.0;
    if (t[i] == '+' || t[i] == '-') {
        sign = t[i] == '-' ? -1.0 : 1.0;
        ++i;
    }
    std::string rest = t.substr(i);
    for (char& c : rest) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (rest == "inf" || rest == "infinity") return sign * std::numeric_limits<double>::infinity();
    if (rest == "nan") return std::numeric_limits<double>::quiet_NaN();
    // Validate the decimal form strictly (strtod accepts hex and other forms Python rejects).
    std::size_t k = i;
    std::size_t intDigits = 0;
    std::size_t fracDigits = 0;
    while (k < t.size() && std::isdigit(static_cast<unsigned char>(t[k]))) { ++k; ++intDigits; }
    if (k < t.size() && t[k] == '.') {
        ++k;
        while (k < t.size() && std::isdigit(static_cast<unsigned char>(t[k]))) { ++k; ++fracDigits; }
    }
    if (intDigits + fracDigits == 0) return std::nullopt;
    if (k < t.size() && (t[k] == 'e' || t[k] == 'E')) {
        ++k;
        if (k < t.size() && (t[k] == '+' || t[k] == '-')) ++k;
        std::size_t expDigits = 0;
        while (k < t.size() && std::isdigit(static_cast<unsigned char>(t[k]))) { ++k; ++expDigits; }
        if (expDigits == 0) return std::nullopt;
    }
    if (k != t.size()) return std::nullopt;
    errno = 0;
    const double v = std::strtod(t.c_str(), nullptr);  // glibc strtod is correctly rounded, like Python
    return v;
}

std::vector<std::u32string> splitOnWord(std::u32string_view text, std::u32string_view word, bool withSpaces) {
    std::vector<std::u32string> parts;
    std::size_t pieceStart = 0;  // start of the current output piece (= end of the previous match)
    std::size_t pos = 0;
    while (true) {
        const std::size_t found = text.find(word, pos);
        if (found == std::u32string_view::npos) break;
        const std::size_t after = found + word.size();
        const bool boundaryBefore = found == 0 || !isWord(text[found - 1]);
        const bool boundaryAfter = after == text.size() || !isWord(text[after]);
        if (!boundaryBefore || !boundaryAfter) {
            pos = found + 1;
            continue;
        }
        std::size_t matchStart = found;
        std::size_t matchEnd = after;
        if (withSpaces) {
            while (matchStart > pieceStart && isSpace(text[matchStart - 1])) --matchStart;
            while (matchEnd < text.size() && isSpace(text[matchEnd])) ++matchEnd;
        }
        parts.emplace_back(text.substr(pieceStart, matchStart - pieceStart));
        pieceStart = matchEnd;
        pos = matchEnd;
    }
    parts.emplace_back(text.substr(pieceStart));
    return parts;
}

} // namespace easel::text::prompt_detail
