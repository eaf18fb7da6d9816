#include "engine/pipeline/sampling_pass.h"

#include <algorithm>

namespace easel::pipeline {

int stepsRun(int steps, double strength)
{
    return strength < 0 ? steps : static_cast<int>(std::min(strength, 0.999) * steps) + 1;
}

torch::Tensor runSamplingPass(const SamplingPass& pass)
{
    CfgDenoiser denoiser(pass.setup);
    const torch::Tensor all = samplerSigmas(*pass.choice, pass.steps, *pass.schedule, pass.sdxl);
    if (pass.strength < 0) {
        const double startScale = txt2imgNoiseScale(*pass.choice, all[0].item<double>());
        return runSampler(*pass.choice, denoiser, pass.noise * startScale, all, *pass.schedule, pass.noiseFn,
                          pass.onStep, pass.eta);
    }
    // Ref: A1111 sample_img2img with img2img_fix_steps off: t_enc = int(min(s, .999) · steps),
    // sigmas of `steps`, keep the last t_enc + 1 of them.
    const int tEnc = static_cast<int>(std::min(pass.strength, 0.999) * pass.steps);
    const torch::Tensor sigmas = all.narrow(0, pass.steps - tEnc - 1, tEnc + 2);
    const torch::Tensor x = pass.start + pass.noise * sigmas[0].item<double>();
    return runSampler(*pass.choice, denoiser, x, sigmas, *pass.schedule, pass.noiseFn, pass.onStep, pass.eta);
}

} // namespace easel::pipeline
