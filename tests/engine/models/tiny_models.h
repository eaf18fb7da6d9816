#pragma once
// The golden models' networks, configured as the product configures them (io detection from the
// weights, then the sidecar beside the file; no dimension is written here), and helpers to read the
// reference cases of ref/*.safetensors. Header-only, shared by the models and ControlNet tests.

#include <QtTest>

#include <fstream>
#include <regex>
#include <set>
#include <string>

#include <nlohmann/json.hpp>
#include <torch/torch.h>

#include "engine/io/model_config.h"
#include "engine/io/key_map.h"
#include "engine/io/model_detect.h"
#include "engine/io/state_dict.h"
#include "engine/models/unet.h"
#include "engine/models/vae.h"
#include "engine/models/weight_loading.h"
#include "tests/support/golden.h"

namespace easel::test {

/// Network configs of a golden model file, detected by io/ from its weights and sidecar .yaml.
inline io::DetectedModel detectGoldenModel(const std::string& relative)
{
    return io::detectModelFile(goldenPath(relative));
}

/// The UNet of a golden checkpoint (LDM single file or bare UNet): built from its detected config,
/// weights read under the detected key prefix.
inline std::shared_ptr<models::UNet> loadGoldenUNet(const std::string& relative)
{
    const std::string path = goldenPath(relative);
    const io::DetectedModel detected = detectGoldenModel(relative);
    auto unet = std::make_shared<models::UNet>(detected.unet);
    models::loadWeights(*unet, io::loadStateDict(path, {.prefix = detected.keyPrefix}), "", {}, path, "UNet");
    return unet;
}

/// The VAE of a golden checkpoint (under `first_stage_model.`) or of a standalone VAE file (under
/// its detected prefix).
inline std::shared_ptr<models::VAE> loadGoldenVAE(const std::string& relative)
{
    const std::string path = goldenPath(relative);
    const io::DetectedModel detected = detectGoldenModel(relative);
    const std::string prefix = detected.kind == io::ModelKind::Checkpoint ? io::kLdmVAEPrefix : detected.keyPrefix;
    auto vae = std::make_shared<models::VAE>(detected.vae);
    models::loadWeights(*vae, io::loadStateDict(path, {.prefix = prefix}), "", {}, path, "VAE");
    return vae;
}

/// Case names of a reference file: every "<case>.<suffix>" tensor gives a case.
inline std::vector<std::string> caseNames(const io::StateDict& refs, const std::string& suffix)
{
    std::set<std::string> names;
    for (const auto& [key, value] : refs) {
        if (key.size() > suffix.size() + 1 && key.compare(key.size() - suffix.size(), suffix.size(), suffix) == 0 &&
            key[key.size() - suffix.size() - 1] == '.')
            names.insert(key.substr(0, key.size() - suffix.size() - 1));
    }
    return {names.begin(), names.end()};
}

/// Description of every tensor of `file` in golden manifest.json.
inline std::map<std::string, std::string> manifestDescriptions(const std::string& file)
{
    std::ifstream in(goldenPath("manifest.json"));
    const nlohmann::json manifest = nlohmann::json::parse(in);
    std::map<std::string, std::string> out;
    for (const auto& [name, entry] : manifest.at("files").at(file).at("tensors").items())
        out[name] = entry.value("description", "");
    return out;
}

/// Input `name` of `caseName`: the case's own tensor if stored; otherwise the reference data
/// derives it from case "a", as the case output's manifest description says: "… = a.*[i:j]"
/// (rows i..j of a's tensor), "t=500.0" (a constant timestep), or else a's tensor as a whole.
inline torch::Tensor caseInput(const io::StateDict& refs, const std::map<std::string, std::string>& descriptions,
                               const std::string& caseName, const std::string& name)
{
    if (auto it = refs.find(caseName + "." + name); it != refs.end())
        return it->second;
    const std::string description = descriptions.count(caseName + ".out") ? descriptions.at(caseName + ".out") : "";
    std::smatch m;
    if (name == "t" && std::regex_search(description, m, std::regex(R"(t=([0-9.]+))")))
        return torch::full({1}, std::stod(m[1].str()));
    auto base = refs.find("a." + name);
    if (base == refs.end())
        return {};
    if (std::regex_search(description, m, std::regex(R"(a\.\*\[(\d*):(\d*)\])"))) {
        const int64_t from = m[1].str().empty() ? 0 : std::stoll(m[1].str());
        const int64_t to = m[2].str().empty() ? base->second.size(0) : std::stoll(m[2].str());
        return base->second.slice(0, from, to);
    }
    return base->second;
}

inline double maxAbsDiff(const torch::Tensor& a, const torch::Tensor& b)
{
    return (a.to(torch::kFloat64) - b.to(torch::kFloat64)).abs().max().item<double>();
}

/// Pearson correlation of two tensors' values (how closely an approximate pass follows the exact one).
inline double correlation(const torch::Tensor& a, const torch::Tensor& b)
{
    const torch::Tensor x = a.flatten() - a.mean(), y = b.flatten() - b.mean();
    return ((x * y).sum() / (x.norm() * y.norm())).item<double>();
}

/// A smooth random latent [1, channels, side, side]: 6×6 noise upsampled bilinearly, so that tiles
/// of it look alike the way a real image's latent does (uses the global torch seed).
inline torch::Tensor smoothLatent(int64_t channels, int64_t side)
{
    namespace F = torch::nn::functional;
    return F::interpolate(torch::randn({1, channels, 6, 6}), F::InterpolateFuncOptions()
                                                                 .size(std::vector<int64_t>{side, side})
                                                                 .mode(torch::kBilinear)
                                                                 .align_corners(false));
}

} // namespace easel::test
