#include "engine/adapters/lora_file.h"

#include <algorithm>
#include <filesystem>

#include "engine/api/error.h"
#include "engine/io/model_check.h"
#include "engine/io/model_inventory.h"
#include "engine/io/state_dict.h"

namespace easel::adapters {

namespace {

bool startsWith(const std::string& s, const std::string& p) { return s.compare(0, p.size(), p) == 0; }
bool endsWith(const std::string& s, const std::string& p)
{
    return s.size() >= p.size() && s.compare(s.size() - p.size(), p.size(), p) == 0;
}

// Tensor role by key suffix, most specific first (".lora.down.weight" before ".down.weight").
const std::pair<const char*, const char*> kRoles[] = {
    {".lora_down.weight", "down"},
    {".lora_up.weight", "up"},
    {".lora_mid.weight", "mid"},
    {".lora_A.weight", "down"},                      // PEFT
    {".lora_B.weight", "up"},
    {".lora.down.weight", "down"},                   // diffusers (pre-PEFT)
    {".lora.up.weight", "up"},
    {".lora_linear_layer.down.weight", "down"},      // diffusers LoRACompatible layers
    {".lora_linear_layer.up.weight", "up"},
    {".down.weight", "down"},                        // diffusers attention processors: to_q_lora.down
    {".up.weight", "up"},
    {".alpha", "alpha"},
    {".dora_scale", "dora_scale"},
    {".hada_w1_a", "hada_w1_a"},
    {".hada_w1_b", "hada_w1_b"},
    {".hada_w2_a", "hada_w2_a"},
    {".hada_w2_b", "hada_w2_b"},
    {".hada_t1", "hada_t1"},
    {".hada_t2", "hada_t2"},
    {".lokr_w1_a", "lokr_w1_a"},
    {".lokr_w1_b", "lokr_w1_b"},
    {".lokr_w2_a", "lokr_w2_a"},
    {".lokr_w2_b", "lokr_w2_b"},
    {".lokr_w1", "lokr_w1"},
    {".lokr_w2", "lokr_w2"},
    {".lokr_t2", "lokr_t2"},
    {".diff_b", "diff_b"},
    {".diff", "diff"},
    {".w_norm", "w_norm"},
    {".b_norm", "b_norm"},
};

// Module-name prefixes -> component. The kohya ones are followed by an underscored path, the others
// by a dotted one (flattened below).
const std::pair<const char*, LoRAComponent> kPrefixes[] = {
    {"lora_unet_", LoRAComponent::UNet},
    {"lora_te1_", LoRAComponent::TextEncoder1},
    {"lora_te2_", LoRAComponent::TextEncoder2},
    {"lora_te_", LoRAComponent::TextEncoder1},
    {"unet.", LoRAComponent::UNet},
    {"model.diffusion_model.", LoRAComponent::UNet},
    {"diffusion_model.", LoRAComponent::UNet},
    {"text_encoder_2.", LoRAComponent::TextEncoder2},
    {"text_encoder.", LoRAComponent::TextEncoder1},
    {"cond_stage_model.transformer.", LoRAComponent::TextEncoder1},
    {"cond_stage_model.model.", LoRAComponent::TextEncoder1},
    {"conditioner.embedders.0.transformer.", LoRAComponent::TextEncoder1},
    {"conditioner.embedders.0.model.", LoRAComponent::TextEncoder1},
    {"conditioner.embedders.1.model.", LoRAComponent::TextEncoder2},
};

// Bare diffusers / LDM module paths (older diffusers attention-processor files have no prefix).
const char* const kBareUNetStarts[] = {"down_blocks.", "up_blocks.", "mid_block.", "input_blocks.",
                                       "output_blocks.", "middle_block.", "conv_in", "conv_out", "time_embed"};

bool splitModule(const std::string& moduleKey, LoRAComponent& component, std::string& flat)
{
    std::string rest;
    bool found = false;
    for (const auto& [prefix, comp] : kPrefixes)
        if (startsWith(moduleKey, prefix)) {
            component = comp;
            rest = moduleKey.substr(std::char_traits<char>::length(prefix));
            found = true;
            break;
        }
    if (!found) {
        for (const char* start : kBareUNetStarts)
            if (startsWith(moduleKey, start)) {
                component = LoRAComponent::UNet;
                rest = moduleKey;
                found = true;
                break;
            }
        if (!found && startsWith(moduleKey, "text_model.")) {
            component = LoRAComponent::TextEncoder1;
            rest = moduleKey;
            found = true;
        }
    }
    if (!found || rest.empty())
        return false;
    std::replace(rest.begin(), rest.end(), '.', '_');
    // diffusers attention processors: "attn1.processor.to_q_lora" is layer "attn1.to_q";
    // "to_out_lora" is "to_out.0".
    for (size_t p; (p = rest.find("_processor_")) != std::string::npos;)
        rest.erase(p, std::char_traits<char>::length("_processor"));
    if (endsWith(rest, "_lora"))
        rest.resize(rest.size() - 5);
    if (endsWith(rest, "_to_out"))
        rest += "_0";
    flat = rest;
    return true;
}

} // namespace

const char* loraComponentName(LoRAComponent component)
{
    switch (component) {
    case LoRAComponent::UNet: return "UNet";
    case LoRAComponent::TextEncoder1: return "text encoder 1";
    case LoRAComponent::TextEncoder2: return "text encoder 2";
    }
    return "?";
}

std::string fileStamp(const std::string& path)
{
    std::error_code ec;
    const auto size = std::filesystem::file_size(path, ec);
    if (ec)
        return {};
    const auto time = std::filesystem::last_write_time(path, ec);
    return std::to_string(size) + ":" + std::to_string(time.time_since_epoch().count());
}

LoRAFile loraFromTensors(const std::map<std::string, torch::Tensor>& tensors, const std::string& path)
{
    LoRAFile out;
    out.path = path;
    std::map<std::string, size_t> index; // module key -> position in out.modules
    for (const auto& [key, tensor] : tensors) {
        const char* role = nullptr;
        std::string moduleKey;
        for (const auto& [suffix, r] : kRoles)
            if (endsWith(key, suffix)) {
                role = r;
                moduleKey = key.substr(0, key.size() - std::char_traits<char>::length(suffix));
                break;
            }
        LoRAComponent component = LoRAComponent::UNet;
        std::string flat;
        if (!role || !splitModule(moduleKey, component, flat)) {
            out.unknownKeys.push_back(key);
            continue;
        }
        auto [it, inserted] = index.try_emplace(moduleKey, out.modules.size());
        if (inserted) {
            LoRAModule m;
            m.key = moduleKey;
            m.component = component;
            m.flatName = flat;
            out.modules.push_back(std::move(m));
        }
        out.modules[it->second].tensors[role] = tensor;
    }
    return out;
}

LoRAFile loadLoRAFile(const std::string& path)
{
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec))
        throw api::Error(api::ErrorCode::FileNotFound, "LoRA file not found: " + path, path);
    io::DetectedModel detected;
    detected = io::detectModelFile(path);
    // LoRA key layouts are many: an unknown one gets its say from loraFromTensors below; only a
    // file without any tensors is refused here.
    if (detected.kind == io::ModelKind::Unknown && io::inventoryOf(path).tensorCount == 0)
        io::requireModel(detected, path);
    if (detected.kind != io::ModelKind::LoRA && detected.kind != io::ModelKind::Unknown)
        throw api::Error(api::ErrorCode::UnsupportedFormat,
                         std::string("this file is a ") + io::modelKindName(detected.kind) +
                             ", not a LoRA; pick it in its own panel",
                         path);
    LoRAFile out = loraFromTensors(io::loadStateDict(path), path);
    if (out.modules.empty())
        throw api::Error(api::ErrorCode::UnsupportedFormat,
                         "no LoRA/LyCORIS layers found in this file (" + std::to_string(out.unknownKeys.size()) +
                             " keys of an unknown kind)",
                         path);
    out.family = detected.family;
    out.loraType = detected.loraType.empty() ? "LoRA" : detected.loraType;
    for (const std::string& note : detected.notes)
        if (note.find("assumed") != std::string::npos)
            out.familyAssumed = true;
    out.stamp = fileStamp(path);
    return out;
}

} // namespace easel::adapters
