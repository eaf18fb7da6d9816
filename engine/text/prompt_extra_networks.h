#pragma once
/// A1111 extra-network tags in prompts: "<lora:name:0.8>", "<lora:name:te=1:unet=0.5:dyn=8>",
/// "<lyco:...>", "<hypernet:name:1>". They are cut out of the prompt before any other parsing.
/// Plain C++ (no torch). Any thread.
///
/// Ref: A1111 modules/extra_networks.py parse_prompt / ExtraNetworkParams;
///      extensions-builtin/Lora/extra_networks_lora.py activate.

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace easel::text {

/// The arguments of one tag: items = text after "name:" split on ':'.
struct ExtraNetworkParams {
    std::vector<std::string> items;
    std::vector<std::string> positional;           ///< items without '=' (or with more than one)
    std::map<std::string, std::string> named;      ///< "key=value" items

    explicit ExtraNetworkParams(std::vector<std::string> items = {});
};

/// A prompt with its tags removed.
struct ExtraNetworkPrompt {
    std::string prompt;   ///< the text with every tag replaced by "" (spaces/commas around are kept)
    /// network type ("lora", "hypernet", ...) -> one entry per tag, types in order of first appearance
    std::vector<std::pair<std::string, std::vector<ExtraNetworkParams>>> networks;

    /// Tags of one type (empty when none).
    const std::vector<ExtraNetworkParams>& of(std::string_view type) const;
};

/// Removes every `<(\w+):([^>]+)>` tag (Python re, Unicode \w) and collects its arguments.
ExtraNetworkPrompt parseExtraNetworks(std::string_view prompt);

/// One "<lora:...>" tag interpreted as A1111 does.
struct LoRAParams {
    std::string name;                 ///< first positional argument
    double textEncoderMultiplier = 1.0;  ///< 2nd positional, overridden by te=
    double unetMultiplier = 1.0;         ///< 3rd positional, else the text-encoder value; overridden by unet=
    std::optional<int> dynDim;           ///< 4th positional or dyn=
};

/// Interprets a lora/lyco tag. Throws api::Error (InvalidRequest) for a tag without a name or
/// with a number Python's float()/int() would reject.
LoRAParams loraParams(const ExtraNetworkParams& params);

/// Hypernetwork tag: name and multiplier (2nd positional, default 1). Same errors as loraParams.
std::pair<std::string, double> hypernetParams(const ExtraNetworkParams& params);

} // namespace easel::text
