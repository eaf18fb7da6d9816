#pragma once
/// A1111 "Schedule type"s: the sigma list a k-diffusion sampler walks, from the model's discrete
/// schedule (the names are in schedule_names.h). Engine-internal; pure functions, any thread.

#include <string>
#include <vector>

#include <torch/torch.h>

#include "engine/sampling/discrete_schedule.h"
#include "engine/sampling/schedule_names.h"

namespace easel::sampling {

struct ScheduleOptions {
    /// 0 = the schedule's default (Karras 7, Polyexponential 1). A1111 "Schedule rho".
    double rho = 0.0;
    /// 0 = the model table's ends. A1111 "Schedule min sigma" / "max sigma".
    double sigmaMin = 0.0;
    double sigmaMax = 0.0;
    /// Align Your Steps table: SDXL instead of SD 1.5.
    bool sdxl = false;
    /// Beta schedule distribution parameters (A1111 defaults).
    double betaAlpha = 0.6;
    double betaBeta = 0.6;
    /// A1111 for DPM2, DPM2 a and DPM++ 3M SDE: compute steps + 1 and drop the second-to-last sigma.
    bool discardPenultimate = false;
};

/// `steps` + 1 float32 sigmas, descending (last is 0, except KL Optimal which ends at sigma_min).
/// Automatic is treated as Uniform here; resolve it with the sampler's default first.
torch::Tensor computeSigmas(ScheduleType type, int steps, const DiscreteSchedule& schedule,
                            const ScheduleOptions& options = {});

/// Inverse CDF of the Beta(a, b) distribution (scipy.stats.beta.ppf), double precision.
double betaPpf(double p, double a, double b);

} // namespace easel::sampling
