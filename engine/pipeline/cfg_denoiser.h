#pragma once
// The denoiser samplers call: k-diffusion's discrete-timestep wrapper around the UNet (c_in, sigma ->
// t, eps or v -> x0) plus A1111's CFGDenoiser behaviour: cond and uncond in one batch, AND
// sub-prompts combined with their weights, the prompt schedule advanced per denoiser call,
// SDXL's added conditioning, the inpainting model's image conditioning, and the inpaint blend of
// the original latent outside the mask. Engine thread only.

#include <functional>
#include <optional>

#include <torch/torch.h>

#include "engine/api/progress.h"
#include "engine/models/control_hook.h"
#include "engine/models/unet.h"
#include "engine/pipeline/prompt_conditioning.h"
#include "engine/sampling/discrete_schedule.h"
#include "engine/sampling/lcm_schedule.h"

namespace easel::pipeline {

/// ControlNet hook (engine/models/control_hook.h): residuals for each UNet call, or none.
using ControlHook = models::ControlHook;

struct CfgDenoiserSetup {
    const models::UNet* unet = nullptr;
    const sampling::DiscreteSchedule* schedule = nullptr;
    bool vPrediction = false;
    const PromptConditioning* cond = nullptr;    ///< one per image would be A1111's general case; we
    const PromptConditioning* uncond = nullptr;  ///< share one prompt over the batch, as the UI does
    double cfgScale = 7.0;
    torch::Tensor timeIds;                       ///< SDXL [6] (h, w, crop top, crop left, target h, w)
    torch::Tensor imageConditioning;             ///< [B, C, h, w] for 9/8-channel models, else undefined
    torch::Tensor initLatent;                    ///< inpaint: original latent [B, 4, h, w]
    torch::Tensor keepMask;                      ///< inpaint: 1 = keep original, [1 or B, 1 or 4, h, w]
    const api::StopToken* stop = nullptr;
    ControlHook control;
    /// LCM sampler (A1111 LCMCompVisDenoiser): timesteps on the 50-step grid + boundary scaling.
    const sampling::LcmGrid* lcm = nullptr;
    /// Circular for A1111 "Tiling" (request.tiling): the UNet's convs wrap around. The ControlNet
    /// behind `control` stays zero-padded (models/conv_padding.h).
    models::ConvPadding padding = models::ConvPadding::Zeros;
};

/// How many prompt parts (AND) the cond half of the CFG batch has: the row groups a ControlNet
/// session must tell apart.
inline int condParts(const CfgDenoiserSetup& setup)
{
    return setup.cond && !setup.cond->parts.empty() ? static_cast<int>(setup.cond->parts.size()) : 1;
}

class CfgDenoiser {
public:
    explicit CfgDenoiser(CfgDenoiserSetup setup);

    /// x [B, 4, h, w], sigma 0-dim or [B] → denoised x0 [B, 4, h, w] (float32).
    torch::Tensor operator()(const torch::Tensor& x, const torch::Tensor& sigma);

    int calls() const { return m_calls; }
    void resetCalls() { m_calls = 0; }

private:
    torch::Tensor modelX0(const torch::Tensor& x, const torch::Tensor& sigma, const torch::Tensor& context,
                          const torch::Tensor& pooled, const torch::Tensor& imageCond) const;

    CfgDenoiserSetup m_setup;
    int m_calls = 0;
};

} // namespace easel::pipeline
