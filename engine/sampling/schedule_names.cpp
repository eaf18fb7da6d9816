#include "engine/sampling/schedule_names.h"

#include <array>
#include <cctype>

#include "engine/api/error.h"

namespace easel::sampling {

namespace {

struct ScheduleName {
    ScheduleType type;
    const char* id;
    const char* label;
};

// Ref: A1111 modules/sd_schedulers.py schedulers (menu order).
constexpr std::array<ScheduleName, 12> kNames = {{
    {ScheduleType::Automatic, "automatic", "Automatic"},
    {ScheduleType::Uniform, "uniform", "Uniform"},
    {ScheduleType::Karras, "karras", "Karras"},
    {ScheduleType::Exponential, "exponential", "Exponential"},
    {ScheduleType::Polyexponential, "polyexponential", "Polyexponential"},
    {ScheduleType::SgmUniform, "sgm_uniform", "SGM Uniform"},
    {ScheduleType::KlOptimal, "kl_optimal", "KL Optimal"},
    {ScheduleType::AlignYourSteps, "align_your_steps", "Align Your Steps"},
    {ScheduleType::Simple, "simple", "Simple"},
    {ScheduleType::Normal, "normal", "Normal"},
    {ScheduleType::Ddim, "ddim", "DDIM"},
    {ScheduleType::Beta, "beta", "Beta"},
}};

} // namespace

std::string nameKey(const std::string& name)
{
    std::string out;
    for (const unsigned char c : name)
        if (c != ' ' && c != '_' && c != '-')
            out += static_cast<char>(std::tolower(c));
    return out;
}

const char* scheduleLabel(ScheduleType type)
{
    for (const auto& n : kNames)
        if (n.type == type)
            return n.label;
    return "Automatic";
}

const char* scheduleId(ScheduleType type)
{
    for (const auto& n : kNames)
        if (n.type == type)
            return n.id;
    return "automatic";
}

std::vector<ScheduleType> allScheduleTypes()
{
    std::vector<ScheduleType> out;
    for (const auto& n : kNames)
        out.push_back(n.type);
    return out;
}

ScheduleType parseScheduleType(const std::string& name)
{
    const std::string key = nameKey(name);
    for (const auto& n : kNames)
        if (key == nameKey(n.id) || key == nameKey(n.label))
            return n.type;
    // ComfyUI spells the DDIM schedule "ddim_uniform".
    if (key == "ddimuniform")
        return ScheduleType::Ddim;
    std::string valid;
    for (const auto& n : kNames)
        valid += std::string(valid.empty() ? "" : ", ") + n.label + " (" + n.id + ")";
    throw api::Error(api::ErrorCode::InvalidRequest, "unknown schedule type '" + name + "'; valid: " + valid);
}

} // namespace easel::sampling
