#pragma once
// One sampling pass, the stage shared by the first pass (txt2img / img2img / inpaint) and the hires
// fix: build the CFG denoiser, take the sigmas (all of them, or the tail a denoising strength
// keeps), noise the start latent to the first sigma and run the sampler. Engine thread only.

#include <torch/torch.h>

#include "engine/pipeline/cfg_denoiser.h"
#include "engine/pipeline/sampler_bridge.h"

namespace easel::pipeline {

struct SamplingPass {
    const SamplerChoice* choice = nullptr;
    const sampling::DiscreteSchedule* schedule = nullptr;
    CfgDenoiserSetup setup;
    int steps = 20;
    /// < 0: a full txt2img pass from pure noise; else img2img strength (A1111 t_enc rule).
    double strength = -1;
    torch::Tensor start;      ///< clean latent to noise (strength ≥ 0); unused for txt2img
    torch::Tensor noise;      ///< unit noise of the start latent's shape
    bool sdxl = false;
    double eta = 1.0;
    NoiseFn noiseFn;          ///< per-step noise of ancestral / SDE samplers
    StepFn onStep;
};

/// Steps a pass really runs (for the ETA): all for txt2img, int(min(s, .999)·steps) + 1 otherwise.
int stepsRun(int steps, double strength);

/// Runs the pass and returns the final latent.
torch::Tensor runSamplingPass(const SamplingPass& pass);

} // namespace easel::pipeline
