#pragma once
/// Running an image-to-image network on overlapping tiles and blending the results, for VAE passes
/// too large to run at once. Engine thread only.

#include <cstdint>
#include <functional>

#include <torch/torch.h>

namespace easel::models {

/// Runs `fn` on overlapping `tile`×`tile` windows of `input` [B, C, H, W] (steps of tile − overlap,
/// the last window pulled back to the border) and blends the outputs, whose spatial size is the
/// window's × `scale` (8 for a VAE decoder, 1/8 for an encoder). Overlaps are blended with linear
/// ramps so seams fade; a purely local `fn` gives exactly its untiled result. Output float32.
torch::Tensor runTiled(const torch::Tensor& input, int64_t tile, int64_t overlap, double scale,
                       const std::function<torch::Tensor(const torch::Tensor&)>& fn);

/// runTiled for an image that wraps around (A1111 "Tiling", models/conv_padding.h): `input` is
/// first padded circularly by `overlap` (at most its size) on every side, so the tiles along the
/// border overlap the opposite side and blend into it, and that margin is cropped off the output.
/// `fn` should run zero-padded: the tiles' edges are not the image's. Output float32.
torch::Tensor runTiledWrapped(const torch::Tensor& input, int64_t tile, int64_t overlap, double scale,
                              const std::function<torch::Tensor(const torch::Tensor&)>& fn);

} // namespace easel::models
