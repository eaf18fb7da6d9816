#pragma once
// Text encoder configs of the golden models, taken from the files the way the product takes them
// (io detection from the weights, then the sidecar beside the file), and comparison helpers shared
// by the text-encoder golden tests. No width, layer or head count is written here: a golden set
// with other dims works unchanged.

#include <fstream>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <torch/torch.h>

#include "engine/io/model_config.h"
#include "engine/io/model_detect.h"
#include "engine/io/state_dict.h"
#include "engine/text/text_encoder.h"
#include "tests/support/golden.h"

namespace easel::test {

inline std::string goldenModel(const std::string& name) { return goldenPath("models/" + name); }

inline io::StateDict goldenRef(const std::string& name)
{
    return io::loadStateDict(goldenPath("ref/" + name), {.dtype = std::nullopt, .prefix = "", .zeroCopy = false});
}

/// manifest.json's transformers CLIPTextConfig dicts ("info.configs", README "Exact configs of the
/// tiny models"), named `<family>_text[_suffix]`: the head counts, which no weight shape shows and
/// the LDM sidecars do not state for text encoders.
inline const nlohmann::json& manifestConfigs()
{
    static const nlohmann::json configs = [] {
        std::ifstream in(goldenPath("manifest.json"));
        return nlohmann::json::parse(in).at("info").at("configs");
    }();
    return configs;
}

/// The manifest config of encoder `index` of `detected` (a model of `family`): the one
/// `<family>_text*` entry when the family has one encoder; with two (SDXL), `_l` names the CLIP-L
/// (HF layout) one and `_g` the OpenCLIP bigG one. Null when the manifest has none.
inline const nlohmann::json* manifestTextConfig(const std::string& family, const io::DetectedModel& detected, size_t index)
{
    const std::string prefix = family + "_text";
    const io::TextEncoderKind kind = detected.textEncoders[index].kind;
    for (const auto& [name, config] : manifestConfigs().items()) {
        if (name.rfind(prefix, 0) != 0)
            continue;
        if (detected.textEncoders.size() == 1)
            return &config;
        const bool clipL = name.size() >= 2 && name.compare(name.size() - 2, 2, "_l") == 0;
        const bool bigG = name.size() >= 2 && name.compare(name.size() - 2, 2, "_g") == 0;
        if ((clipL && kind == io::TextEncoderKind::CLIP_HF) || (bigG && kind == io::TextEncoderKind::OpenCLIP))
            return &config;
    }
    return nullptr;
}

/// Encoder `index` (conditioning order) of golden model `file` (relative to models/; a diffusers
/// component file too): detected from its weights and sidecar, then the manifest's config of that
/// encoder applied as a diffusers text_encoder/config.json would be. The config's widths must
/// agree with the detected ones, else the manifest belongs to other files (a mixed-up golden set).
inline io::TextEncoderConfig goldenTextEncoder(const std::string& file, size_t index = 0)
{
    const io::DetectedModel detected = io::detectModelFile(goldenModel(file));
    if (index >= detected.textEncoders.size())
        throw std::runtime_error(file + " has no text encoder " + std::to_string(index));
    io::TextEncoderConfig config = detected.textEncoders[index];
    const std::string family = file.substr(0, file.find("_tiny")); // models/<family>_tiny*
    if (const nlohmann::json* extra = manifestTextConfig(family, detected, index)) {
        if (extra->value("hidden_size", config.hidden) != config.hidden ||
            extra->value("num_hidden_layers", config.layers) != config.layers)
            throw std::runtime_error("manifest config of " + file + " encoder " + std::to_string(index) +
                                     " disagrees with its weights");
        io::applyTextEncoderConfig(config, extra->dump(), goldenPath("manifest.json"));
    }
    return config;
}

/// Max |a - b| in double (shapes must match, else +inf).
inline double maxAbsDiff(const torch::Tensor& a, const torch::Tensor& b)
{
    if (a.sizes() != b.sizes())
        return std::numeric_limits<double>::infinity();
    return (a.to(torch::kDouble) - b.to(torch::kDouble)).abs().max().item<double>();
}

/// Text encoders: README suggests ~1e-5; measured errors are ~1e-6 on this machine.
inline constexpr double kTextTolerance = 1e-5;

} // namespace easel::test
