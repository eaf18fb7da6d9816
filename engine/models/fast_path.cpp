#include "engine/models/fast_path.h"

#include <cstdlib>

namespace easel::models {

FastPath& fastPath()
{
    // $EASEL_FAST_PATH: unset = defaults, "0"/"none" = all off, "1"/"all" = all on, or a comma
    // list of switch names ("channels_last,onednn_linear") = exactly those on.
    static FastPath path = [] {
        const char* env = std::getenv("EASEL_FAST_PATH");
        if (!env)
            return FastPath{};
        const std::string value(env);
        if (value == "0" || value == "none")
            return FastPath::none();
        if (value == "1" || value == "all")
            return FastPath::all();
        FastPath chosen = FastPath::none();
        auto has = [&](const char* name) { return ("," + value + ",").find("," + std::string(name) + ",") != std::string::npos; };
        chosen.channelsLast = has("channels_last");
        chosen.fusedAttention = has("fused_attention");
        chosen.onednnLinear = has("onednn_linear");
        return chosen;
    }();
    return path;
}

std::string FastPath::describe() const
{
    std::string out;
    auto add = [&](bool on, const char* name) {
        if (on)
            out += (out.empty() ? "" : ",") + std::string(name);
    };
    add(channelsLast, "channels_last");
    add(fusedAttention, "fused_attention");
    add(onednnLinear, "onednn_linear");
    return out.empty() ? "none" : out;
}

} // namespace easel::models
