#pragma once
/// CLIP text transformer in the Hugging Face layout (`transformers.CLIPTextModel`, and
/// `CLIPTextModelWithProjection` when the config has a projection): CLIP ViT-L/14 of SD1 and of
/// SDXL (encoder 0), and every diffusers `text_encoder*/` folder. Engine thread only.
///
/// Ref: transformers v4.33 models/clip/modeling_clip.py (CLIPTextTransformer, CLIPEncoderLayer).

#include "engine/text/text_encoder.h"

namespace easel::text {

/// `self_attn`: separate q/k/v/out projections with biases.
struct CLIPAttentionImpl : torch::nn::Module {
    CLIPAttentionImpl(int hidden, int heads);
    torch::Tensor forward(const torch::Tensor& x);
    torch::nn::Linear q_proj{nullptr}, k_proj{nullptr}, v_proj{nullptr}, out_proj{nullptr};
    int heads;
};
TORCH_MODULE(CLIPAttention);

struct CLIPMLPImpl : torch::nn::Module {
    CLIPMLPImpl(int hidden, int inner, bool quickGelu);
    torch::Tensor forward(const torch::Tensor& x);
    torch::nn::Linear fc1{nullptr}, fc2{nullptr};
    bool quickGelu;
};
TORCH_MODULE(CLIPMLP);

/// Pre-norm residual block: x + attn(ln1(x)), then x + mlp(ln2(x)).
struct CLIPEncoderLayerImpl : torch::nn::Module {
    explicit CLIPEncoderLayerImpl(const io::TextEncoderConfig& config);
    torch::Tensor forward(const torch::Tensor& x);
    CLIPAttention self_attn{nullptr};
    torch::nn::LayerNorm layer_norm1{nullptr}, layer_norm2{nullptr};
    CLIPMLP mlp{nullptr};
};
TORCH_MODULE(CLIPEncoderLayer);

struct CLIPTextEmbeddingsImpl : torch::nn::Module {
    explicit CLIPTextEmbeddingsImpl(const io::TextEncoderConfig& config);
    torch::nn::Embedding token_embedding{nullptr}, position_embedding{nullptr};
};
TORCH_MODULE(CLIPTextEmbeddings);

struct CLIPEncoderImpl : torch::nn::Module {
    explicit CLIPEncoderImpl(const io::TextEncoderConfig& config);
    torch::nn::ModuleList layers;
};
TORCH_MODULE(CLIPEncoder);

/// Parameter names = HF keys below `text_model.` (`embeddings.token_embedding.weight`,
/// `encoder.layers.N.self_attn.q_proj.weight`, `final_layer_norm.weight`) plus `text_projection.weight`
/// ([projection, hidden], no bias; applied as a Linear) when config.hasTextProjection.
class CLIPTextModel : public TextEncoder {
public:
    explicit CLIPTextModel(const io::TextEncoderConfig& config);

    TextEncoderOutput encode(const torch::Tensor& ids, const TextEncodeOptions& options = {}) override;
    torch::Tensor finalNorm(const torch::Tensor& hidden) override;

protected:
    /// Accepts keys with or without the `text_model.` segment (LDM prefixes end after it, diffusers
    /// files keep it); the int64 `embeddings.position_ids` buffer of SD1 files is ignored (positions
    /// are always 0..T-1).
    std::string parameterName(const std::string& fileKey) const override;

private:
    CLIPTextEmbeddings m_embeddings{nullptr};
    CLIPEncoder m_encoder{nullptr};
    torch::nn::LayerNorm m_finalLayerNorm{nullptr};
    torch::nn::Linear m_textProjection{nullptr};
};

} // namespace easel::text
