#pragma once
/// A LoRA / LyCORIS file split into modules: every key is cut into (module, tensor role), the module's
/// prefix tells which network it patches (UNet, text encoder 1 or 2) and the rest is its path with
/// '.' written as '_' (kohya's spelling), so kohya, LyCORIS, diffusers/PEFT and ComfyUI-style names
/// meet in one form. Engine-internal (torch). Any thread; a LoRAFile is immutable once loaded.
///
/// Ref (formats, facts only): kohya-ss sd-scripts networks/lora.py (lora_unet_/lora_te_/lora_te1_/
/// lora_te2_, alpha), LyCORIS modules (hada_*, lokr_*, dora_scale, diff/diff_b, w_norm/b_norm),
/// A1111 extensions-builtin/Lora/networks.py (key conversion, which prefixes name what),
/// diffusers lora_pipeline / PEFT (lora_A/lora_B, `unet.`/`text_encoder.` prefixes, `.lora.down`).

#include <map>
#include <string>
#include <vector>

#include <torch/torch.h>

#include "engine/io/model_config.h"

namespace easel::adapters {

/// Which network a module patches.
enum class LoRAComponent { UNet, TextEncoder1, TextEncoder2 };

/// The tensors of one patched layer, by role: "down", "up", "mid", "alpha", "dora_scale",
/// "hada_w1_a" … "hada_t2", "lokr_w1" … "lokr_t2", "diff", "diff_b", "w_norm", "b_norm".
struct LoRAModule {
    std::string key;                 ///< module name as written in the file
    LoRAComponent component = LoRAComponent::UNet;
    std::string flatName;            ///< path inside the component with '.' -> '_' (e.g. "down_blocks_0_…_to_q")
    std::map<std::string, torch::Tensor> tensors;

    bool has(const std::string& role) const { return tensors.count(role) > 0; }
    const torch::Tensor& at(const std::string& role) const { return tensors.at(role); }
    /// Number of file keys this module consumed.
    size_t keyCount() const { return tensors.size(); }
};

struct LoRAFile {
    std::string path;
    io::ModelFamily family = io::ModelFamily::Unknown;
    bool familyAssumed = false;      ///< detection guessed (widths match no known model)
    std::string loraType;            ///< "LoRA", "LoCon", "LoHa", "LoKr", …
    std::vector<LoRAModule> modules;
    /// Keys whose role or component Easel does not know (reported, never silently dropped).
    std::vector<std::string> unknownKeys;
    /// file size + mtime when loaded, to notice a changed file.
    std::string stamp;
};

/// Loads and splits a LoRA file (.safetensors, .pt/.ckpt via the restricted unpickler). Tensors stay
/// on the CPU in the file's dtype (views of the mapping where possible). Throws api::Error:
/// FileNotFound, CorruptFile, UnsupportedFormat when the file is not a LoRA.
LoRAFile loadLoRAFile(const std::string& path);

/// Splits an in-memory state dict (for tests and synthetic LoRAs); family/type left to the caller.
LoRAFile loraFromTensors(const std::map<std::string, torch::Tensor>& tensors, const std::string& path = {});

/// "size:mtime" of a file ("" when missing): changes when the file is rewritten.
std::string fileStamp(const std::string& path);

const char* loraComponentName(LoRAComponent component); ///< "UNet", "text encoder 1", "text encoder 2"

} // namespace easel::adapters
