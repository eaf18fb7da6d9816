#pragma once
/// The names of every sampler Easel runs, in A1111's menu order: A1111 labels ("DPM++ 2M"), ComfyUI
/// names ("dpmpp_2m"), old A1111 aliases ("k_dpmpp_2m") and each one's default schedule. Torch-free
/// (easel_support): infotext parsing, the CLI and the UI read names here; sampler_registry.h attaches
/// the sampling functions to these same entries. Immutable, any thread.

#include <optional>
#include <string>
#include <vector>

#include "engine/sampling/schedule_names.h"

namespace easel::sampling {

struct SamplerName {
    std::string label;                 ///< A1111 label, written to infotext
    std::string id;                    ///< ComfyUI name
    std::vector<std::string> aliases;  ///< other accepted names (A1111 k_* aliases)
    ScheduleType defaultSchedule = ScheduleType::Automatic; ///< what "Automatic" means for this sampler
};

/// Every sampler, in A1111's menu order.
const std::vector<SamplerName>& samplerNames();

/// Label, ComfyUI name or alias, any case, spaces/underscores ignored; nullptr when unknown.
const SamplerName* findSamplerName(const std::string& name);

/// A pre-1.9 A1111 sampler name that carried its schedule ("DPM++ 2M Karras") split in two.
struct CombinedSamplerName {
    std::string sampler;   ///< "DPM++ 2M" (as written, not checked against the table)
    ScheduleType schedule; ///< Karras
};
/// Splits a trailing " <schedule label>" off `name`; the longest label wins, so "… SGM Uniform" is
/// SGM Uniform, not Uniform. nullopt when the name ends in no schedule label.
std::optional<CombinedSamplerName> splitCombinedSamplerName(const std::string& name);

/// "DPM++ 2M (dpmpp_2m), …" for error messages and --help.
std::string samplerNamesList();

} // namespace easel::sampling
