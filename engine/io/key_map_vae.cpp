// VAE: diffusers AutoencoderKL <-> LDM AutoencoderKL names.
#include "engine/io/key_map.h"

#include "engine/io/key_map_util.h"

namespace easel::io {

namespace {

bool startsWith(const std::string& s, const std::string& p) { return s.compare(0, p.size(), p) == 0; }

// Attention inner names (LDM <- diffusers); older diffusers files use query/key/value/proj_attn.
const std::pair<const char*, const char*> kAttentionParts[] = {
    {"norm.", "group_norm."}, {"q.", "to_q."},  {"k.", "to_k."},       {"v.", "to_v."},
    {"proj_out.", "to_out.0."}, {"q.", "query."}, {"k.", "key."}, {"v.", "value."}, {"proj_out.", "proj_attn."},
};

} // namespace

bool isVaeAttentionProjection(const std::string& key)
{
    const auto p = key.find("mid.attn_1.");
    if (p == std::string::npos)
        return false;
    const std::string rest = key.substr(p + 11);
    return rest == "q.weight" || rest == "k.weight" || rest == "v.weight" || rest == "proj_out.weight";
}

KeyMap vaeDiffusersToLdm(const std::vector<std::string>& keys)
{
    const KeyStats stats(keys);
    std::vector<std::pair<std::string, std::string>> prefixes; // diffusers -> LDM
    const int down = stats.count("encoder.down_blocks.");
    for (int i = 0; i < down; ++i) {
        const std::string d = "encoder.down_blocks." + std::to_string(i) + ".";
        const std::string l = "encoder.down." + std::to_string(i) + ".";
        const int n = stats.count(d + "resnets.");
        for (int j = 0; j < n; ++j)
            prefixes.push_back({d + "resnets." + std::to_string(j) + ".", l + "block." + std::to_string(j) + "."});
        prefixes.push_back({d + "downsamplers.0.", l + "downsample."});
    }
    const int up = stats.count("decoder.up_blocks.");
    for (int i = 0; i < up; ++i) {
        // diffusers up_blocks run from the deepest level; LDM `up` is indexed by level.
        const std::string d = "decoder.up_blocks." + std::to_string(i) + ".";
        const std::string l = "decoder.up." + std::to_string(up - 1 - i) + ".";
        const int n = stats.count(d + "resnets.");
        for (int j = 0; j < n; ++j)
            prefixes.push_back({d + "resnets." + std::to_string(j) + ".", l + "block." + std::to_string(j) + "."});
        prefixes.push_back({d + "upsamplers.0.", l + "upsample."});
    }
    for (const char* part : {"encoder.", "decoder."}) {
        const std::string p = part;
        prefixes.push_back({p + "mid_block.resnets.0.", p + "mid.block_1."});
        prefixes.push_back({p + "mid_block.resnets.1.", p + "mid.block_2."});
        prefixes.push_back({p + "mid_block.attentions.0.", p + "mid.attn_1."});
        prefixes.push_back({p + "conv_norm_out.", p + "norm_out."});
        prefixes.push_back({p + "conv_in.", p + "conv_in."});
        prefixes.push_back({p + "conv_out.", p + "conv_out."});
    }
    prefixes.push_back({"quant_conv.", "quant_conv."});
    prefixes.push_back({"post_quant_conv.", "post_quant_conv."});

    KeyMap out;
    for (const std::string& key : keys) {
        for (const auto& [diff, ldm] : prefixes) {
            if (!startsWith(key, diff))
                continue;
            std::string rest = key.substr(diff.size());
            if (startsWith(rest, "conv_shortcut."))
                rest = "nin_shortcut." + rest.substr(14);
            if (diff.find("attentions.") != std::string::npos)
                for (const auto& [lp, dp] : kAttentionParts)
                    if (startsWith(rest, dp)) {
                        rest = std::string(lp) + rest.substr(std::char_traits<char>::length(dp));
                        break;
                    }
            out[key] = ldm + rest;
            break;
        }
    }
    return out;
}

} // namespace easel::io
