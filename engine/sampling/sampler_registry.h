#pragma once
/// Every sampler with what it runs: the names of sampler_names.h (A1111 labels, ComfyUI names,
/// aliases, pre-1.9 combined names, default schedule) plus the sampling function and its options.
/// Engine-internal; the registry is immutable, any thread may read it.

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "engine/sampling/sampler_names.h"
#include "engine/sampling/sampler_types.h"
#include "engine/sampling/schedules.h"

namespace easel::sampling {

/// A sampler's own sigma list (replaces computeSigmas); must return steps + 1 values so img2img can cut it.
using SigmaGrid = std::function<torch::Tensor(ScheduleType, int steps, const DiscreteSchedule&, const ScheduleOptions&)>;

/// A sampler's names (label, id, aliases, default schedule) and how it samples.
struct SamplerInfo : SamplerName {
    bool discardPenultimate = false;   ///< A1111: compute steps + 1 sigmas, drop the second-to-last
    bool secondOrder = false;          ///< two model calls per step
    bool usesNoise = false;            ///< draws noise during sampling (ancestral / SDE / LCM)
    SamplerParams defaults;            ///< e.g. the Heun solver of "DPM++ 2M SDE Heun"
    SamplerFunction function;
    SigmaGrid sigmaGrid;               ///< empty: the schedule's sigmas (UniPC sets it)
    /// A1111 runs DDIM, PLMS and UniPC as timestep samplers whose txt2img start is unit-variance noise in
    /// LDM scaling: in k-diffusion scaling x = noise * sqrt(1 + sigma0^2), not noise * sigma0.
    bool timestepSampler = false;
    /// A1111's LCM sampler runs through LCMCompVisDenoiser (sampling/lcm_schedule.h): the pipeline's
    /// denoiser quantises timesteps to the 50-step grid and applies the boundary scaling.
    bool lcmDenoiser = false;
};

/// Every sampler, in samplerNames() order (same index).
const std::vector<SamplerInfo>& samplerRegistry();

/// Label, ComfyUI name or alias, any case, spaces/underscores ignored; throws
/// api::Error(InvalidRequest) listing the valid names.
const SamplerInfo& findSampler(const std::string& name);

struct ParsedSamplerName {
    const SamplerInfo* sampler = nullptr;
    std::optional<ScheduleType> schedule; ///< set when the name carried one ("DPM++ 2M Karras")
};

/// Like findSampler, but also splits a trailing schedule label off a pre-1.9 combined name.
ParsedSamplerName parseSamplerName(const std::string& name);

/// Automatic -> the sampler's default; anything else unchanged.
ScheduleType resolveSchedule(const SamplerInfo& sampler, ScheduleType requested);

/// Sigmas for `steps` steps of `sampler` with `requested` schedule (Automatic resolved, the
/// discard-penultimate rule applied).
torch::Tensor samplerSigmas(const SamplerInfo& sampler, ScheduleType requested, int steps,
                            const DiscreteSchedule& schedule, ScheduleOptions options = {});

/// What txt2img multiplies the unit noise by: sigma0 (k-diffusion), or sqrt(1 + sigma0^2) for a
/// timestep sampler (A1111 CompVisSampler.sample passes the noise itself as x_T in LDM scaling).
double txt2imgNoiseScale(const SamplerInfo& sampler, double sigma0);

} // namespace easel::sampling
