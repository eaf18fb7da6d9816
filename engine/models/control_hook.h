#pragma once
// The seam between the sampling pipeline and ControlNet: the denoiser asks a hook for residuals on
// every UNet call, and the ControlNet session provides one. It lives here, below both, so neither
// pipeline/ nor controlnet/ includes the other's headers for it. Engine thread only.

#include <functional>
#include <optional>

#include <torch/torch.h>

#include "engine/models/unet.h"

namespace easel::models {

/// Given the UNet's inputs for this call (x, timesteps, context, SDXL y; `denoiserCall` counts the
/// denoiser's calls in this step), the residuals to add, or nullopt for none.
using ControlHook = std::function<std::optional<ControlResiduals>(
    const torch::Tensor& xIn, const torch::Tensor& t, const torch::Tensor& context, const torch::Tensor& y,
    int denoiserCall)>;

} // namespace easel::models
