#pragma once
/// CLIP text transformer in the OpenCLIP layout as stored in LDM single files: OpenCLIP ViT-H/14
/// (SD2, `cond_stage_model.model.`) and ViT-bigG/14 (SDXL, `conditioner.embedders.1.model.`).
/// Engine thread only.
///
/// Ref: open_clip model.py (CLIP.encode_text, text_global_pool) and transformer.py
///      (ResidualAttentionBlock with nn.MultiheadAttention: fused in_proj, rows q;k;v).

#include "engine/text/text_encoder.h"

namespace easel::text {

/// `attn`: torch.nn.MultiheadAttention's parameters (in_proj_weight [3C, C], in_proj_bias, out_proj).
struct OpenCLIPAttentionImpl : torch::nn::Module {
    OpenCLIPAttentionImpl(int hidden, int heads);
    torch::Tensor forward(const torch::Tensor& x);
    torch::Tensor in_proj_weight, in_proj_bias;
    torch::nn::Linear out_proj{nullptr};
    int heads;
};
TORCH_MODULE(OpenCLIPAttention);

/// `mlp`: c_fc, GELU, c_proj.
struct OpenCLIPMLPImpl : torch::nn::Module {
    OpenCLIPMLPImpl(int hidden, int inner, bool quickGelu);
    torch::Tensor forward(const torch::Tensor& x);
    torch::nn::Linear c_fc{nullptr}, c_proj{nullptr};
    bool quickGelu;
};
TORCH_MODULE(OpenCLIPMLP);

/// `transformer.resblocks.N`: x + attn(ln_1(x)), then x + mlp(ln_2(x)).
struct OpenCLIPResidualBlockImpl : torch::nn::Module {
    explicit OpenCLIPResidualBlockImpl(const io::TextEncoderConfig& config);
    torch::Tensor forward(const torch::Tensor& x);
    torch::nn::LayerNorm ln_1{nullptr}, ln_2{nullptr};
    OpenCLIPAttention attn{nullptr};
    OpenCLIPMLP mlp{nullptr};
};
TORCH_MODULE(OpenCLIPResidualBlock);

struct OpenCLIPTransformerImpl : torch::nn::Module {
    explicit OpenCLIPTransformerImpl(const io::TextEncoderConfig& config);
    torch::nn::ModuleList resblocks;
};
TORCH_MODULE(OpenCLIPTransformer);

/// Parameter names = keys below the LDM prefix: `token_embedding.weight`, `positional_embedding`
/// [77, C], `transformer.resblocks.N.*`, `ln_final.*`, `text_projection` [C, P] (used as x @ P) and
/// `logit_scale` (0-dim, loaded but unused by text conditioning).
class OpenCLIPTextModel : public TextEncoder {
public:
    explicit OpenCLIPTextModel(const io::TextEncoderConfig& config);

    TextEncoderOutput encode(const torch::Tensor& ids, const TextEncodeOptions& options = {}) override;
    torch::Tensor finalNorm(const torch::Tensor& hidden) override;

protected:
    std::string parameterName(const std::string& fileKey) const override { return fileKey; }
    /// Pruned SD2 files may drop the projection and the logit scale, which SD2 never uses.
    bool optionalParameter(const std::string& name) const override
    {
        return name == "logit_scale" || (name == "text_projection" && !m_config.hasTextProjection);
    }

private:
    torch::nn::Embedding m_tokenEmbedding{nullptr};
    torch::Tensor m_positionalEmbedding;
    OpenCLIPTransformer m_transformer{nullptr};
    torch::nn::LayerNorm m_lnFinal{nullptr};
    torch::Tensor m_textProjection;
    torch::Tensor m_logitScale;
};

} // namespace easel::text
