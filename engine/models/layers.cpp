#include "engine/models/layers.h"

#include <optional>

#include "engine/core/blas_threads.h"
#include "engine/models/circular_pad.h"
#include "engine/models/conv_padding.h"
#include "engine/models/fast_path.h"
#include "engine/models/profile.h"

namespace easel::models {

namespace {

/// A parameter in the activation's dtype: itself normally, a per-call upcast in low-memory mode
/// (weights stored fp16/bf16, computed fp32; the copy is freed when the layer returns).
torch::Tensor like(const torch::Tensor& p, const torch::Tensor& x)
{
    return p.scalar_type() == x.scalar_type() ? p : p.to(x.scalar_type());
}

} // namespace

torch::Tensor toTrunkLayout(const torch::Tensor& x)
{
    return fastPath().channelsLast && x.dim() == 4 ? x.contiguous(torch::MemoryFormat::ChannelsLast) : x;
}

void applyConvWeightLayout(torch::nn::Module& root, bool channelsLast)
{
    const auto format = channelsLast ? torch::MemoryFormat::ChannelsLast : torch::MemoryFormat::Contiguous;
    // include_self=false: the root may live on the stack (tests), which modules(true) refuses.
    std::vector<torch::nn::Module*> all{&root};
    for (const auto& module : root.modules(/*include_self=*/false))
        all.push_back(module.get());
    for (torch::nn::Module* module : all) {
        auto* conv = dynamic_cast<Conv2d*>(module);
        if (!conv)
            continue;
        const torch::Tensor& w = conv->weight();
        if (w.dim() == 4 && !w.is_contiguous(format) && w.stride(0) != 0) // stride 0: unloaded placeholder
            conv->replaceParameter("weight", w.contiguous(format));
    }
}

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
    ProfileScope scope("linear");
    if (fastPath().onednnLinear && x.device().is_cpu() && x.scalar_type() == torch::kFloat32 && x.dim() == 3 &&
        x.size(0) * x.size(1) >= 256 && x.is_contiguous()) {
        // [B, N, C] tokens seen as an NHWC image [B, C, N, 1] and projected by a 1x1 convolution:
        // oneDNN computes it on torch's OpenMP threads like every conv of the trunk, instead of
        // handing each GEMM to OpenBLAS's own thread pool (two pools fighting over the cores).
        // Both views are free; the output [B, O, N, 1] NHWC is [B, N, O] contiguous.
        const torch::Tensor w = like(param("weight"), x);
        const torch::Tensor image = x.permute({0, 2, 1}).unsqueeze(-1);
        const torch::Tensor y = torch::conv2d(image, w.unsqueeze(-1).unsqueeze(-1),
                                              m_bias ? like(param("bias"), x) : torch::Tensor());
        return y.squeeze(-1).permute({0, 2, 1});
    }
    // A few rows (time embedding, the 77-token context projections) gain nothing from threads;
    // keep OpenBLAS from waking its pool for them.
    std::optional<core::BlasThreadsGuard> oneThread;
    if (fastPath().onednnLinear && x.device().is_cpu() && x.numel() / std::max<int64_t>(x.size(-1), 1) < 256)
        oneThread.emplace(1);
    return m_bias ? torch::linear(x, like(param("weight"), x), like(param("bias"), x))
                  : torch::linear(x, like(param("weight"), x));
}

Conv2d::Conv2d(int64_t in, int64_t out, int64_t kernel, int64_t stride, int64_t padding)
    : m_out(out), m_kernel(kernel), m_stride(stride), m_padding(padding)
{
    declare("weight", {out, in, kernel, kernel});
    declare("bias", {out});
}

torch::Tensor Conv2d::forward(const torch::Tensor& x) const
{
    ProfileScope scope(m_kernel == 1 ? "conv1x1" : "conv3x3");
    if (m_padding > 0 && convPadding() == ConvPadding::Circular) {
        // Ref: torch nn.Conv2d._conv_forward, padding_mode='circular' (A1111 "Tiling"): wrap-pad,
        // then convolve unpadded. padCircular keeps x's layout, so the NHWC trunk stays NHWC.
        return torch::conv2d(padCircular(x, m_padding), like(param("weight"), x), like(param("bias"), x),
                             {m_stride, m_stride}, torch::IntArrayRef({0, 0}));
    }
    return torch::conv2d(x, like(param("weight"), x), like(param("bias"), x), {m_stride, m_stride},
                         {m_padding, m_padding});
}

GroupNorm::GroupNorm(int64_t groups, int64_t channels, double eps) : m_groups(groups), m_eps(eps)
{
    declare("weight", {channels});
    declare("bias", {channels});
}

torch::Tensor GroupNorm::forward(const torch::Tensor& x) const
{
    ProfileScope scope("group_norm");
    return torch::group_norm(x, m_groups, like(param("weight"), x), like(param("bias"), x), m_eps);
}

torch::Tensor GroupNorm::forwardSiLU(const torch::Tensor& x) const
{
    torch::Tensor y = forward(x);
    ProfileScope scope("silu");
    // The normalised tensor is fresh and used only here, so SiLU may overwrite it (an elementwise
    // op in place keeps y's layout, unlike the residual adds, so the result is bit-identical).
    return torch::silu_(y);
}

LayerNorm::LayerNorm(int64_t channels, double eps) : m_channels(channels), m_eps(eps)
{
    declare("weight", {channels});
    declare("bias", {channels});
}

torch::Tensor LayerNorm::forward(const torch::Tensor& x) const
{
    ProfileScope scope("layer_norm");
    return torch::layer_norm(x, {m_channels}, like(param("weight"), x), like(param("bias"), x), m_eps);
}

} // namespace easel::models
