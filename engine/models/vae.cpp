#include "engine/models/vae.h"

#include <algorithm>
#include <functional>
#include <new>
#include <string>

#include <spdlog/spdlog.h>

namespace easel::models {

namespace {

/// Tile starts covering [0, size) with tiles of `tile` and steps of tile − overlap; the last tile
/// is pulled back to end exactly at `size`.
std::vector<int64_t> tileStarts(int64_t size, int64_t tile, int64_t overlap)
{
    if (size <= tile)
        return {0};
    std::vector<int64_t> starts;
    const int64_t step = std::max<int64_t>(1, tile - overlap);
    for (int64_t s = 0;; s += step) {
        if (s + tile >= size) {
            starts.push_back(size - tile);
            break;
        }
        starts.push_back(s);
    }
    return starts;
}

/// 1-D blending weights of a tile [start, start+len) inside [0, size): a linear ramp over `ramp`
/// samples on each side that has a neighbour, 1 elsewhere.
torch::Tensor rampWeights(int64_t start, int64_t len, int64_t size, int64_t ramp)
{
    torch::Tensor w = torch::ones({len});
    if (ramp <= 0)
        return w;
    const torch::Tensor up = (torch::arange(ramp, torch::kFloat32) + 0.5) / static_cast<double>(ramp);
    const int64_t r = std::min(ramp, len);
    if (start > 0)
        w.narrow(0, 0, r).copy_(up.narrow(0, 0, r));
    if (start + len < size)
        w.narrow(0, len - r, r).mul_(up.narrow(0, 0, r).flip(0));
    return w;
}

/// Runs `fn` on overlapping tiles of `input` (spatial dims 2, 3) and blends the outputs, whose
/// spatial size is input size × scale (scale may be fractional, e.g. 1/8 for the encoder).
torch::Tensor tiled(const torch::Tensor& input, int64_t tile, int64_t overlap, double scale,
                    const std::function<torch::Tensor(const torch::Tensor&)>& fn)
{
    const int64_t h = input.size(2), w = input.size(3);
    const std::vector<int64_t> ys = tileStarts(h, tile, overlap), xs = tileStarts(w, tile, overlap);
    const auto outSize = [&](int64_t v) { return static_cast<int64_t>(std::llround(v * scale)); };
    const int64_t ramp = outSize(overlap);
    torch::Tensor out, weight;
    for (int64_t y : ys) {
        for (int64_t x : xs) {
            const int64_t th = std::min(tile, h), tw = std::min(tile, w);
            const torch::Tensor piece = fn(input.narrow(2, y, th).narrow(3, x, tw)).to(torch::kFloat32);
            if (!out.defined()) {
                out = torch::zeros({piece.size(0), piece.size(1), outSize(h), outSize(w)}, piece.options());
                weight = torch::zeros({1, 1, outSize(h), outSize(w)}, piece.options());
            }
            const int64_t oy = outSize(y), ox = outSize(x), oh = piece.size(2), ow = piece.size(3);
            const torch::Tensor wy = rampWeights(oy, oh, out.size(2), ramp).to(piece.device());
            const torch::Tensor wx = rampWeights(ox, ow, out.size(3), ramp).to(piece.device());
            const torch::Tensor mask = (wy.unsqueeze(1) * wx.unsqueeze(0)).unsqueeze(0).unsqueeze(0);
            out.narrow(2, oy, oh).narrow(3, ox, ow).add_(piece * mask);
            weight.narrow(2, oy, oh).narrow(3, ox, ow).add_(mask);
        }
    }
    return out / weight;
}

LatentDistribution splitMoments(const torch::Tensor& moments)
{
    const auto parts = moments.chunk(2, 1);
    return {parts[0], parts[1].clamp(-30.0, 20.0)};
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
    return x.to(probe.device(), probe.scalar_type());
}

torch::Tensor VAE::moments(const torch::Tensor& image) const
{
    return m_quantConv->forward(m_encoder->forward(prepare(image)));
}

torch::Tensor VAE::decodeFull(const torch::Tensor& latents) const
{
    return m_decoder->forward(m_postQuantConv->forward(prepare(latents)));
}

LatentDistribution VAE::encode(const torch::Tensor& image) const
{
    try {
        return splitMoments(moments(image).to(image.scalar_type()));
    } catch (const std::exception& e) {
        if (!isOutOfMemory(e))
            throw;
        spdlog::warn("VAE encode of {}x{} ran out of memory; retrying in tiles", image.size(2), image.size(3));
    }
    return encodeTiled(image);
}

torch::Tensor VAE::decode(const torch::Tensor& latents) const
{
    try {
        return decodeFull(latents).to(latents.scalar_type());
    } catch (const std::exception& e) {
        if (!isOutOfMemory(e))
            throw;
        spdlog::warn("VAE decode of a {}x{} latent ran out of memory; retrying in tiles", latents.size(2),
                     latents.size(3));
    }
    return decodeTiled(latents);
}

LatentDistribution VAE::encodeTiled(const torch::Tensor& image, const VAETiling& tiling) const
{
    const torch::Tensor m = tiled(image, tiling.tile * m_factor, tiling.overlap * m_factor, 1.0 / m_factor,
                                  [&](const torch::Tensor& piece) { return moments(piece); });
    return splitMoments(m.to(image.scalar_type()));
}

torch::Tensor VAE::decodeTiled(const torch::Tensor& latents, const VAETiling& tiling) const
{
    return tiled(latents, tiling.tile, tiling.overlap, static_cast<double>(m_factor),
                 [&](const torch::Tensor& piece) { return decodeFull(piece); })
        .to(latents.scalar_type());
}

} // namespace easel::models
