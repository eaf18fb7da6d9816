#pragma once
/// Small text helpers shared by the A1111 prompt-syntax parsers (internal to engine/text).
/// They reproduce the Python semantics the reference relies on. Plain C++; any thread.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace easel::text::prompt_detail {

/// Python `re` \s (str.isspace()).
bool isSpace(char32_t c);
/// Python `re` \w.
bool isWord(char32_t c);

/// Python float(s) for the forms prompts use: optional sign, digits with one optional '.',
/// exponent, surrounding whitespace, inf/nan. nullopt where Python raises ValueError.
std::optional<double> pythonFloat(std::string_view s);

/// Python re.split(r"\s*\bWORD\b\s*" (withSpaces) or r"\bWORD\b", text).
std::vector<std::u32string> splitOnWord(std::u32string_view text, std::u32string_view word, bool withSpaces);

} // namespace easel::text::prompt_detail
