#include "engine/models/tiling.h"

#include <algorithm>
#include <cmath>

#include "engine/models/circular_pad.h"

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

/// A size in the input's pixels in the output's (× scale, rounded).
int64_t scaled(int64_t v, double scale) { return static_cast<int64_t>(std::llround(v * scale)); }

} // namespace

torch::Tensor runTiled(const torch::Tensor& input, int64_t tile, int64_t overlap, double scale,
                    const std::function<torch::Tensor(const torch::Tensor&)>& fn)
{
    const int64_t h = input.size(2), w = input.size(3);
    const std::vector<int64_t> ys = tileStarts(h, tile, overlap), xs = tileStarts(w, tile, overlap);
    const auto outSize = [&](int64_t v) { return scaled(v, scale); };
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

torch::Tensor runTiledWrapped(const torch::Tensor& input, int64_t tile, int64_t overlap, double scale,
                              const std::function<torch::Tensor(const torch::Tensor&)>& fn)
{
    const int64_t h = input.size(2), w = input.size(3);
    const int64_t margin = std::min({overlap, h, w});
    const torch::Tensor out = runTiled(padCircular(input, margin), tile, overlap, scale, fn);
    return out.narrow(2, scaled(margin, scale), scaled(h, scale)).narrow(3, scaled(margin, scale), scaled(w, scale));
}

} // namespace easel::models
