#pragma once
/// Circular (wrap-around) padding of the two spatial dimensions that keeps the input's memory
/// layout, for the circular convolutions of models/conv_padding.h and the seamless tiled VAE.
/// Engine thread only.

#include <cstdint>

#include <torch/torch.h>

namespace easel::models {

/// x [..., H, W] padded by `pad` on each side of H and W with the values from the opposite side:
/// the same values as torch's F.pad(x, {pad, pad, pad, pad}, mode='circular') (what a
/// padding_mode='circular' Conv2d applies), but in x's suggested memory format, so a channels-last
/// trunk (models/fast_path.h) stays NHWC. Needs 0 <= pad <= min(H, W).
torch::Tensor padCircular(const torch::Tensor& x, int64_t pad);

} // namespace easel::models
