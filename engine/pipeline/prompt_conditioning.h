#pragma once
// A1111's prompt flow from text to per-step conditioning: extra-network tags are taken out first,
// then "AND" splits composable sub-prompts, then [from:to:when] / [a|b] give a per-step text
// schedule, and every distinct text of a sub-prompt is chunked and encoded in one batch (so the
// "Original" emphasis mean is taken over that batch, as A1111's get_learned_conditioning does).
// Engine thread only.

#include <string>
#include <vector>

#include <torch/torch.h>

#include "engine/text/conditioner.h"
#include "engine/text/prompt_extra_networks.h"

namespace easel::pipeline {

/// One sub-prompt's conditioning over the sampling steps.
struct ScheduledConditioning {
    struct Entry {
        int endAtStep = 0;              ///< used while the denoiser call counter <= endAtStep
        text::Conditioning conditioning;
    };
    std::vector<Entry> entries;
    double weight = 1.0;                ///< AND weight (composable diffusion)

    /// Conditioning for A1111's step counter: the number of denoiser calls made so far (0-based),
    /// compared with `<=` to end_at_step (Ref: A1111 prompt_parser.reconstruct_cond_batch with
    /// CFGDenoiser.step). Past the end: the last entry.
    const text::Conditioning& at(int denoiserCall) const;
};

struct PromptConditioning {
    std::vector<ScheduledConditioning> parts;   ///< one per AND sub-prompt (uncond: exactly one)
    text::ExtraNetworkPrompt extraNetworks;     ///< tags found in the prompt (LoRA, hypernet, …)
};

struct PromptEncodeOptions {
    int steps = 20;
    std::optional<int> hiresSteps;              ///< A1111: scheduling of the hires pass
    bool allowMulticond = true;                 ///< false for the negative prompt (no AND)
    text::ConditioningOptions conditioning;
    const text::EmbeddingVocabulary* vocabulary = nullptr;
};

/// Parses and encodes one prompt. Throws api::Error(InvalidRequest) on nonsense (e.g. steps <= 0).
PromptConditioning encodePrompt(const text::Conditioner& conditioner, const std::string& prompt,
                                const PromptEncodeOptions& options);

} // namespace easel::pipeline
