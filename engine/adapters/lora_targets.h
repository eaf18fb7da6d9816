#pragma once
/// Where a LoRA module lands: every weight/bias of a UNet and its text encoders, indexed under all
/// the names LoRA files use for it. Engine-internal (torch). Engine thread only.
///
/// UNet layers are known by their LDM path (kohya SDXL files: `lora_unet_input_blocks_4_1_…`) and by
/// their diffusers path (kohya SD1/SD2 files, PEFT). Text encoders by their HF CLIP path with or
/// without `text_model.` and, for OpenCLIP encoders (SD2, SDXL bigG), also by their native path; an
/// HF q/k/v projection of an OpenCLIP encoder is a row block of the fused `in_proj_weight`.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include <torch/torch.h>

#include "engine/adapters/lora_file.h"

namespace easel::models {
class UNet;
}
namespace easel::text {
class TextEncoder;
}

namespace easel::adapters {

/// A parameter, or a block of its rows (fused OpenCLIP q/k/v).
struct ParamSlice {
    std::string id;        ///< "unet/<name>", "te0/<name>": identity of the whole parameter
    int64_t rowStart = 0;
    int64_t rows = -1;     ///< -1 = the whole tensor
};

struct LoRATarget {
    std::optional<ParamSlice> weight;
    std::optional<ParamSlice> bias;
};

/// LDM UNet module path -> diffusers path ("input_blocks.1.1.proj_in" -> "down_blocks.0.attentions.0.proj_in");
/// "" when the path has no diffusers counterpart. `numResBlocks` = layers per block.
std::string unetLdmToDiffusers(const std::string& ldmModule, int numResBlocks);

/// "a.b.c" -> "a_b_c".
std::string flatten(std::string path);

class LoRATargetIndex {
public:
    /// `encoders` in conditioning order (SDXL: CLIP-L, bigG). Pointers must outlive the index.
    LoRATargetIndex(models::UNet* unet, const std::vector<text::TextEncoder*>& encoders);

    const LoRATarget* find(LoRAComponent component, const std::string& flatName) const;
    /// The live parameter tensor of an id. Looked up on every call: modules may replace a
    /// parameter tensor after loading (models/layers.h: placeholders, memory-format changes).
    torch::Tensor parameter(const std::string& id) const;
    /// Every indexed parameter by id, as live tensors.
    std::map<std::string, torch::Tensor> parameters() const;
    size_t size() const { return m_targets.size(); }

private:
    void addModule(int component, const std::string& flatName, bool bias, const ParamSlice& slice);
    /// Records the owner of every parameter of `root` under `idPrefix` + its name; returns the names.
    std::vector<std::string> addOwners(torch::nn::Module& root, const std::string& idPrefix);
    void indexUNet(models::UNet& unet);
    void indexEncoder(int component, text::TextEncoder& encoder);

    std::map<std::pair<int, std::string>, LoRATarget> m_targets;
    /// id -> (module that holds the parameter directly, parameter name in it)
    std::map<std::string, std::pair<torch::nn::Module*, std::string>> m_owners;
};

} // namespace easel::adapters
