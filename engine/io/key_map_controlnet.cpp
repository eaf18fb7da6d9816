// ControlNet: diffusers ControlNetModel <-> lllyasviel ControlNet (cldm.ControlNet) names.
#include "engine/io/key_map.h"

#include "engine/io/key_map_util.h"

namespace easel::io {

KeyMap controlNetDiffusersToLdm(const std::vector<std::string>& keys)
{
    // The trunk is the UNet encoder: reuse the UNet map for everything it knows.
    std::vector<std::string> trunk;
    KeyMap out;
    const KeyStats stats(keys);
    const int blocks = stats.count("controlnet_cond_embedding.blocks.");
    for (const std::string& key : keys) {
        auto mapPrefix = [&](const std::string& from, const std::string& to) {
            if (key.compare(0, from.size(), from) != 0)
                return false;
            out[key] = to + key.substr(from.size());
            return true;
        };
        // input_hint_block: conv, SiLU, conv, SiLU, ...: convs at even indices.
        if (mapPrefix("controlnet_cond_embedding.conv_in.", "input_hint_block.0.") ||
            mapPrefix("controlnet_cond_embedding.conv_out.", "input_hint_block." + std::to_string(2 * (blocks + 1)) + ".") ||
            mapPrefix("controlnet_mid_block.", "middle_block_out.0."))
            continue;
        bool done = false;
        for (int k = 0; k < blocks && !done; ++k)
            done = mapPrefix("controlnet_cond_embedding.blocks." + std::to_string(k) + ".",
                             "input_hint_block." + std::to_string(2 * (k + 1)) + ".");
        const int zero = stats.count("controlnet_down_blocks.");
        for (int k = 0; k < zero && !done; ++k)
            done = mapPrefix("controlnet_down_blocks." + std::to_string(k) + ".", "zero_convs." + std::to_string(k) + ".0.");
        if (!done)
            trunk.push_back(key);
    }
    for (const auto& [from, to] : unetDiffusersToLdm(trunk))
        out[from] = to;
    return out;
}

} // namespace easel::io
