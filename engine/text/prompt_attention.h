#pragma once
/// A1111 emphasis syntax: "(a)", "((a))", "[a]", "(a:1.3)", "\(" escapes, BREAK.
/// Plain C++ (no torch). Any thread.
///
/// Ref: A1111 modules/prompt_parser.py parse_prompt_attention.

#include <string>
#include <string_view>
#include <vector>

namespace easel::text {

/// A piece of prompt text and its emphasis weight. BREAK is the span ("BREAK", -1.0); inside
/// brackets it gets multiplied too (e.g. -1.3) and is then ordinary text for the chunker.
struct AttentionSpan {
    std::string text;
    double weight = 1.0;

    bool isBreak() const { return text == "BREAK" && weight == -1.0; }
    bool operator==(const AttentionSpan&) const = default;
};

/// Weight of one "(...)" level and the divisor of one "[...]" level.
inline constexpr double kRoundBracketMultiplier = 1.1;

/// Splits `text` into spans with weights exactly as A1111 does (float64 products in A1111's
/// order; adjacent spans with exactly equal weights merged). Never throws: where A1111 raises
/// (a weight like "1.2.3" that float() rejects) the weight group is kept as plain text.
/// An empty prompt gives one span ("", 1.0).
std::vector<AttentionSpan> parsePromptAttention(std::string_view text);

} // namespace easel::text
