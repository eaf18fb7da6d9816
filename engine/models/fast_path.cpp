#include "engine/models/fast_path.h"

#include <cstdlib>
#include <sstream>
#include <stdexcept>

namespace easel::models {

FastPath& fastPath()
{
    // $EASEL_FAST_PATH (FastPath::parse syntax) overrides the defaults at start-up; a bad value is
    // ignored rather than stopping the engine.
    static FastPath path = [] {
        const char* env = std::getenv("EASEL_FAST_PATH");
        try {
            return env ? FastPath::parse(env) : FastPath::defaults();
        } catch (const std::invalid_argument&) {
            return FastPath{};
        }
    }();
    return path;
}

FastPath FastPath::parse(const std::string& text)
{
    if (text.empty() || text == "default")
        return defaults();
    if (text == "all" || text == "1")
        return all();
    if (text == "none" || text == "0")
        return none();
    FastPath chosen = none();
    std::stringstream list(text);
    std::string name;
    while (std::getline(list, name, ',')) {
        if (name == "channels_last")
            chosen.channelsLast = true;
        else if (name == "fused_attention")
            chosen.fusedAttention = true;
        else if (name == "onednn_linear")
            chosen.onednnLinear = true;
        else if (!name.empty())
            throw std::invalid_argument("unknown fast-path switch '" + name +
                                        "'; use all, none or a comma list of channels_last, fused_attention, onednn_linear");
    }
    return chosen;
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
