#include "engine/core/rng_image.h"

#include <algorithm>

#include "engine/api/error.h"

namespace easel::core {

namespace {
using torch::indexing::Slice;
}

torch::Tensor slerpNoise(double val, const torch::Tensor& low, const torch::Tensor& high)
{
    // Ref: A1111 modules/rng.py slerp. Dim 1 of a [C,H,W] tensor is H: that is what A1111 does.
    const torch::Tensor lowNorm = low / torch::norm(low, 2, {1}, /*keepdim=*/true);
    const torch::Tensor highNorm = high / torch::norm(high, 2, {1}, /*keepdim=*/true);
    const torch::Tensor dot = (lowNorm * highNorm).sum(1);
    if ((dot.mean() > 0.9995).item<bool>())
        return low * val + high * (1 - val);
    const torch::Tensor omega = torch::acos(dot);
    const torch::Tensor so = torch::sin(omega);
    return (torch::sin((1.0 - val) * omega) / so).unsqueeze(1) * low + (torch::sin(val * omega) / so).unsqueeze(1) * high;
}

ImageRNG::ImageRNG(std::vector<int64_t> shapePerImage, std::vector<int64_t> seeds, std::vector<int64_t> subseeds,
                   double subseedStrength, RngSource source, int64_t etaNoiseSeedDelta, int64_t seedResizeFromW,
                   int64_t seedResizeFromH)
    : m_shape(std::move(shapePerImage))
    , m_seeds(std::move(seeds))
    , m_subseeds(std::move(subseeds))
    , m_subseedStrength(subseedStrength)
    , m_source(source)
    , m_ensd(etaNoiseSeedDelta)
    , m_resizeFromW(seedResizeFromW)
    , m_resizeFromH(seedResizeFromH)
{
    if (m_shape.size() != 3)
        throw api::Error(api::ErrorCode::InvalidRequest, "noise shape per image must be [C,H,W]");
    if (m_seeds.empty())
        throw api::Error(api::ErrorCode::InvalidRequest, "noise needs at least one seed");
    for (const int64_t seed : m_seeds)
        m_generators.emplace_back(m_source, seed);
}

torch::Tensor ImageRNG::next()
{
    if (m_isFirst) {
        m_isFirst = false;
        return first();
    }
    std::vector<torch::Tensor> xs;
    xs.reserve(m_generators.size());
    for (NoiseGenerator& generator : m_generators)
        xs.push_back(generator.randn(m_shape));
    return torch::stack(xs);
}

torch::Tensor ImageRNG::first()
{
    // Ref: A1111 modules/rng.py ImageRNG.first.
    std::vector<int64_t> noiseShape = m_shape;
    if (m_resizeFromH > 0 && m_resizeFromW > 0)
        noiseShape = {m_shape[0], m_resizeFromH / 8, m_resizeFromW / 8};
    const bool resized = noiseShape != m_shape;

    std::vector<torch::Tensor> xs;
    for (size_t i = 0; i < m_seeds.size(); ++i) {
        torch::Tensor subnoise;
        if (m_subseedStrength != 0.0) {
            const int64_t subseed = i < m_subseeds.size() ? m_subseeds[i] : 0;
            subnoise = seededRandn(m_source, subseed, noiseShape);
        }
        // With a resize the seed noise comes from a fresh generator and the image's own generator
        // draws the full-size canvas afterwards; otherwise the image's generator draws it directly.
        torch::Tensor noise = resized ? seededRandn(m_source, m_seeds[i], noiseShape) : m_generators[i].randn(m_shape);
        if (subnoise.defined())
            noise = slerpNoise(m_subseedStrength, noise, subnoise);
        if (resized) {
            torch::Tensor x = m_generators[i].randn(m_shape);
            int64_t dx = (m_shape[2] - noiseShape[2]) / 2;
            int64_t dy = (m_shape[1] - noiseShape[1]) / 2;
            // Python's // floors; C++ truncates toward zero.
            if ((m_shape[2] - noiseShape[2]) < 0 && (m_shape[2] - noiseShape[2]) % 2 != 0)
                dx -= 1;
            if ((m_shape[1] - noiseShape[1]) < 0 && (m_shape[1] - noiseShape[1]) % 2 != 0)
                dy -= 1;
            const int64_t w = dx >= 0 ? noiseShape[2] : noiseShape[2] + 2 * dx;
            const int64_t h = dy >= 0 ? noiseShape[1] : noiseShape[1] + 2 * dy;
            const int64_t tx = dx < 0 ? 0 : dx;
            const int64_t ty = dy < 0 ? 0 : dy;
            dx = std::max<int64_t>(-dx, 0);
            dy = std::max<int64_t>(-dy, 0);
            x.index_put_({Slice(), Slice(ty, ty + h), Slice(tx, tx + w)},
                         noise.index({Slice(), Slice(dy, dy + h), Slice(dx, dx + w)}));
            noise = x;
        }
        xs.push_back(noise);
    }
    if (m_ensd != 0) {
        m_generators.clear();
        for (const int64_t seed : m_seeds)
            m_generators.emplace_back(m_source, seed + m_ensd);
    }
    return torch::stack(xs);
}

} // namespace easel::core
