#pragma once
// One prompt conditioning that holds `context` for every step, for tests that drive the CFG
// denoiser directly (no prompt parsing or text encoder). Header-only.

#include <torch/torch.h>

#include "engine/pipeline/prompt_conditioning.h"

namespace easel::test {

inline pipeline::PromptConditioning fixedConditioning(const torch::Tensor& context)
{
    pipeline::PromptConditioning c;
    pipeline::ScheduledConditioning s;
    s.entries.push_back({1 << 30, text::Conditioning{context, {}}});
    c.parts.push_back(s);
    return c;
}

} // namespace easel::test
