#pragma once
/// Fills a network built from models/layers.h with the tensors of a state dict by a name walk:
/// parameter `a.b.weight` of the module takes key `prefix + "a.b.weight"`. Every parameter must be
/// found and every key under the prefix consumed. Engine thread only.

#include <string>

#include <torch/torch.h>

#include "engine/io/state_dict.h"

namespace easel::models {

/// Where the weights live and in which dtype. Weights keep the file's dtype until placed.
struct WeightPlacement {
    torch::Device device = torch::kCPU;
    torch::ScalarType dtype = torch::kFloat32;
    /// false: conv kernels stay NCHW even when the fast path runs channels-last (the VAE runs
    /// NCHW: converting its ~80 M parameters there and back at every load cost a copy for nothing).
    bool convChannelsLast = true;
};

/// fp16 on CUDA, fp32 on the CPU (half convolutions are slow or missing on CPUs).
WeightPlacement defaultPlacement(const torch::Device& device);

/// Moves each `prefix`-ed tensor of `weights` into `module` (converted to the placement).
/// A [C,C] tensor fills a [C,C,1,1] parameter and vice versa (VAE attention stored as Linear).
/// Throws api::Error naming `path` and `what` ("UNet", "VAE"): CorruptFile when the file lacks
/// weights the network needs, UnsupportedFormat for keys it does not know or shapes that differ
/// (the first few are named).
void loadWeights(torch::nn::Module& module, const io::StateDict& weights, const std::string& prefix,
                 const WeightPlacement& placement, const std::string& path, const std::string& what);

/// Number of scalar parameters of a module.
int64_t parameterCount(const torch::nn::Module& module);

} // namespace easel::models
