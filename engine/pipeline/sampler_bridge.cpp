#include "engine/pipeline/sampler_bridge.h"

#include <algorithm>
#include <cctype>

#include "engine/api/error.h"
#include "engine/pipeline/cfg_denoiser.h"
#include "engine/sampling/schedules.h"

namespace easel::pipeline {

namespace {

// Interim: Euler and Euler a (k-diffusion sample_euler / sample_euler_ancestral) until the sampler
// registry of engine/sampling lands; then this file only forwards to it.
struct Entry {
    const char* label;
    const char* alias;
    bool ancestral;
};
const Entry kSamplers[] = {{"Euler", "euler", false}, {"Euler a", "euler_ancestral", true}};

std::string lower(std::string s)
{
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

} // namespace

SamplerChoice resolveSampler(const std::string& sampler, const std::string& schedule)
{
    SamplerChoice c;
    for (int i = 0; i < static_cast<int>(std::size(kSamplers)); ++i)
        if (lower(sampler) == lower(kSamplers[i].label) || lower(sampler) == kSamplers[i].alias)
            c.samplerIndex = i;
    if (c.samplerIndex < 0)
        throw api::Error(api::ErrorCode::InvalidRequest, "unknown sampler '" + sampler + "'; valid: Euler, Euler a");
    c.samplerLabel = kSamplers[c.samplerIndex].label;
    c.requestedSchedule = schedule.empty() ? "Automatic" : schedule;
    sampling::ScheduleType type = sampling::parseScheduleType(c.requestedSchedule);
    if (type == sampling::ScheduleType::Automatic)
        type = sampling::ScheduleType::Uniform;
    c.scheduleIndex = static_cast<int>(type);
    c.scheduleLabel = sampling::scheduleLabel(type);
    return c;
}

torch::Tensor samplerSigmas(const SamplerChoice& choice, int steps, const sampling::DiscreteSchedule& schedule)
{
    return sampling::computeSigmas(static_cast<sampling::ScheduleType>(choice.scheduleIndex), steps, schedule);
}

torch::Tensor runSampler(const SamplerChoice& choice, CfgDenoiser& denoiser, const torch::Tensor& x0,
                         const torch::Tensor& sigmas, const sampling::DiscreteSchedule&, const NoiseFn& noise,
                         const StepFn& onStep, double eta)
{
    torch::Tensor x = x0;
    const int n = static_cast<int>(sigmas.size(0)) - 1;
    for (int i = 0; i < n; ++i) {
        const torch::Tensor sigma = sigmas[i];
        const torch::Tensor denoised = denoiser(x, sigma);
        const double s = sigmas[i].item<double>(), next = sigmas[i + 1].item<double>();
        const torch::Tensor d = (x - denoised) / s;
        if (kSamplers[choice.samplerIndex].ancestral) {
            // Ref: k-diffusion get_ancestral_step.
            const double up = std::min(next, eta * std::sqrt(next * next * (s * s - next * next) / (s * s)));
            const double down = std::sqrt(next * next - up * up);
            x = x + d * (down - s);
            if (next > 0)
                x = x + noise(x) * up;
        } else {
            x = x + d * (next - s);
        }
        if (onStep)
            onStep(i + 1, n, x, denoised);
    }
    return x;
}

} // namespace easel::pipeline
