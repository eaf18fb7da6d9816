#include "engine/sampling/sampler_registry.h"

#include <cmath>
#include <map>
#include <stdexcept>

#include "engine/api/error.h"
#include "engine/sampling/lcm_schedule.h"
#include "engine/sampling/sampler_restart.h"
#include "engine/sampling/samplers.h"
#include "engine/sampling/samplers_dpm_solver.h"
#include "engine/sampling/samplers_timestep.h"

namespace easel::sampling {

namespace {

/// What runs for one sampler name; the names themselves come from sampler_names.cpp.
SamplerInfo behaviour(SamplerFunction function, bool secondOrder = false, bool usesNoise = false, bool discard = false)
{
    SamplerInfo info;
    info.function = std::move(function);
    info.secondOrder = secondOrder;
    info.usesNoise = usesNoise;
    info.discardPenultimate = discard;
    return info;
}

std::map<std::string, SamplerInfo> buildBehaviours()
{
    // Ref: A1111 modules/sd_samplers_kdiffusion.py samplers_k_diffusion (options), sd_samplers_lcm.py
    // and sd_samplers_timesteps.py for DDIM, PLMS, UniPC. Keyed by the ComfyUI id of sampler_names.cpp.
    std::map<std::string, SamplerInfo> r;
    r["dpmpp_2m"] = behaviour(sampleDpmpp2m);
    r["dpmpp_sde"] = behaviour(sampleDpmppSde, true, true);
    r["dpmpp_2m_sde"] = behaviour(sampleDpmpp2mSde, false, true);
    SamplerInfo heun = behaviour(sampleDpmpp2mSde, false, true);
    heun.defaults.solver = SdeSolver::Heun;
    r["dpmpp_2m_sde_heun"] = heun;
    r["dpmpp_2s_ancestral"] = behaviour(sampleDpmpp2sAncestral, true, true);
    r["dpmpp_3m_sde"] = behaviour(sampleDpmpp3mSde, false, true, true);
    r["euler_ancestral"] = behaviour(sampleEulerAncestral, false, true);
    r["euler"] = behaviour(sampleEuler);
    r["lms"] = behaviour(sampleLms);
    r["heun"] = behaviour(sampleHeun, true);
    r["dpm_2"] = behaviour(sampleDpm2, true, false, true);
    r["dpm_2_ancestral"] = behaviour(sampleDpm2Ancestral, true, true, true);
    r["dpm_fast"] = behaviour(sampleDpmFast, false, true);
    r["dpm_adaptive"] = behaviour(sampleDpmAdaptive, false, true);
    r["restart"] = behaviour(sampleRestart, true, true);
    SamplerInfo ddim = behaviour(sampleDdim);
    ddim.timestepSampler = true;
    ddim.sigmaGrid = a1111TimestepSigmas;
    r["ddim"] = ddim;
    SamplerInfo plms = behaviour(samplePlms);
    plms.timestepSampler = true;
    plms.sigmaGrid = a1111TimestepSigmas;
    r["plms"] = plms;
    SamplerInfo unipc = behaviour(sampleUniPc);
    unipc.timestepSampler = true;
    unipc.sigmaGrid = uniPcSigmas;
    r["uni_pc"] = unipc;
    // A1111 pairs LCM with LCMCompVisDenoiser (sd_samplers_lcm.py): a 50-entry sigma table (timesteps
    // 19, 39, ..., 999), the UNet's timestep quantised to it, the schedule linear in that table's index
    // (ends at timestep 19, not 0), and the LCM boundary scaling c_skip/c_out at 10·t. A1111's
    // "Uniform" asks the denoiser for its sigmas, so only Uniform uses the sub-table's grid; other
    // schedule types use the full table's sigma range (A1111 uses the sub-table's range there).
    SamplerInfo lcm = behaviour(sampleLcm, false, true);
    lcm.lcmDenoiser = true;
    lcm.sigmaGrid = [](ScheduleType type, int steps, const DiscreteSchedule& schedule, const ScheduleOptions& options) {
        return type == ScheduleType::Uniform ? LcmGrid(schedule).sigmas(steps) : computeSigmas(type, steps, schedule, options);
    };
    r["lcm"] = lcm;
    return r;
}

std::vector<SamplerInfo> buildRegistry()
{
    std::map<std::string, SamplerInfo> behaviours = buildBehaviours();
    std::vector<SamplerInfo> registry;
    for (const SamplerName& name : samplerNames()) {
        auto it = behaviours.find(name.id);
        // A name without a function is a programming error; every test that samples would hit it.
        if (it == behaviours.end())
            throw std::logic_error("sampler '" + name.label + "' has a name but no sampling function");
        SamplerInfo info = std::move(it->second);
        static_cast<SamplerName&>(info) = name;
        registry.push_back(std::move(info));
    }
    return registry;
}

/// The registry entry of a names-table entry (both tables share their order).
const SamplerInfo* lookup(const std::string& name)
{
    const SamplerName* found = findSamplerName(name);
    return found ? &samplerRegistry()[static_cast<size_t>(found - samplerNames().data())] : nullptr;
}

} // namespace

const std::vector<SamplerInfo>& samplerRegistry()
{
    static const std::vector<SamplerInfo> registry = buildRegistry();
    return registry;
}

const SamplerInfo& findSampler(const std::string& name)
{
    if (const SamplerInfo* s = lookup(name))
        return *s;
    throw api::Error(api::ErrorCode::InvalidRequest, "unknown sampler '" + name + "'; valid: " + samplerNamesList());
}

ParsedSamplerName parseSamplerName(const std::string& name)
{
    if (const SamplerInfo* s = lookup(name))
        return {s, std::nullopt};
    // Pre-1.9 A1111 names carried the schedule at the end: "DPM++ 2M Karras", "DPM++ 2M SDE Exponential".
    if (const auto combined = splitCombinedSamplerName(name))
        if (const SamplerInfo* s = lookup(combined->sampler))
            return {s, combined->schedule};
    throw api::Error(api::ErrorCode::InvalidRequest, "unknown sampler '" + name + "'; valid: " + samplerNamesList());
}

ScheduleType resolveSchedule(const SamplerInfo& sampler, ScheduleType requested)
{
    return requested == ScheduleType::Automatic ? sampler.defaultSchedule : requested;
}

torch::Tensor samplerSigmas(const SamplerInfo& sampler, ScheduleType requested, int steps, const DiscreteSchedule& schedule,
                            ScheduleOptions options)
{
    options.discardPenultimate = options.discardPenultimate || sampler.discardPenultimate;
    if (sampler.sigmaGrid)
        return sampler.sigmaGrid(resolveSchedule(sampler, requested), steps, schedule, options);
    return computeSigmas(resolveSchedule(sampler, requested), steps, schedule, options);
}

double txt2imgNoiseScale(const SamplerInfo& sampler, double sigma0)
{
    return sampler.timestepSampler ? std::sqrt(1.0 + sigma0 * sigma0) : sigma0;
}

} // namespace easel::sampling
