#include "engine/models/vae.h"

#include <algorithm>
#include <functional>
#include <new>
#include <string>

#include <spdlog/spdlog.h>

#include "engine/models/tiling.h"

namespace easel::models {

namespace {

LatentDistribution splitMoments(const torch::Tensor& moments)
{
    const auto parts = moments.chunk(2, 1);
    return {parts[0], parts[1].clamp(-30.0, 20.0)};
}

using Pass = std::function<torch::Tensor(const torch::Tensor&, ConvPadding)>;

/// `pass` run in tiles (models/tiling.h). Circular padding over several tiles: wrap the input
/// first (runTiledWrapped) and run each tile zero-padded; a single tile is the full pass itself.
torch::Tensor tiledPass(const torch::Tensor& input, int64_t tile, int64_t overlap, double scale, ConvPadding padding,
                        const Pass& pass)
{
    const bool oneTile = input.size(2) <= tile && input.size(3) <= tile;
    if (padding == ConvPadding::Circular && !oneTile)
        return runTiledWrapped(input, tile, overlap, scale,
                               [&](const torch::Tensor& piece) { return pass(piece, ConvPadding::Zeros); });
    return runTiled(input, tile, overlap, scale, [&](const torch::Tensor& piece) { return pass(piece, padding); });
}

} // namespace

torch::Tensor LatentDistribution::sample(std::optional<torch::Generator> generator) const
{
    const bool cpuGen = generator && generator->device().is_cpu();
    const torch::Tensor noise =
        at::randn(mean.sizes(), generator ? c10::optional<at::Generator>(*generator) : c10::nullopt,
                  mean.options().device(cpuGen ? torch::kCPU : mean.device()));
    return mean + stdDev() * noise.to(mean.device(), mean.scalar_type());
}

bool isOutOfMemory(const std::exception& error)
{
    if (dynamic_cast<const std::bad_alloc*>(&error))
        return true;
    const std::string what = error.what();
    return what.find("out of memory") != std::string::npos || what.find("can't allocate memory") != std::string::npos;
}

VAE::VAE(const io::VAEConfig& config)
    : m_config(config), m_factor(int64_t{1} << (config.chMult.empty() ? 0 : config.chMult.size() - 1))
{
    m_encoder = register_module("encoder", std::make_shared<VAEEncoder>(config));
    m_decoder = register_module("decoder", std::make_shared<VAEDecoder>(config));
    m_quantConv = register_module("quant_conv", std::make_shared<Conv2d>(2 * config.zChannels, 2 * config.embedDim, 1));
    m_postQuantConv = register_module("post_quant_conv", std::make_shared<Conv2d>(config.embedDim, config.zChannels, 1));
}

torch::Tensor VAE::prepare(const torch::Tensor& x) const
{
    const torch::Tensor probe = m_quantConv->parameters().front();
    // NCHW on purpose: the channels-last trunk (models/fast_path.h) measured slower for the VAE.
    return x.to(probe.device(), m_computeDtype.value_or(probe.scalar_type())).contiguous();
}

torch::Tensor VAE::moments(const torch::Tensor& image, ConvPadding padding) const
{
    const ConvPaddingScope paddingScope(padding);
    return m_quantConv->forward(m_encoder->forward(prepare(image))).contiguous();
}

torch::Tensor VAE::decodeFull(const torch::Tensor& latents, ConvPadding padding) const
{
    const ConvPaddingScope paddingScope(padding);
    return m_decoder->forward(m_postQuantConv->forward(prepare(latents))).contiguous();
}

LatentDistribution VAE::encode(const torch::Tensor& image, ConvPadding padding) const
{
    try {
        return splitMoments(moments(image, padding).to(image.scalar_type()));
    } catch (const std::exception& e) {
        if (!isOutOfMemory(e))
            throw;
        spdlog::warn("VAE encode of {}x{} ran out of memory; retrying in tiles", image.size(2), image.size(3));
    }
    return encodeTiled(image, {}, padding);
}

torch::Tensor VAE::decode(const torch::Tensor& latents, ConvPadding padding) const
{
    try {
        return decodeFull(latents, padding).to(latents.scalar_type());
    } catch (const std::exception& e) {
        if (!isOutOfMemory(e))
            throw;
        spdlog::warn("VAE decode of a {}x{} latent ran out of memory; retrying in tiles", latents.size(2),
                     latents.size(3));
    }
    return decodeTiled(latents, {}, padding);
}

LatentDistribution VAE::encodeTiled(const torch::Tensor& image, const VAETiling& tiling, ConvPadding padding) const
{
    const torch::Tensor m =
        tiledPass(image, tiling.tile * m_factor, tiling.overlap * m_factor, 1.0 / m_factor, padding,
                  [&](const torch::Tensor& piece, ConvPadding mode) { return moments(piece, mode); });
    return splitMoments(m.to(image.scalar_type()));
}

torch::Tensor VAE::decodeTiled(const torch::Tensor& latents, const VAETiling& tiling, ConvPadding padding) const
{
    return tiledPass(latents, tiling.tile, tiling.overlap, static_cast<double>(m_factor), padding,
                     [&](const torch::Tensor& piece, ConvPadding mode) { return decodeFull(piece, mode); })
        .to(latents.scalar_type());
}

} // namespace easel::models
