#pragma once
/// Parameter-owning leaf layers of the UNet, VAE and ControlNet (Linear, Conv2d, GroupNorm,
/// LayerNorm) and `Slots`, a container whose children are named "0", "1", ... like the indices of
/// the PyTorch `nn.Sequential`s in the LDM checkpoints. Engine thread only.
///
/// Why own leaves instead of torch::nn::Linear etc.: a freshly built network holds placeholder
/// parameters (a 1-element tensor expanded to the right shape: no memory, no random init), so a
/// 2.6 B-parameter SDXL UNet can be built in milliseconds and then filled tensor by tensor from the
/// file (models/weight_loading.h) without ever holding two copies.

#include <cstdint>
#include <string>
#include <vector>

#include <torch/torch.h>

namespace easel::models {

/// A module whose parameters the loader may replace by name.
class ParamModule : public torch::nn::Module {
public:
    /// Swaps parameter `name` (a direct parameter of this module) for `value`.
    void replaceParameter(const std::string& name, const torch::Tensor& value);

protected:
    /// Registers a placeholder parameter of `shape` (no storage of that size is allocated).
    void declare(const std::string& name, const std::vector<int64_t>& shape);
    const torch::Tensor& param(const std::string& name) const { return parameters_[name]; }
    bool hasParam(const std::string& name) const { return parameters_.contains(name); }
};

class Linear : public ParamModule {
public:
    Linear(int64_t in, int64_t out, bool bias = true);
    torch::Tensor forward(const torch::Tensor& x) const;

private:
    bool m_bias;
};

/// Square-kernel convolution. Its `padding` is zeros, or wrap-around while the thread's
/// models::convPadding() is Circular (models/conv_padding.h: A1111 "Tiling").
class Conv2d : public ParamModule {
public:
    Conv2d(int64_t in, int64_t out, int64_t kernel, int64_t stride = 1, int64_t padding = 0);
    torch::Tensor forward(const torch::Tensor& x) const;
    int64_t outChannels() const { return m_out; }
    const torch::Tensor& weight() const { return param("weight"); }

private:
    int64_t m_out, m_kernel, m_stride, m_padding;
};

class GroupNorm : public ParamModule {
public:
    GroupNorm(int64_t groups, int64_t channels, double eps);
    torch::Tensor forward(const torch::Tensor& x) const;
    /// silu(forward(x)), the norm-then-activation pair of every ResBlock (SiLU in place on the
    /// fresh normalised tensor).
    torch::Tensor forwardSiLU(const torch::Tensor& x) const;

private:
    int64_t m_groups;
    double m_eps;
};

class LayerNorm : public ParamModule {
public:
    explicit LayerNorm(int64_t channels, double eps = 1e-5);
    torch::Tensor forward(const torch::Tensor& x) const;

private:
    int64_t m_channels;
    double m_eps;
};

/// `x` in the layout the conv trunk runs in: NHWC when fastPath().channelsLast (4-D tensors
/// only), else unchanged. Called once at a model's entry, not per layer.
torch::Tensor toTrunkLayout(const torch::Tensor& x);

/// Stores every 4-D Conv2d weight under `root` NHWC (channelsLast) or NCHW, so oneDNN is handed
/// weights in the layout of the activations and the per-call `weight.contiguous(format)` copy
/// of mkldnn_convolution is a no-op. The loader applies fastPath().channelsLast; the benchmark
/// calls it again when it switches the fast path for an A/B run. Same values, new storage.
void applyConvWeightLayout(torch::nn::Module& root, bool channelsLast);

/// Children named by index ("0", "1", ...), mirroring nn.Sequential / nn.ModuleList key segments.
/// Indices may skip numbers (parameter-free layers such as SiLU or Dropout have no keys).
class Slots : public torch::nn::Module {
public:
    template <class M>
    std::shared_ptr<M> add(int index, std::shared_ptr<M> module)
    {
        return register_module(std::to_string(index), std::move(module));
    }
};

} // namespace easel::models
