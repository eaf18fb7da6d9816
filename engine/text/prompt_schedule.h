#pragma once
/// A1111 prompt editing and alternation: "[from:to:when]", "[to:when]", "[from::when]" (when >= 1 is
/// a step, a number with '.' a fraction of the steps) and "[a|b|c]" (one option per step).
/// Plain C++ (no torch). Any thread.
///
/// Ref: A1111 modules/prompt_parser.py get_learned_conditioning_prompt_schedules (its lark grammar
/// is reproduced by a hand-written parser that accepts and rejects the same prompts).

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace easel::text {

/// The prompt text per range of sampling steps: entries are (last step, text), ascending; the text
/// for step s (1-based) is the first entry with s <= last step.
struct PromptSchedule {
    std::vector<std::pair<int, std::string>> entries;
};

/// Builds the schedule of one prompt (after extra networks were removed and AND was split).
/// `hiresSteps` set: the schedule of a hires-fix pass, where integer "when" values count from the
/// end of the base pass and fractions from 1.0 (unless useOldScheduling, A1111's compatibility
/// option, which also treats every value < 1 as a fraction). A prompt the grammar rejects (e.g. a
/// stray '|') is used as it is for all steps.
PromptSchedule parsePromptSchedule(std::string_view prompt, int steps, std::optional<int> hiresSteps = std::nullopt,
                                   bool useOldScheduling = false);

/// Text used at sampling step `step` (1-based; past the end: the last entry's text).
std::string promptAtStep(const PromptSchedule& schedule, int step);

} // namespace easel::text
