#include "engine/pipeline/prompt_conditioning.h"

#include "engine/api/error.h"
#include "engine/text/chunking.h"
#include "engine/text/prompt_multicond.h"
#include "engine/text/prompt_schedule.h"

namespace easel::pipeline {

const text::Conditioning& ScheduledConditioning::at(int denoiserCall) const
{
    for (const auto& e : entries)
        if (denoiserCall <= e.endAtStep)
            return e.conditioning;
    return entries.back().conditioning;
}

PromptConditioning encodePrompt(const text::Conditioner& conditioner, const std::string& prompt,
                                const PromptEncodeOptions& options)
{
    if (options.steps <= 0)
        throw api::Error(api::ErrorCode::InvalidRequest, "steps must be at least 1");
    PromptConditioning out;
    // Ref: A1111 extra_networks.parse_prompts runs before anything else sees the prompt.
    out.extraNetworks = text::parseExtraNetworks(prompt);

    std::vector<text::WeightedPrompt> subPrompts;
    if (options.allowMulticond)
        subPrompts = text::splitMulticond(out.extraNetworks.prompt);
    else
        subPrompts = {{out.extraNetworks.prompt, 1.0}};
    if (subPrompts.empty())
        subPrompts = {{"", 1.0}};

    text::ChunkingOptions chunking = conditioner.chunkingOptions(options.vocabulary);
    // A1111 emphasis "None" also stops parsing brackets: the line is one span of weight 1.
    chunking.parseEmphasis = options.conditioning.emphasis != text::EmphasisMode::None;
    for (const auto& sub : subPrompts) {
        const text::PromptSchedule schedule = text::parsePromptSchedule(sub.text, options.steps, options.hiresSteps);
        // Every entry's text (duplicates too) is encoded in one batch, exactly as A1111's
        // get_learned_conditioning does: the batch decides the "Original" emphasis mean.
        std::vector<text::ChunkedPrompt> chunked;
        chunked.reserve(schedule.entries.size());
        for (const auto& entry : schedule.entries)
            chunked.push_back(text::chunkPrompt(entry.second, chunking));
        const text::Conditioning all = conditioner.encode(chunked, options.conditioning);

        ScheduledConditioning scheduled;
        scheduled.weight = sub.weight;
        for (size_t row = 0; row < schedule.entries.size(); ++row) {
            text::Conditioning c;
            c.context = all.context.narrow(0, static_cast<int64_t>(row), 1);
            if (all.pooled.defined())
                c.pooled = all.pooled.narrow(0, static_cast<int64_t>(row), 1);
            scheduled.entries.push_back({schedule.entries[row].first, c});
        }
        out.parts.push_back(std::move(scheduled));
    }
    return out;
}

} // namespace easel::pipeline
