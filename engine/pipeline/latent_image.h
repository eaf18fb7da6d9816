#pragma once
// Pixels <-> tensors at the VAE boundary, and the cheap latent preview. Engine thread only.

#include <torch/torch.h>

#include "engine/api/image.h"
#include "engine/io/model_config.h"

namespace easel::pipeline {

/// RGB image → [1, 3, H, W] float32 in [-1, 1] (A1111: x / 127.5 - 1).
torch::Tensor imageToTensor(const api::Image& image);

/// [3, H, W] or [1, 3, H, W] in ~[-1, 1] → RGB8. A1111: clamp((x + 1) / 2, 0, 1) · 255, truncated.
api::Image tensorToImage(const torch::Tensor& x);

/// Single-channel mask image → [1, 1, H, W] float32 in [0, 1].
torch::Tensor maskToTensor(const api::Image& mask);

/// Latent [4, h, w] (unscaled model latent) → small RGB preview through a fixed linear map per
/// family (the "approx cheap" projection), no VAE involved.
api::Image latentPreview(const torch::Tensor& latent, io::ModelFamily family);

} // namespace easel::pipeline
