#include "engine/pipeline/sampler_bridge.h"

#include "engine/api/error.h"
#include "engine/pipeline/cfg_denoiser.h"
#include "engine/sampling/sampler_registry.h"
#include "engine/sampling/schedules.h"

namespace easel::pipeline {

namespace {

const sampling::SamplerInfo& infoOf(const SamplerChoice& choice)
{
    return sampling::samplerRegistry().at(static_cast<size_t>(choice.samplerIndex));
}

} // namespace

SamplerChoice resolveSampler(const std::string& sampler, const std::string& schedule)
{
    // Pre-1.9 combined names ("DPM++ 2M Karras") carry their schedule; an explicit one wins.
    const sampling::ParsedSamplerName parsed = sampling::parseSamplerName(sampler);
    const auto& registry = sampling::samplerRegistry();
    SamplerChoice c;
    c.samplerIndex = static_cast<int>(parsed.sampler - registry.data());
    c.samplerLabel = parsed.sampler->label;
    c.requestedSchedule = schedule.empty() ? "Automatic" : schedule;
    sampling::ScheduleType requested = sampling::parseScheduleType(c.requestedSchedule);
    if (requested == sampling::ScheduleType::Automatic && parsed.schedule)
        requested = *parsed.schedule;
    const sampling::ScheduleType resolved = sampling::resolveSchedule(*parsed.sampler, requested);
    c.scheduleIndex = static_cast<int>(resolved);
    c.scheduleLabel = sampling::scheduleLabel(resolved);
    return c;
}

bool usesLcmDenoiser(const SamplerChoice& choice)
{
    return infoOf(choice).lcmDenoiser;
}

double txt2imgNoiseScale(const SamplerChoice& choice, double sigma0)
{
    return sampling::txt2imgNoiseScale(infoOf(choice), sigma0);
}

torch::Tensor samplerSigmas(const SamplerChoice& choice, int steps, const sampling::DiscreteSchedule& schedule,
                            bool sdxl)
{
    sampling::ScheduleOptions options;
    options.sdxl = sdxl; // Align Your Steps has separate SD1.5 and SDXL tables
    return sampling::samplerSigmas(infoOf(choice), static_cast<sampling::ScheduleType>(choice.scheduleIndex), steps,
                                   schedule, options);
}

torch::Tensor runSampler(const SamplerChoice& choice, CfgDenoiser& denoiser, const torch::Tensor& x,
                         const torch::Tensor& sigmas, const sampling::DiscreteSchedule&, const NoiseFn& noise,
                         const StepFn& onStep, double eta)
{
    const sampling::SamplerInfo& info = infoOf(choice);
    sampling::SamplerContext context;
    context.denoise = [&denoiser](const torch::Tensor& xi, const torch::Tensor& sigma) { return denoiser(xi, sigma); };
    context.noise = noise;
    context.params = info.defaults;
    context.params.eta = eta;
    context.callback = [&onStep](const sampling::StepInfo& s) {
        if (onStep)
            onStep(s.step + 1, s.steps, s.x, s.denoised);
        return true; // cancellation is the denoiser's job: it checks the stop token every call
    };
    return info.function(context, x, sigmas);
}

} // namespace easel::pipeline
