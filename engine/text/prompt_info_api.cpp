#include "engine/api/prompt_info.h"

#include "engine/text/chunking.h"
#include "engine/text/prompt_extra_networks.h"
#include "engine/text/prompt_token_count.h"

namespace easel::api {

static_assert(kPromptChunkTokens == text::kChunkLength, "the public chunk length is the tokenizer's");

PromptTokenCount countPromptTokens(std::string_view prompt, int steps, bool isPositive)
{
    return text::countPromptTokens(prompt, steps, isPositive);
}

std::vector<std::string> loraNamesInPrompt(std::string_view prompt)
{
    const text::ExtraNetworkPrompt parsed = text::parseExtraNetworks(prompt);
    std::vector<std::string> names;
    for (const char* type : {"lora", "lyco"})
        for (const text::ExtraNetworkParams& params : parsed.of(type))
            if (!params.positional.empty())
                names.push_back(params.positional.front());
    return names;
}

} // namespace easel::api
