#include "engine/api/samplers.h"

#include "engine/api/error.h"
#include "engine/sampling/sampler_names.h"
#include "engine/sampling/schedule_names.h"

namespace easel::api {

std::vector<std::string> samplerLabels()
{
    std::vector<std::string> labels;
    for (const sampling::SamplerName& s : sampling::samplerNames())
        labels.push_back(s.label);
    return labels;
}

std::vector<std::string> scheduleLabels()
{
    std::vector<std::string> labels;
    for (const sampling::ScheduleType type : sampling::allScheduleTypes())
        labels.emplace_back(sampling::scheduleLabel(type));
    return labels;
}

std::string samplerLabel(const std::string& name)
{
    const sampling::SamplerName* found = sampling::findSamplerName(name);
    return found ? found->label : std::string();
}

std::vector<std::string> samplerAliases(const std::string& label)
{
    const sampling::SamplerName* found = sampling::findSamplerName(label);
    if (!found)
        return {};
    std::vector<std::string> aliases{found->id};
    aliases.insert(aliases.end(), found->aliases.begin(), found->aliases.end());
    return aliases;
}

std::vector<ScheduleName> scheduleNames()
{
    std::vector<ScheduleName> names;
    for (const sampling::ScheduleType type : sampling::allScheduleTypes())
        names.push_back({sampling::scheduleId(type), sampling::scheduleLabel(type)});
    return names;
}

std::string scheduleLabel(const std::string& name)
{
    try {
        return sampling::scheduleLabel(sampling::parseScheduleType(name));
    } catch (const Error&) {
        return {};
    }
}

} // namespace easel::api
