#include "engine/models/timestep_embedding.h"

#include <cmath>

namespace easel::models {

torch::Tensor timestepEmbedding(const torch::Tensor& timesteps, int64_t dim, double maxPeriod)
{
    const int64_t half = dim / 2;
    const auto f32 = torch::TensorOptions().dtype(torch::kFloat32).device(timesteps.device());
    const torch::Tensor freqs =
        torch::exp(torch::arange(0, half, f32) * (-std::log(maxPeriod) / static_cast<double>(half)));
    const torch::Tensor args = timesteps.reshape({-1}).to(torch::kFloat32).unsqueeze(1) * freqs.unsqueeze(0);
    torch::Tensor emb = torch::cat({torch::cos(args), torch::sin(args)}, -1);
    if (dim % 2 == 1)
        emb = torch::nn::functional::pad(emb, torch::nn::functional::PadFuncOptions({0, 1}));
    return emb;
}

torch::Tensor sdxlAdmVector(const torch::Tensor& pooled, const torch::Tensor& timeIds, int64_t admInChannels)
{
    const int64_t batch = pooled.size(0);
    const int64_t numbers = timeIds.size(-1);
    TORCH_CHECK((admInChannels - pooled.size(-1)) % numbers == 0, "adm width ", admInChannels,
                " does not fit pooled width ", pooled.size(-1), " and ", numbers, " time ids");
    const int64_t perNumber = (admInChannels - pooled.size(-1)) / numbers;
    const torch::Tensor timeEmb = timestepEmbedding(timeIds.reshape({-1}), perNumber).reshape({batch, -1});
    return torch::cat({pooled.to(torch::kFloat32), timeEmb.to(pooled.device())}, -1);
}

} // namespace easel::models
