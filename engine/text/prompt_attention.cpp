#include "engine/text/prompt_attention.h"

#include "engine/text/prompt_text_util.h"
#include "engine/text/tokenizer_unicode.h"

namespace easel::text {
namespace {

using prompt_detail::isSpace;

struct Span32 {
    std::u32string text;
    double weight;
};

bool isAsciiDigit(char32_t c) { return c >= '0' && c <= '9'; }

/// Tries `:\s*([+-]?[.\d]+)\s*\)` at `pos`; returns the match length and the number text.
std::size_t matchWeightGroup(const std::u32string& s, std::size_t pos, std::u32string& number) {
    if (s[pos] != U':') return 0;
    std::size_t i = pos + 1;
    while (i < s.size() && isSpace(s[i])) ++i;
    const std::size_t numberStart = i;
    if (i < s.size() && (s[i] == U'+' || s[i] == U'-')) ++i;
    const std::size_t digitsStart = i;
    while (i < s.size() && (s[i] == U'.' || isAsciiDigit(s[i]))) ++i;
    if (i == digitsStart) return 0;
    number = s.substr(numberStart, i - numberStart);
    while (i < s.size() && isSpace(s[i])) ++i;
    if (i >= s.size() || s[i] != U')') return 0;
    return i + 1 - pos;
}

bool isPlainChar(char32_t c) { return c != U'\\' && c != U'(' && c != U')' && c != U'[' && c != U']' && c != U':'; }

} // namespace

std::vector<AttentionSpan> parsePromptAttention(std::string_view textUtf8) {
    // Ref: A1111 modules/prompt_parser.py parse_prompt_attention (re_attention alternatives in order).
    const std::u32string s = unicode::fromUtf8(textUtf8);
    std::vector<Span32> res;
    std::vector<std::size_t> round;
    std::vector<std::size_t> square;
    auto multiplyRange = [&res](std::size_t start, double multiplier) {
        for (std::size_t p = start; p < res.size(); ++p) res[p].weight *= multiplier;
    };
    auto appendPlain = [&res](const std::u32string& plain) {
        const std::vector<std::u32string> parts = prompt_detail::splitOnWord(plain, U"BREAK", true);
        for (std::size_t i = 0; i < parts.size(); ++i) {
            if (i > 0) res.push_back({U"BREAK", -1.0});
            res.push_back({parts[i], 1.0});
        }
    };

    std::size_t i = 0;
    while (i < s.size()) {
        const char32_t c = s[i];
        if (c == U'\\') {
            // \( \) \[ \] \\ : the escaped character; a lone backslash: empty text.
            const bool escaped = i + 1 < s.size()
                && (s[i + 1] == U'(' || s[i + 1] == U')' || s[i + 1] == U'[' || s[i + 1] == U']' || s[i + 1] == U'\\');
            res.push_back({escaped ? std::u32string(1, s[i + 1]) : std::u32string(), 1.0});
            i += escaped ? 2 : 1;
            continue;
        }
        if (c == U'(') {
            round.push_back(res.size());
            ++i;
            continue;
        }
        if (c == U'[') {
            square.push_back(res.size());
            ++i;
            continue;
        }
        if (c == U':') {
            std::u32string number;
            if (const std::size_t len = matchWeightGroup(s, i, number)) {
                const std::optional<double> weight = prompt_detail::pythonFloat(unicode::toUtf8(number));
                if (!round.empty() && weight) {
                    multiplyRange(round.back(), *weight);
                    round.pop_back();
                } else {
                    // No open "(" (A1111 keeps the text), or a number float() rejects (A1111 raises;
                    // we keep the text too).
                    appendPlain(s.substr(i, len));
                }
                i += len;
                continue;
            }
            appendPlain(U":");
            ++i;
            continue;
        }
        if (c == U')') {
            if (!round.empty()) {
                multiplyRange(round.back(), kRoundBracketMultiplier);
                round.pop_back();
            } else {
                appendPlain(U")");
            }
            ++i;
            continue;
        }
        if (c == U']') {
            if (!square.empty()) {
                multiplyRange(square.back(), 1.0 / kRoundBracketMultiplier);
                square.pop_back();
            } else {
                appendPlain(U"]");
            }
            ++i;
            continue;
        }
        std::size_t j = i;
        while (j < s.size() && isPlainChar(s[j])) ++j;
        appendPlain(s.substr(i, j - i));
        i = j;
    }
    for (std::size_t pos : round) multiplyRange(pos, kRoundBracketMultiplier);
    for (std::size_t pos : square) multiplyRange(pos, 1.0 / kRoundBracketMultiplier);

    if (res.empty()) res.push_back({U"", 1.0});
    // Merge neighbours with exactly equal weights.
    std::size_t k = 0;
    while (k + 1 < res.size()) {
        if (res[k].weight == res[k + 1].weight) {
            res[k].text += res[k + 1].text;
            res.erase(res.begin() + static_cast<std::ptrdiff_t>(k) + 1);
        } else {
            ++k;
        }
    }
    std::vector<AttentionSpan> out;
    out.reserve(res.size());
    for (const Span32& span : res) out.push_back({unicode::toUtf8(span.text), span.weight});
    return out;
}

} // namespace easel::text
