#pragma once
/// What the prompt box shows about a prompt while it is typed: A1111's token counter and the LoRA
/// tags it names. Forwards to engine/text (tokenizer, prompt syntax). Plain C++; any thread.

#include <string>
#include <string_view>
#include <vector>

namespace easel::api {

/// Tokens per CLIP chunk: a prompt longer than this is split into several 75-token chunks.
inline constexpr int kPromptChunkTokens = 75;

struct PromptTokenCount {
    int used = 0;                     ///< A1111 token_count of the longest variant (BREAK padding counts)
    int limit = kPromptChunkTokens;   ///< used rounded up to a multiple of 75 (at least 75)
    /// "used/limit", the text A1111 shows.
    std::string text() const { return std::to_string(used) + "/" + std::to_string(limit); }
};

/// Counts as A1111's counter does (modules/ui.py update_token_counter): the longest scheduled
/// variant at `steps`, extra networks removed, AND split unless `isPositive` is false (the negative
/// prompt). Throws api::Error only for an unusable tokenizer vocabulary.
PromptTokenCount countPromptTokens(std::string_view prompt, int steps, bool isPositive = true);

/// The names of the `<lora:name:…>` and `<lyco:name:…>` tags of a prompt, in order, as written.
std::vector<std::string> loraNamesInPrompt(std::string_view prompt);

} // namespace easel::api
