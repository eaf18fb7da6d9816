#pragma once
/// The sampler and schedule-type names Easel runs, in A1111's menu order, for pickers and help
/// texts. The one table is engine/sampling/sampler_names.h (the sampler registry and infotext
/// parsing read it too). Plain C++; any thread.

#include <string>
#include <vector>

namespace easel::api {

/// A1111 sampler labels ("DPM++ 2M", "Euler a", …), menu order.
std::vector<std::string> samplerLabels();

/// A1111 schedule-type labels, "Automatic" (the sampler's own default) first.
std::vector<std::string> scheduleLabels();

/// The A1111 label for any accepted spelling of a sampler (label, ComfyUI name, k_ alias, any case);
/// "" when Easel has no such sampler.
std::string samplerLabel(const std::string& name);
/// The ComfyUI-style names a sampler also answers to ("euler_ancestral", "k_euler_a"), for API listings.
std::vector<std::string> samplerAliases(const std::string& label);

/// A schedule type's A1111 id ("sgm_uniform") next to its label, menu order.
struct ScheduleName {
    std::string id;
    std::string label;
};
std::vector<ScheduleName> scheduleNames();
/// The A1111 label for any accepted spelling of a schedule type; "" when there is none.
std::string scheduleLabel(const std::string& name);

} // namespace easel::api
