#include "engine/sampling/lcm_schedule.h"

namespace easel::sampling {

namespace {

DiscreteSchedule subTable(const DiscreteSchedule& full, int64_t skip)
{
    // Entry j is timestep (T − 1) − (49 − j)·skip, i.e. skip − 1 + j·skip for T = 1000.
    const int64_t n = LcmGrid::kOriginalSteps;
    const torch::Tensor index = torch::arange(n, torch::kLong) * skip + (full.size() - 1 - (n - 1) * skip);
    return DiscreteSchedule(full.alphasCumprod().index({index}));
}

} // namespace

LcmGrid::LcmGrid(const DiscreteSchedule& full)
    : m_skip(full.size() / kOriginalSteps), m_table(subTable(full, full.size() / kOriginalSteps))
{
}

torch::Tensor LcmGrid::sigmas(int64_t n) const
{
    const torch::Tensor ends = timesteps(torch::tensor({m_table.sigmaMax(), m_table.sigmaMin()}, torch::kFloat32));
    const torch::Tensor t = torch::linspace(ends[0].item<double>(), ends[1].item<double>(), n, torch::kFloat32);
    const torch::Tensor index =
        ((t - static_cast<double>(m_skip - 1)) / static_cast<double>(m_skip)).clamp(0, static_cast<double>(m_table.size() - 1));
    return appendZero(m_table.tToSigma(index));
}

torch::Tensor LcmGrid::timesteps(const torch::Tensor& sigma) const
{
    return (m_table.sigmaToT(sigma, /*quantize=*/true) * m_skip + (m_skip - 1)).to(torch::kFloat32);
}

torch::Tensor LcmGrid::boundary(const torch::Tensor& x0, const torch::Tensor& x, const torch::Tensor& sigma) const
{
    constexpr double kSigmaData = 0.5;
    const torch::Tensor scaled = (timesteps(sigma.reshape({-1})) * 10.0).view({-1, 1, 1, 1});
    const torch::Tensor denominator = scaled * scaled + kSigmaData * kSigmaData;
    const torch::Tensor cSkip = kSigmaData * kSigmaData / denominator;
    const torch::Tensor cOut = scaled / denominator.sqrt();
    return cOut * x0 + cSkip * x;
}

} // namespace easel::sampling
