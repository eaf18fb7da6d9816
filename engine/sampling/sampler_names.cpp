#include "engine/sampling/sampler_names.h"

#include <algorithm>
#include <cstring>

namespace easel::sampling {

namespace {

std::vector<SamplerName> buildNames()
{
    // Ref: A1111 modules/sd_samplers_kdiffusion.py samplers_k_diffusion (labels, aliases, scheduler
    // options), sd_samplers_timesteps.py (DDIM, PLMS, UniPC) and sd_samplers_lcm.py; menu order:
    // k-diffusion, timesteps, LCM.
    using S = ScheduleType;
    return {
        {"DPM++ 2M", "dpmpp_2m", {"k_dpmpp_2m"}, S::Karras},
        {"DPM++ SDE", "dpmpp_sde", {"k_dpmpp_sde"}, S::Karras},
        {"DPM++ 2M SDE", "dpmpp_2m_sde", {"k_dpmpp_2m_sde"}, S::Exponential},
        {"DPM++ 2M SDE Heun", "dpmpp_2m_sde_heun", {"k_dpmpp_2m_sde_heun"}, S::Exponential},
        {"DPM++ 2S a", "dpmpp_2s_ancestral", {"k_dpmpp_2s_a"}, S::Karras},
        {"DPM++ 3M SDE", "dpmpp_3m_sde", {"k_dpmpp_3m_sde"}, S::Exponential},
        {"Euler a", "euler_ancestral", {"k_euler_a", "k_euler_ancestral"}, S::Uniform},
        {"Euler", "euler", {"k_euler"}, S::Uniform},
        {"LMS", "lms", {"k_lms"}, S::Uniform},
        {"Heun", "heun", {"k_heun"}, S::Uniform},
        {"DPM2", "dpm_2", {"k_dpm_2"}, S::Karras},
        {"DPM2 a", "dpm_2_ancestral", {"k_dpm_2_a"}, S::Karras},
        {"DPM fast", "dpm_fast", {"k_dpm_fast"}, S::Uniform},
        {"DPM adaptive", "dpm_adaptive", {"k_dpm_ad"}, S::Uniform},
        {"Restart", "restart", {}, S::Karras},
        {"DDIM", "ddim", {}, S::Ddim},
        {"PLMS", "plms", {}, S::Ddim},
        {"UniPC", "uni_pc", {"unipc"}, S::Uniform},
        {"LCM", "lcm", {"k_lcm"}, S::Uniform},
    };
}

} // namespace

const std::vector<SamplerName>& samplerNames()
{
    static const std::vector<SamplerName> names = buildNames();
    return names;
}

const SamplerName* findSamplerName(const std::string& name)
{
    const std::string key = nameKey(name);
    if (key.empty())
        return nullptr;
    for (const SamplerName& s : samplerNames()) {
        if (key == nameKey(s.label) || key == nameKey(s.id))
            return &s;
        for (const std::string& alias : s.aliases)
            if (key == nameKey(alias))
                return &s;
    }
    return nullptr;
}

std::optional<CombinedSamplerName> splitCombinedSamplerName(const std::string& name)
{
    std::vector<ScheduleType> types = allScheduleTypes();
    // Longest first: "SGM Uniform" must be tried before its own tail "Uniform".
    std::stable_sort(types.begin(), types.end(), [](ScheduleType a, ScheduleType b) {
        return std::strlen(scheduleLabel(a)) > std::strlen(scheduleLabel(b));
    });
    for (const ScheduleType type : types) {
        const std::string suffix = std::string(" ") + scheduleLabel(type);
        if (name.size() > suffix.size() && nameKey(name.substr(name.size() - suffix.size())) == nameKey(suffix))
            return CombinedSamplerName{name.substr(0, name.size() - suffix.size()), type};
    }
    return std::nullopt;
}

std::string samplerNamesList()
{
    std::string out;
    for (const SamplerName& s : samplerNames())
        out += (out.empty() ? "" : ", ") + s.label + " (" + s.id + ")";
    return out;
}

} // namespace easel::sampling
