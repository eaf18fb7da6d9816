#pragma once
/// The prompt box's token counter ("12/75", "80/150"): the longest of the prompt's scheduled
/// variants, after extra networks are removed and AND is split. Plain C++; any thread.
///
/// Ref: A1111 modules/ui.py update_token_counter + sd_hijack get_prompt_lengths.

#include <string>
#include <string_view>

#include "engine/api/prompt_info.h"
#include "engine/text/chunking.h"

namespace easel::text {

/// "used/limit" (the type is public: engine/api/prompt_info.h).
using api::PromptTokenCount;

/// Counts tokens as A1111's counter does. `isPositive` false: the negative prompt, which is not
/// split on AND.
PromptTokenCount countPromptTokens(std::string_view prompt, int steps, bool isPositive = true,
                                   const ChunkingOptions& options = {});

} // namespace easel::text
