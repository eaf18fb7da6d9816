#include "engine/text/prompt_multicond.h"

#include "engine/text/prompt_text_util.h"
#include "engine/text/tokenizer_unicode.h"

namespace easel::text {
namespace {

using prompt_detail::isSpace;

bool isDigit(char32_t c) { return c >= '0' && c <= '9'; }

/// Whole-string match of [-+]?(?:\d+\.?|\d*\.\d+).
bool isWeightNumber(std::u32string_view s) {
    std::size_t i = 0;
    if (i < s.size() && (s[i] == U'-' || s[i] == U'+')) ++i;
    std::size_t intDigits = 0;
    while (i < s.size() && isDigit(s[i])) { ++i; ++intDigits; }
    if (i == s.size()) return intDigits > 0;
    if (s[i] != U'.') return false;
    ++i;
    std::size_t fracDigits = 0;
    while (i < s.size() && isDigit(s[i])) { ++i; ++fracDigits; }
    return i == s.size() && (intDigits > 0 || fracDigits > 0);
}

} // namespace

std::vector<WeightedPrompt> splitMulticond(std::string_view promptUtf8) {
    const std::u32string prompt = unicode::fromUtf8(promptUtf8);
    std::vector<WeightedPrompt> out;
    for (const std::u32string& part : prompt_detail::splitOnWord(prompt, U"AND", false)) {
        // re_weight = ^((?:\s|.)*?)(?:\s*:\s*([-+]?(?:\d+\.?|\d*\.\d+)))?\s*$ : the lazy text group
        // takes the shortest prefix; a "ws : ws number ws" tail wins over plain trailing spaces.
        std::size_t end = part.size();
        while (end > 0 && isSpace(part[end - 1])) --end;
        std::size_t numberStart = end;
        while (numberStart > 0 && !isSpace(part[numberStart - 1]) && part[numberStart - 1] != U':') --numberStart;
        bool weighted = false;
        if (numberStart < end && isWeightNumber(std::u32string_view(part).substr(numberStart, end - numberStart))) {
            std::size_t colon = numberStart;
            while (colon > 0 && isSpace(part[colon - 1])) --colon;
            if (colon > 0 && part[colon - 1] == U':') {
                std::size_t textEnd = colon - 1;
                while (textEnd > 0 && isSpace(part[textEnd - 1])) --textEnd;
                const std::string number = unicode::toUtf8(part.substr(numberStart, end - numberStart));
                out.push_back({unicode::toUtf8(part.substr(0, textEnd)), prompt_detail::pythonFloat(number).value_or(1.0)});
                weighted = true;
            }
        }
        if (!weighted) out.push_back({unicode::toUtf8(part.substr(0, end)), 1.0});
    }
    return out;
}

} // namespace easel::text
