#include "engine/io/diffusers_loader.h"

#include <array>
#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "engine/api/error.h"
#include "engine/io/key_map.h"

namespace easel::io {

using api::Error;
using api::ErrorCode;
namespace fs = std::filesystem;

namespace {

std::vector<std::string> keysOf(const StateDict& sd)
{
    std::vector<std::string> keys;
    keys.reserve(sd.size());
    for (const auto& kv : sd)
        keys.push_back(kv.first);
    return keys;
}

nlohmann::json readJson(const fs::path& path)
{
    std::ifstream in(path);
    if (!in)
        throw Error(ErrorCode::FileNotFound, "missing file in the diffusers folder", path.string());
    try {
        return nlohmann::json::parse(in);
    } catch (const nlohmann::json::exception& e) {
        throw Error(ErrorCode::CorruptFile, std::string("invalid JSON: ") + e.what(), path.string());
    }
}

/// The weights file of a component folder; .safetensors preferred over pickles.
fs::path componentWeights(const fs::path& dir)
{
    for (const char* name : {"diffusion_pytorch_model.safetensors", "model.safetensors", "diffusion_pytorch_model.fp16.safetensors",
                             "model.fp16.safetensors", "diffusion_pytorch_model.bin", "pytorch_model.bin"})
        if (fs::is_regular_file(dir / name))
            return dir / name;
    throw Error(ErrorCode::FileNotFound, "no weights file (diffusion_pytorch_model.safetensors or model.safetensors) in the folder",
                dir.string());
}

void addWithPrefix(StateDict& out, const StateDict& part, const std::string& prefix)
{
    for (const auto& [k, v] : part)
        out[prefix + k] = v;
}

void addPositionIds(StateDict& out, const std::string& prefix)
{
    const std::string key = prefix + "text_model.embeddings.position_ids";
    const auto pos = out.find(prefix + "text_model.embeddings.position_embedding.weight");
    if (!out.count(key) && pos != out.end())
        out[key] = torch::arange(pos->second.size(0), torch::kLong).unsqueeze(0);
}

} // namespace

StateDict diffusersToLdm(const StateDict& tensors, const std::string& component)
{
    const std::vector<std::string> keys = keysOf(tensors);
    const KeyMap map = component == "unet" ? unetDiffusersToLdm(keys)
                       : component == "vae" ? vaeDiffusersToLdm(keys)
                                            : controlNetDiffusersToLdm(keys);
    StateDict out;
    for (const auto& [k, v] : tensors) {
        const auto it = map.find(k);
        const std::string name = it == map.end() ? k : it->second;
        torch::Tensor t = v;
        if (component == "vae" && isVaeAttentionProjection(name) && t.dim() == 2)
            t = t.reshape({t.size(0), t.size(1), 1, 1}); // linear -> 1x1 conv, same bytes
        out[name] = t;
    }
    return out;
}

StateDict hfClipToOpenClip(const StateDict& hf)
{
    StateDict out;
    std::map<std::string, std::array<torch::Tensor, 3>> qkv; // in_proj key -> q, k, v
    for (const auto& [k, v] : hf) {
        const auto name = hfClipToOpenClip(k);
        if (!name)
            continue;
        if (k.find("self_attn.q_proj.") != std::string::npos)
            qkv[*name][0] = v;
        else if (k.find("self_attn.k_proj.") != std::string::npos)
            qkv[*name][1] = v;
        else if (k.find("self_attn.v_proj.") != std::string::npos)
            qkv[*name][2] = v;
        else if (*name == "text_projection")
            out[*name] = v.t().contiguous(); // OpenCLIP applies x @ P, HF a Linear (x @ W^T)
        else
            out[*name] = v;
    }
    for (const auto& [name, parts] : qkv) {
        if (!parts[0].defined() || !parts[1].defined() || !parts[2].defined())
            throw Error(ErrorCode::CorruptFile, "text encoder lacks one of q/k/v for " + name);
        out[name] = torch::cat({parts[0], parts[1], parts[2]}, 0);
    }
    return out;
}

StateDict loadDiffusersFolder(const std::string& dirPath, const LoadOptions& options)
{
    const fs::path dir(dirPath);
    const nlohmann::json index = readJson(dir / "model_index.json");
    LoadOptions plain = options;
    plain.prefix.clear();
    StateDict out;
    if (index.contains("unet"))
        addWithPrefix(out, diffusersToLdm(loadStateDict(componentWeights(dir / "unet").string(), plain), "unet"), kLdmUNetPrefix);
    if (index.contains("vae"))
        addWithPrefix(out, diffusersToLdm(loadStateDict(componentWeights(dir / "vae").string(), plain), "vae"), kLdmVAEPrefix);
    const bool sdxl = index.contains("text_encoder_2") && !index["text_encoder_2"].is_null() &&
                      !index["text_encoder_2"][0].is_null();
    if (index.contains("text_encoder") && !index["text_encoder"].is_null() && !index["text_encoder"][0].is_null()) {
        StateDict te = loadStateDict(componentWeights(dir / "text_encoder").string(), plain);
        const nlohmann::json cfg = readJson(dir / "text_encoder" / "config.json");
        const bool openClip = !sdxl && cfg.value("hidden_act", std::string("quick_gelu")) == "gelu";
        if (openClip) {
            // SD2: diffusers keeps N-1 of OpenCLIP's N layers (the last one is unused by SD2).
            addWithPrefix(out, hfClipToOpenClip(te), kLdmSD2TextPrefix);
        } else {
            const std::string prefix = sdxl ? kLdmSDXLText0Prefix : kLdmSD1TextPrefix;
            addWithPrefix(out, te, prefix);
            addPositionIds(out, prefix);
        }
    }
    if (sdxl)
        addWithPrefix(out, hfClipToOpenClip(loadStateDict(componentWeights(dir / "text_encoder_2").string(), plain)),
                      kLdmSDXLText1Prefix);
    if (options.prefix.empty())
        return out;
    StateDict filtered;
    for (auto& [k, v] : out)
        if (k.compare(0, options.prefix.size(), options.prefix) == 0)
            filtered[k.substr(options.prefix.size())] = v;
    return filtered;
}

} // namespace easel::io
