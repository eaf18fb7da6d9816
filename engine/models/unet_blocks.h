#pragma once
/// Building blocks of the LDM `openaimodel.UNetModel`, with the module names of its checkpoints:
/// ResBlock, SpatialTransformer (BasicTransformerBlock, CrossAttention, GEGLU feed-forward),
/// Downsample, Upsample and TimestepBlock (one `input_blocks.N` / `output_blocks.N`). Engine thread.

#include <memory>
#include <optional>
#include <variant>
#include <vector>

#include <torch/torch.h>

#include "engine/models/layers.h"

namespace easel::models {

inline constexpr double kUNetGroupNormEps = 1e-5;
/// SpatialTransformer's own GroupNorm. Ref: LDM attention.py Normalize (eps 1e-6), diffusers
/// Transformer2DModel (eps 1e-6).
inline constexpr double kTransformerGroupNormEps = 1e-6;
inline constexpr int64_t kGroups = 32;

/// in_layers (GroupNorm, SiLU, conv3x3), emb_layers (SiLU, Linear), out_layers (GroupNorm, SiLU,
/// Dropout, conv3x3), skip_connection (1x1 conv when channels change).
class ResBlock : public torch::nn::Module {
public:
    ResBlock(int64_t in, int64_t out, int64_t embDim);
    torch::Tensor forward(const torch::Tensor& x, const torch::Tensor& emb) const;

private:
    std::shared_ptr<GroupNorm> m_inNorm, m_outNorm;
    std::shared_ptr<Conv2d> m_inConv, m_outConv, m_skip;
    std::shared_ptr<Linear> m_embProj;
};

/// to_q/to_k/to_v (no bias), to_out.0. Self-attention when context is undefined.
class CrossAttention : public torch::nn::Module {
public:
    CrossAttention(int64_t queryDim, int64_t contextDim, int64_t heads, int64_t headDim);
    torch::Tensor forward(const torch::Tensor& x, const torch::Tensor& context = {}) const;

private:
    int64_t m_heads;
    std::shared_ptr<Linear> m_q, m_k, m_v, m_out;
};

/// ff.net.0.proj (GEGLU: value and gate halves), ff.net.2.
class FeedForward : public torch::nn::Module {
public:
    FeedForward(int64_t dim, int64_t mult = 4);
    torch::Tensor forward(const torch::Tensor& x) const;

private:
    std::shared_ptr<Linear> m_proj, m_outProj;
};

class BasicTransformerBlock : public torch::nn::Module {
public:
    BasicTransformerBlock(int64_t dim, int64_t contextDim, int64_t heads, int64_t headDim);
    torch::Tensor forward(torch::Tensor x, const torch::Tensor& context) const;

private:
    std::shared_ptr<CrossAttention> m_attn1, m_attn2;
    std::shared_ptr<FeedForward> m_ff;
    std::shared_ptr<LayerNorm> m_norm1, m_norm2, m_norm3;
};

/// norm, proj_in (1x1 conv SD1, Linear SD2/SDXL), transformer_blocks.N, proj_out, residual.
class SpatialTransformer : public torch::nn::Module {
public:
    SpatialTransformer(int64_t channels, int64_t heads, int64_t headDim, int64_t depth, int64_t contextDim,
                       bool linearProjection);
    torch::Tensor forward(const torch::Tensor& x, const torch::Tensor& context) const;

private:
    bool m_linear;
    std::shared_ptr<GroupNorm> m_norm;
    std::shared_ptr<torch::nn::Module> m_projIn, m_projOut;
    std::vector<std::shared_ptr<BasicTransformerBlock>> m_blocks;
};

/// `op`: 3x3 conv, stride 2, padding 1.
class Downsample : public torch::nn::Module {
public:
    explicit Downsample(int64_t channels);
    torch::Tensor forward(const torch::Tensor& x) const { return m_op->forward(x); }

private:
    std::shared_ptr<Conv2d> m_op;
};

/// Nearest ×2 (or to the skip's size when the latent was odd-sized), then `conv` 3x3.
class Upsample : public torch::nn::Module {
public:
    explicit Upsample(int64_t channels);
    torch::Tensor forward(const torch::Tensor& x, std::optional<std::vector<int64_t>> size) const;

private:
    std::shared_ptr<Conv2d> m_conv;
};

/// Heads and head size of a transformer of `channels` width: fixed head count (SD1) or fixed
/// head size (SD2, SDXL).
struct HeadLayout {
    int64_t heads;
    int64_t headDim;
};
HeadLayout headLayout(int64_t channels, int numHeads, int numHeadChannels);

/// One `input_blocks.N` / `middle_block` / `output_blocks.N`: layers named 0, 1, 2 applied in order.
class TimestepBlock : public torch::nn::Module {
public:
    using Layer = std::variant<std::shared_ptr<ResBlock>, std::shared_ptr<SpatialTransformer>,
                               std::shared_ptr<Downsample>, std::shared_ptr<Upsample>, std::shared_ptr<Conv2d>>;
    template <class M>
    void append(std::shared_ptr<M> layer)
    {
        register_module(std::to_string(m_layers.size()), layer);
        m_layers.emplace_back(std::move(layer));
    }
    /// `upsampleSize`: spatial size an Upsample layer must produce (the next skip's), if any.
    torch::Tensor forward(torch::Tensor x, const torch::Tensor& emb, const torch::Tensor& context,
                          std::optional<std::vector<int64_t>> upsampleSize = std::nullopt) const;

private:
    std::vector<Layer> m_layers;
};

} // namespace easel::models
