#pragma once
/// The Latent Consistency Model denoiser's view of a discrete schedule, as A1111 runs the "LCM"
/// sampler (modules/sd_samplers_lcm.py, LCMCompVisDenoiser): the model was distilled on 50 of the
/// 1000 timesteps (19, 39, …, 999), so sigmas come from that sub-table, the UNet sees the nearest of
/// those timesteps, and the output goes through the consistency-model boundary scaling.

#include <torch/torch.h>

#include "engine/sampling/discrete_schedule.h"

namespace easel::sampling {

/// LCM's distillation grid: every `skip`-th timestep of the full table, ending at the last one.
struct LcmGrid {
    static constexpr int64_t kOriginalSteps = 50;

    explicit LcmGrid(const DiscreteSchedule& full);

    /// Timestep stride of the sub-table (1000 / 50 = 20).
    int64_t skip() const { return m_skip; }
    const DiscreteSchedule& table() const { return m_table; }

    /// A1111 LCMCompVisDenoiser.get_sigmas(n): timesteps linspace(999, 19, n) mapped onto the
    /// sub-table's index and converted by log-sigma interpolation, then a final 0.
    torch::Tensor sigmas(int64_t n) const;
    /// The UNet timestep for each sigma: nearest sub-table entry (in log sigma) · skip + skip − 1.
    torch::Tensor timesteps(const torch::Tensor& sigma) const;
    /// Consistency boundary condition at 10·t (σ_data 0.5): c_out·x0 + c_skip·x.
    torch::Tensor boundary(const torch::Tensor& x0, const torch::Tensor& x, const torch::Tensor& sigma) const;

private:
    int64_t m_skip;
    DiscreteSchedule m_table;
};

} // namespace easel::sampling
