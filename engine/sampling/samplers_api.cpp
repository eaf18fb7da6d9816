#include "engine/api/samplers.h"

#include "engine/sampling/sampler_names.h"

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

} // namespace easel::api
