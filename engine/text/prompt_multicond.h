#pragma once
/// A1111 composable diffusion: "a cat AND a dog :0.8" = sub-prompts with their own weights.
/// Plain C++ (no torch). Any thread.
///
/// Ref: A1111 modules/prompt_parser.py get_multicond_prompt_list (re_AND, re_weight).

#include <string>
#include <string_view>
#include <vector>

namespace easel::text {

/// One sub-prompt of an AND composition.
struct WeightedPrompt {
    std::string text;      ///< leading spaces kept; trailing spaces and the ":weight" removed
    double weight = 1.0;
    bool operator==(const WeightedPrompt&) const = default;
};

/// Splits on the word AND (\bAND\b) and reads an optional trailing ":number" weight from each part.
/// A prompt without AND gives one sub-prompt.
std::vector<WeightedPrompt> splitMulticond(std::string_view prompt);

} // namespace easel::text
