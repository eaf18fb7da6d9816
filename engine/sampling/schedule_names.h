#pragma once
/// A1111 "Schedule type" names: the enum, its labels and ids, and how a typed name is matched.
/// Torch-free (easel_support) so infotext parsing and the UI's pickers use this one table; the
/// sigma math lives in schedules.h. Pure functions, any thread.

#include <string>
#include <vector>

namespace easel::sampling {

enum class ScheduleType {
    Automatic, ///< the sampler's default (see SamplerName::defaultSchedule), else Uniform
    Uniform,
    Karras,
    Exponential,
    Polyexponential,
    SgmUniform,
    KlOptimal,
    AlignYourSteps,
    Simple,
    Normal,
    Ddim,
    Beta,
};

/// A1111 label ("SGM Uniform") and id ("sgm_uniform").
const char* scheduleLabel(ScheduleType type);
const char* scheduleId(ScheduleType type);
/// Every schedule type in A1111's menu order (Automatic first).
std::vector<ScheduleType> allScheduleTypes();

/// Label, id or ComfyUI name in any case ("Karras", "karras", "sgm_uniform", "SGMUniform",
/// "ddim_uniform"); throws api::Error(InvalidRequest) listing the valid names.
ScheduleType parseScheduleType(const std::string& name);

/// How sampler and schedule names compare: lower case, without spaces, '_' and '-', so that
/// "DPM++ 2M", "dpmpp_2m"-style spellings and A1111 labels meet.
std::string nameKey(const std::string& name);

} // namespace easel::sampling
