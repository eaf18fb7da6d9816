#pragma once
/// Encoder and decoder of the LDM AutoencoderKL (`ldm/modules/diffusionmodules/model.py`), with the
/// checkpoint's module names (conv_in, down.N.block.M, down.N.downsample, mid.block_1, mid.attn_1,
/// mid.block_2, up.N..., norm_out, conv_out). Engine thread only.

#include <memory>
#include <vector>

#include <torch/torch.h>

#include "engine/io/model_config.h"
#include "engine/models/layers.h"

namespace easel::models {

inline constexpr double kVAEGroupNormEps = 1e-6;

/// norm1, conv1, norm2, conv2, nin_shortcut (1x1, when channels change). No time embedding.
class VAEResnetBlock : public torch::nn::Module {
public:
    VAEResnetBlock(int64_t in, int64_t out);
    torch::Tensor forward(const torch::Tensor& x) const;

private:
    std::shared_ptr<GroupNorm> m_norm1, m_norm2;
    std::shared_ptr<Conv2d> m_conv1, m_conv2, m_shortcut;
};

/// Single-head self-attention over pixels: norm, q, k, v, proj_out (1x1 convs; files may store the
/// weights as [C,C] Linear, the loader reshapes).
class VAEAttnBlock : public torch::nn::Module {
public:
    explicit VAEAttnBlock(int64_t channels);
    torch::Tensor forward(const torch::Tensor& x) const;

private:
    std::shared_ptr<GroupNorm> m_norm;
    std::shared_ptr<Conv2d> m_q, m_k, m_v, m_proj;
};

/// mid.block_1, mid.attn_1, mid.block_2
class VAEMid : public torch::nn::Module {
public:
    explicit VAEMid(int64_t channels);
    torch::Tensor forward(const torch::Tensor& x) const;

private:
    std::shared_ptr<VAEResnetBlock> m_block1, m_block2;
    std::shared_ptr<VAEAttnBlock> m_attn;
};

/// One resolution level: block.M resnets, then downsample.conv / upsample.conv if present.
class VAELevel : public torch::nn::Module {
public:
    enum class Resample { None, Down, Up };
    VAELevel(int64_t in, int64_t out, int blocks, Resample resample);
    torch::Tensor forward(torch::Tensor x) const;

private:
    std::vector<std::shared_ptr<VAEResnetBlock>> m_blocks;
    Resample m_resample;
    std::shared_ptr<Conv2d> m_resampleConv;
};

/// image [B, 3, H, W] → moments [B, 2·z, H/f, W/f] (before quant_conv).
class VAEEncoder : public torch::nn::Module {
public:
    explicit VAEEncoder(const io::VAEConfig& config);
    torch::Tensor forward(const torch::Tensor& x) const;

private:
    std::shared_ptr<Conv2d> m_convIn, m_convOut;
    std::vector<std::shared_ptr<VAELevel>> m_levels;
    std::shared_ptr<VAEMid> m_mid;
    std::shared_ptr<GroupNorm> m_normOut;
};

/// z [B, z, h, w] (after post_quant_conv) → image [B, 3, h·f, w·f].
class VAEDecoder : public torch::nn::Module {
public:
    explicit VAEDecoder(const io::VAEConfig& config);
    torch::Tensor forward(const torch::Tensor& z) const;

private:
    std::shared_ptr<Conv2d> m_convIn, m_convOut;
    std::vector<std::shared_ptr<VAELevel>> m_levels; ///< index = level (up.N), run from the last
    std::shared_ptr<VAEMid> m_mid;
    std::shared_ptr<GroupNorm> m_normOut;
};

} // namespace easel::models
