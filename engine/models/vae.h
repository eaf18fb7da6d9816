#pragma once
/// AutoencoderKL (LDM `first_stage_model` layout: encoder.*, decoder.*, quant_conv, post_quant_conv):
/// encode to a diagonal Gaussian, decode, tiled variants for images too large to run at once, and
/// an automatic tiled retry when a full decode/encode runs out of memory. Engine thread only.

#include <optional>

#include <torch/torch.h>

#include "engine/io/model_config.h"
#include "engine/models/conv_padding.h"
#include "engine/models/vae_blocks.h"

namespace easel::models {

/// The encoder's output distribution. Ref: LDM distributions.py DiagonalGaussianDistribution.
struct LatentDistribution {
    torch::Tensor mean;
    torch::Tensor logvar; ///< clamped to [-30, 20]
    torch::Tensor stdDev() const { return torch::exp(0.5 * logvar); }
    /// mean + std · N(0,1), the noise drawn from `generator` (CPU generator → noise made on CPU).
    torch::Tensor sample(std::optional<torch::Generator> generator = std::nullopt) const;
};

/// Tile geometry in latent pixels (the image side is ×downscale factor) of the tiled VAE passes
/// (pieces of a large image; not A1111 "Tiling", which is ConvPadding::Circular).
struct VAETiling {
    int64_t tile = 64;    ///< latent tile side (512 px for SD)
    int64_t overlap = 16; ///< latent overlap between neighbouring tiles, blended linearly
};

class VAE : public torch::nn::Module {
public:
    explicit VAE(const io::VAEConfig& config);

    /// `padding` of every pass: Circular wraps every padded conv around (A1111 "Tiling",
    /// models/conv_padding.h) for that call only.

    /// image [B, 3, H, W] in [-1, 1] → distribution of latents [B, embed, H/f, W/f] (unscaled).
    /// Falls back to encodeTiled() when the full pass runs out of memory.
    LatentDistribution encode(const torch::Tensor& image, ConvPadding padding = ConvPadding::Zeros) const;
    /// latents [B, embed, h, w] (already divided by the scaling factor) → image in ~[-1, 1],
    /// unclamped. Falls back to decodeTiled() when the full pass runs out of memory.
    torch::Tensor decode(const torch::Tensor& latents, ConvPadding padding = ConvPadding::Zeros) const;

    /// In pieces. With Circular padding and more than one tile, the input is first wrapped by the
    /// overlap on every side, so the border tiles see the opposite side and the result stays
    /// seamless; the tiles themselves run zero-padded (their edges are not the image's).
    LatentDistribution encodeTiled(const torch::Tensor& image, const VAETiling& tiling = {},
                                   ConvPadding padding = ConvPadding::Zeros) const;
    torch::Tensor decodeTiled(const torch::Tensor& latents, const VAETiling& tiling = {},
                              ConvPadding padding = ConvPadding::Zeros) const;

    /// quant_conv(encoder(x)): [B, 2·embed, h, w], channels [0, embed) mean, the rest raw logvar.
    torch::Tensor moments(const torch::Tensor& image, ConvPadding padding = ConvPadding::Zeros) const;

    int64_t downscaleFactor() const { return m_factor; }
    double scalingFactor() const { return m_config.scalingFactor; }
    const io::VAEConfig& config() const { return m_config; }

    /// Low-memory mode, as UNet::setComputeDtype: weights stay in their storage dtype, the
    /// activations (and each layer's upcast weights) use `dtype`.
    void setComputeDtype(std::optional<torch::ScalarType> dtype) { m_computeDtype = dtype; }

private:
    torch::Tensor decodeFull(const torch::Tensor& latents, ConvPadding padding) const;
    torch::Tensor prepare(const torch::Tensor& x) const;

    io::VAEConfig m_config;
    int64_t m_factor;
    std::optional<torch::ScalarType> m_computeDtype;
    std::shared_ptr<VAEEncoder> m_encoder;
    std::shared_ptr<VAEDecoder> m_decoder;
    std::shared_ptr<Conv2d> m_quantConv, m_postQuantConv;
};

/// Whether `error` says an allocation failed (CUDA "out of memory", CPU "can't allocate memory").
bool isOutOfMemory(const std::exception& error);

} // namespace easel::models
