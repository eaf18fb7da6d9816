#pragma once
/// Initial and sampler noise of a batch exactly as A1111's `rng.ImageRNG`: one generator per image
/// (so batch size never changes an image), variation seed by slerp, eta noise seed delta (ENSD).
/// Engine-internal; used from the engine thread only.

#include <cstdint>
#include <vector>

#include <torch/torch.h>

#include "engine/core/rng.h"

namespace easel::core {

/// A1111 `slerp(val, low, high)` on [C,H,W] tensors: norms and dots along dim 1 (per (c, w) column).
/// Falls back to `low*val + high*(1-val)` (A1111's weights) when the mean cosine exceeds 0.9995.
torch::Tensor slerpNoise(double val, const torch::Tensor& low, const torch::Tensor& high);

class ImageRNG {
public:
    /// shapePerImage: [C,H,W] of one latent. subseeds may be shorter than seeds (missing ones are 0);
    /// subseedStrength 0 disables variation noise. etaNoiseSeedDelta != 0 re-seeds the per-image
    /// generators with seed + delta after the first call. seedResizeFromW/H (pixels, 0 = off):
    /// A1111 "resize seed from", the noise of that size pasted centred into this one.
    ImageRNG(std::vector<int64_t> shapePerImage, std::vector<int64_t> seeds,
             std::vector<int64_t> subseeds = {}, double subseedStrength = 0.0,
             RngSource source = RngSource::Gpu, int64_t etaNoiseSeedDelta = 0,
             int64_t seedResizeFromW = 0, int64_t seedResizeFromH = 0);

    /// [B,C,H,W] float32 on the CPU. The first call is the initial latent noise; later calls are
    /// what ancestral/SDE samplers draw (each image's generator continues).
    torch::Tensor next();

    int64_t batchSize() const { return static_cast<int64_t>(m_seeds.size()); }
    const std::vector<int64_t>& seeds() const { return m_seeds; }

private:
    torch::Tensor first();

    std::vector<int64_t> m_shape;
    std::vector<int64_t> m_seeds;
    std::vector<int64_t> m_subseeds;
    double m_subseedStrength;
    RngSource m_source;
    int64_t m_ensd;
    int64_t m_resizeFromW;
    int64_t m_resizeFromH;
    std::vector<NoiseGenerator> m_generators;
    bool m_isFirst = true;
};

} // namespace easel::core
