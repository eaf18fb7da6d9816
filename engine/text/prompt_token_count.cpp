#include "engine/text/prompt_token_count.h"

#include "engine/text/prompt_extra_networks.h"
#include "engine/text/prompt_multicond.h"
#include "engine/text/prompt_schedule.h"

namespace easel::text {

PromptTokenCount countPromptTokens(std::string_view prompt, int steps, bool isPositive, const ChunkingOptions& options) {
    const std::string cleaned = parseExtraNetworks(prompt).prompt;
    std::vector<std::string> parts;
    if (isPositive) {
        for (const WeightedPrompt& sub : splitMulticond(cleaned)) parts.push_back(sub.text);
    } else {
        parts.push_back(cleaned);
    }
    PromptTokenCount best;
    bool first = true;
    for (const std::string& part : parts) {
        for (const auto& [end, text] : parsePromptSchedule(part, steps).entries) {
            const int used = chunkPrompt(text, options).tokenCount;
            if (first || used > best.used) {
                best.used = used;
                first = false;
            }
        }
    }
    best.limit = targetTokenCount(best.used);
    return best;
}

} // namespace easel::text
