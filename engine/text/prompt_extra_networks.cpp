#include "engine/text/prompt_extra_networks.h"

#include <algorithm>
#include <iterator>

#include "engine/api/error.h"
#include "engine/text/prompt_text_util.h"
#include "engine/text/tokenizer_unicode.h"

namespace easel::text {
namespace {

std::vector<std::string> split(const std::string& s, char sep, int maxSplit = -1) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (true) {
        if (maxSplit >= 0 && static_cast<int>(out.size()) == maxSplit) break;
        const std::size_t p = s.find(sep, start);
        if (p == std::string::npos) break;
        out.push_back(s.substr(start, p - start));
        start = p + 1;
    }
    out.push_back(s.substr(start));
    return out;
}

double toFloat(const std::string& text, const std::string& what) {
    if (auto v = prompt_detail::pythonFloat(text)) return *v;
    throw api::Error(api::ErrorCode::InvalidRequest,
        "The " + what + " \"" + text + "\" in an extra-network tag is not a number. Write it like <lora:name:0.8>.");
}

int toInt(const std::string& text, const std::string& what) {
    // Python int(): optional sign and decimal digits, surrounding whitespace.
    const auto v = prompt_detail::pythonFloat(text);
    const bool integral = text.find_first_of(".eEiInN") == std::string::npos;
    if (!v || !integral) {
        throw api::Error(api::ErrorCode::InvalidRequest,
            "The " + what + " \"" + text + "\" in an extra-network tag is not a whole number.");
    }
    return static_cast<int>(*v);
}

} // namespace

ExtraNetworkParams::ExtraNetworkParams(std::vector<std::string> itemList) : items(std::move(itemList)) {
    for (const std::string& item : items) {
        const std::vector<std::string> parts = split(item, '=', 2);  // Python item.split('=', 2)
        if (parts.size() == 2) {
            named[parts[0]] = parts[1];
        } else {
            positional.push_back(item);
        }
    }
}

const std::vector<ExtraNetworkParams>& ExtraNetworkPrompt::of(std::string_view type) const {
    static const std::vector<ExtraNetworkParams> kNone;
    for (const auto& [name, list] : networks) {
        if (name == type) return list;
    }
    return kNone;
}

ExtraNetworkPrompt parseExtraNetworks(std::string_view promptUtf8) {
    const std::u32string s = unicode::fromUtf8(promptUtf8);
    ExtraNetworkPrompt result;
    std::u32string out;
    std::size_t i = 0;
    while (i < s.size()) {
        if (s[i] == U'<') {
            std::size_t j = i + 1;
            while (j < s.size() && prompt_detail::isWord(s[j])) ++j;
            if (j > i + 1 && j < s.size() && s[j] == U':') {
                const std::size_t argsStart = j + 1;
                const std::size_t close = s.find(U'>', argsStart);
                if (close != std::u32string::npos && close > argsStart) {
                    const std::string type = unicode::toUtf8(s.substr(i + 1, j - i - 1));
                    const std::string args = unicode::toUtf8(s.substr(argsStart, close - argsStart));
                    auto it = std::find_if(result.networks.begin(), result.networks.end(),
                                           [&type](const auto& entry) { return entry.first == type; });
                    if (it == result.networks.end()) {
                        result.networks.emplace_back(type, std::vector<ExtraNetworkParams>{});
                        it = std::prev(result.networks.end());
                    }
                    it->second.emplace_back(split(args, ':'));
                    i = close + 1;
                    continue;
                }
            }
        }
        out.push_back(s[i]);
        ++i;
    }
    result.prompt = unicode::toUtf8(out);
    return result;
}

LoRAParams loraParams(const ExtraNetworkParams& params) {
    // Ref: A1111 extra_networks_lora.py ExtraNetworkLora.activate
    if (params.positional.empty()) {
        throw api::Error(api::ErrorCode::InvalidRequest,
            "A LoRA tag has no name. Write it like <lora:name:0.8>.");
    }
    LoRAParams out;
    out.name = params.positional[0];
    double te = params.positional.size() > 1 ? toFloat(params.positional[1], "multiplier") : 1.0;
    if (auto it = params.named.find("te"); it != params.named.end()) te = toFloat(it->second, "te multiplier");
    double unet = params.positional.size() > 2 ? toFloat(params.positional[2], "unet multiplier") : te;
    if (auto it = params.named.find("unet"); it != params.named.end()) unet = toFloat(it->second, "unet multiplier");
    if (params.positional.size() > 3) out.dynDim = toInt(params.positional[3], "dyn value");
    if (auto it = params.named.find("dyn"); it != params.named.end()) out.dynDim = toInt(it->second, "dyn value");
    out.textEncoderMultiplier = te;
    out.unetMultiplier = unet;
    return out;
}

std::pair<std::string, double> hypernetParams(const ExtraNetworkParams& params) {
    // Ref: A1111 extra_networks_hypernet.py: multiplier = float(items[1]) if len(items) > 1 else 1.0
    if (params.items.empty() || params.items[0].empty()) {
        throw api::Error(api::ErrorCode::InvalidRequest,
            "A hypernetwork tag has no name. Write it like <hypernet:name:1>.");
    }
    const double multiplier = params.items.size() > 1 ? toFloat(params.items[1], "multiplier") : 1.0;
    return {params.items[0], multiplier};
}

} // namespace easel::text
