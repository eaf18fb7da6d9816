#include "engine/models/layers.h"

namespace easel::models {

void ParamModule::replaceParameter(const std::string& name, const torch::Tensor& value)
{
    TORCH_CHECK(parameters_.contains(name), "no parameter ", name);
    parameters_[name] = value;
}

void ParamModule::declare(const std::string& name, const std::vector<int64_t>& shape)
{
    register_parameter(name, torch::zeros({1}).expand(shape), /*requires_grad=*/false);
}

Linear::Linear(int64_t in, int64_t out, bool bias) : m_bias(bias)
{
    declare("weight", {out, in});
    if (bias)
        declare("bias", {out});
}

torch::Tensor Linear::forward(const torch::Tensor& x) const
{
    return m_bias ? torch::linear(x, param("weight"), param("bias")) : torch::linear(x, param("weight"));
}

Conv2d::Conv2d(int64_t in, int64_t out, int64_t kernel, int64_t stride, int64_t padding)
    : m_out(out), m_stride(stride), m_padding(padding)
{
    declare("weight", {out, in, kernel, kernel});
    declare("bias", {out});
}

torch::Tensor Conv2d::forward(const torch::Tensor& x) const
{
    return torch::conv2d(x, param("weight"), param("bias"), {m_stride, m_stride}, {m_padding, m_padding});
}

GroupNorm::GroupNorm(int64_t groups, int64_t channels, double eps) : m_groups(groups), m_eps(eps)
{
    declare("weight", {channels});
    declare("bias", {channels});
}

torch::Tensor GroupNorm::forward(const torch::Tensor& x) const
{
    return torch::group_norm(x, m_groups, param("weight"), param("bias"), m_eps);
}

LayerNorm::LayerNorm(int64_t channels, double eps) : m_channels(channels), m_eps(eps)
{
    declare("weight", {channels});
    declare("bias", {channels});
}

torch::Tensor LayerNorm::forward(const torch::Tensor& x) const
{
    return torch::layer_norm(x, {m_channels}, param("weight"), param("bias"), m_eps);
}

} // namespace easel::models
