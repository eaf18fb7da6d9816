// UNet: diffusers UNet2DConditionModel <-> LDM openaimodel.UNetModel names.
#include "engine/io/key_map.h"

#include <set>

#include "engine/io/key_map_util.h"

namespace easel::io {

namespace {

// ResBlock inner names (LDM <- diffusers).
const std::pair<const char*, const char*> kResnetParts[] = {
    {"in_layers.0.", "norm1."},      {"in_layers.2.", "conv1."},       {"out_layers.0.", "norm2."},
    {"out_layers.3.", "conv2."},     {"emb_layers.1.", "time_emb_proj."}, {"skip_connection.", "conv_shortcut."},
};

// Top-level layers (LDM <- diffusers).
const std::pair<const char*, const char*> kTopLevel[] = {
    {"time_embed.0.", "time_embedding.linear_1."}, {"time_embed.2.", "time_embedding.linear_2."},
    {"input_blocks.0.0.", "conv_in."},             {"out.0.", "conv_norm_out."},
    {"out.2.", "conv_out."},                       {"label_emb.0.0.", "add_embedding.linear_1."},
    {"label_emb.0.2.", "add_embedding.linear_2."},
};

} // namespace

void addUNetTrunkPrefixes(const KeyStats& stats, std::vector<std::pair<std::string, std::string>>& prefixes)
{
    const int levels = stats.count("down_blocks.");
    const int lpb = stats.count("down_blocks.0.resnets.");
    for (int i = 0; i < levels; ++i) {
        const std::string d = "down_blocks." + std::to_string(i) + ".";
        for (int j = 0; j < lpb; ++j) {
            const std::string ldm = "input_blocks." + std::to_string(i * (lpb + 1) + j + 1) + ".";
            prefixes.push_back({d + "resnets." + std::to_string(j) + ".", ldm + "0."});
            prefixes.push_back({d + "attentions." + std::to_string(j) + ".", ldm + "1."});
        }
        prefixes.push_back({d + "downsamplers.0.conv.", "input_blocks." + std::to_string((i + 1) * (lpb + 1)) + ".0.op."});
    }
    prefixes.push_back({"mid_block.attentions.0.", "middle_block.1."});
    for (int j = 0; j < 2; ++j)
        prefixes.push_back({"mid_block.resnets." + std::to_string(j) + ".", "middle_block." + std::to_string(2 * j) + "."});
}

KeyMap unetDiffusersToLdm(const std::vector<std::string>& keys)
{
    const KeyStats stats(keys);
    std::vector<std::pair<std::string, std::string>> prefixes; // diffusers prefix -> LDM prefix
    addUNetTrunkPrefixes(stats, prefixes);
    const int upLevels = stats.count("up_blocks.");
    const int lpb = stats.count("down_blocks.0.resnets.");
    for (int i = 0; i < upLevels; ++i) {
        const std::string u = "up_blocks." + std::to_string(i) + ".";
        for (int j = 0; j < lpb + 1; ++j) {
            const std::string ldm = "output_blocks." + std::to_string(i * (lpb + 1) + j) + ".";
            prefixes.push_back({u + "resnets." + std::to_string(j) + ".", ldm + "0."});
            prefixes.push_back({u + "attentions." + std::to_string(j) + ".", ldm + "1."});
        }
        // The upsampler follows the last resnet, and its attention when the level has one.
        const bool hasAttention = stats.count(u + "attentions.") > 0;
        prefixes.push_back({u + "upsamplers.0.", "output_blocks." + std::to_string(i * (lpb + 1) + lpb) + "." +
                                                     (hasAttention ? "2." : "1.")});
    }
    for (const auto& [ldm, diff] : kTopLevel)
        prefixes.push_back({diff, ldm});

    KeyMap out;
    for (const std::string& key : keys) {
        for (const auto& [diff, ldm] : prefixes) {
            if (key.compare(0, diff.size(), diff) != 0)
                continue;
            std::string rest = key.substr(diff.size());
            if (diff.find("resnets.") != std::string::npos)
                for (const auto& [lp, dp] : kResnetParts)
                    if (rest.compare(0, std::char_traits<char>::length(dp), dp) == 0) {
                        rest = std::string(lp) + rest.substr(std::char_traits<char>::length(dp));
                        break;
                    }
            out[key] = ldm + rest;
            break;
        }
    }
    return out;
}

KeyMap invert(const KeyMap& map)
{
    KeyMap out;
    for (const auto& [a, b] : map)
        out[b] = a;
    return out;
}

} // namespace easel::io
