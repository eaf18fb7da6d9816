#include "engine/sampling/sampler_registry.h"

#include <cctype>
#include <cmath>

#include "engine/api/error.h"
#include "engine/sampling/lcm_schedule.h"
#include "engine/sampling/sampler_restart.h"
#include "engine/sampling/samplers.h"
#include "engine/sampling/samplers_dpm_solver.h"
#include "engine/sampling/samplers_timestep.h"

namespace easel::sampling {

namespace {

std::string squash(const std::string& s)
{
    std::string out;
    for (const unsigned char c : s)
        if (c != ' ' && c != '_' && c != '-')
            out += static_cast<char>(std::tolower(c));
    return out;
}

SamplerInfo make(std::string label, std::string id, std::vector<std::string> aliases, ScheduleType schedule,
                 SamplerFunction function, bool secondOrder = false, bool usesNoise = false, bool discard = false)
{
    SamplerInfo info;
    info.label = std::move(label);
    info.id = std::move(id);
    info.aliases = std::move(aliases);
    info.defaultSchedule = schedule;
    info.function = std::move(function);
    info.secondOrder = secondOrder;
    info.usesNoise = usesNoise;
    info.discardPenultimate = discard;
    return info;
}

std::vector<SamplerInfo> buildRegistry()
{
    // Ref: A1111 modules/sd_samplers_kdiffusion.py samplers_k_diffusion (labels, aliases, options)
    // and sd_samplers_lcm.py; sd_samplers_timesteps.py for DDIM, PLMS, UniPC (menu order: k-diffusion,
    // timesteps, LCM).
    using S = ScheduleType;
    std::vector<SamplerInfo> r;
    r.push_back(make("DPM++ 2M", "dpmpp_2m", {"k_dpmpp_2m"}, S::Karras, sampleDpmpp2m));
    r.push_back(make("DPM++ SDE", "dpmpp_sde", {"k_dpmpp_sde"}, S::Karras, sampleDpmppSde, true, true));
    r.push_back(make("DPM++ 2M SDE", "dpmpp_2m_sde", {"k_dpmpp_2m_sde"}, S::Exponential, sampleDpmpp2mSde, false, true));
    SamplerInfo heun = make("DPM++ 2M SDE Heun", "dpmpp_2m_sde_heun", {"k_dpmpp_2m_sde_heun"}, S::Exponential,
                            sampleDpmpp2mSde, false, true);
    heun.defaults.solver = SdeSolver::Heun;
    r.push_back(heun);
    r.push_back(make("DPM++ 2S a", "dpmpp_2s_ancestral", {"k_dpmpp_2s_a"}, S::Karras, sampleDpmpp2sAncestral, true, true));
    r.push_back(make("DPM++ 3M SDE", "dpmpp_3m_sde", {"k_dpmpp_3m_sde"}, S::Exponential, sampleDpmpp3mSde, false, true, true));
    r.push_back(make("Euler a", "euler_ancestral", {"k_euler_a", "k_euler_ancestral"}, S::Uniform, sampleEulerAncestral, false, true));
    r.push_back(make("Euler", "euler", {"k_euler"}, S::Uniform, sampleEuler));
    r.push_back(make("LMS", "lms", {"k_lms"}, S::Uniform, sampleLms));
    r.push_back(make("Heun", "heun", {"k_heun"}, S::Uniform, sampleHeun, true));
    r.push_back(make("DPM2", "dpm_2", {"k_dpm_2"}, S::Karras, sampleDpm2, true, false, true));
    r.push_back(make("DPM2 a", "dpm_2_ancestral", {"k_dpm_2_a"}, S::Karras, sampleDpm2Ancestral, true, true, true));
    r.push_back(make("DPM fast", "dpm_fast", {"k_dpm_fast"}, S::Uniform, sampleDpmFast, false, true));
    r.push_back(make("DPM adaptive", "dpm_adaptive", {"k_dpm_ad"}, S::Uniform, sampleDpmAdaptive, false, true));
    r.push_back(make("Restart", "restart", {}, S::Karras, sampleRestart, true, true));
    SamplerInfo ddim = make("DDIM", "ddim", {}, S::Ddim, sampleDdim);
    ddim.timestepSampler = true;
    ddim.sigmaGrid = a1111TimestepSigmas;
    r.push_back(ddim);
    SamplerInfo plms = make("PLMS", "plms", {}, S::Ddim, samplePlms);
    plms.timestepSampler = true;
    plms.sigmaGrid = a1111TimestepSigmas;
    r.push_back(plms);
    SamplerInfo unipc = make("UniPC", "uni_pc", {"unipc"}, S::Uniform, sampleUniPc);
    unipc.timestepSampler = true;
    unipc.sigmaGrid = uniPcSigmas;
    r.push_back(unipc);
    // A1111 pairs LCM with LCMCompVisDenoiser (sd_samplers_lcm.py): a 50-entry sigma table (timesteps
    // 19, 39, ..., 999), the UNet's timestep quantised to it, the schedule linear in that table's index
    // (ends at timestep 19, not 0), and the LCM boundary scaling c_skip/c_out at 10·t. A1111's
    // "Uniform" asks the denoiser for its sigmas, so only Uniform uses the sub-table's grid; other
    // schedule types use the full table's sigma range (A1111 uses the sub-table's range there).
    SamplerInfo lcm = make("LCM", "lcm", {"k_lcm"}, S::Uniform, sampleLcm, false, true);
    lcm.lcmDenoiser = true;
    lcm.sigmaGrid = [](ScheduleType type, int steps, const DiscreteSchedule& schedule, const ScheduleOptions& options) {
        return type == ScheduleType::Uniform ? LcmGrid(schedule).sigmas(steps) : computeSigmas(type, steps, schedule, options);
    };
    r.push_back(lcm);
    return r;
}

} // namespace

const std::vector<SamplerInfo>& samplerRegistry()
{
    static const std::vector<SamplerInfo> registry = buildRegistry();
    return registry;
}

std::string samplerNamesList()
{
    std::string out;
    for (const SamplerInfo& s : samplerRegistry())
        out += (out.empty() ? "" : ", ") + s.label + " (" + s.id + ")";
    return out;
}

static const SamplerInfo* lookup(const std::string& name)
{
    const std::string key = squash(name);
    if (key.empty())
        return nullptr;
    for (const SamplerInfo& s : samplerRegistry()) {
        if (key == squash(s.label) || key == squash(s.id))
            return &s;
        for (const std::string& alias : s.aliases)
            if (key == squash(alias))
                return &s;
    }
    return nullptr;
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
    for (const ScheduleType type : allScheduleTypes()) {
        const std::string suffix = std::string(" ") + scheduleLabel(type);
        if (name.size() > suffix.size()) {
            const std::string tail = name.substr(name.size() - suffix.size());
            if (squash(tail) == squash(suffix))
                if (const SamplerInfo* s = lookup(name.substr(0, name.size() - suffix.size())))
                    return {s, type};
        }
    }
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
