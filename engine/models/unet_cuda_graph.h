#pragma once
/// CUDA-graph replay of one UNet step at a fixed shape (batch incl. cond+uncond, latent size,
/// context length): the first run() warms up on a side stream and captures every kernel of
/// UNet::forward into a graph with static input/output buffers; later runs copy the inputs into
/// those buffers and replay, removing the per-kernel launch overhead that dominates small-latent
/// fp16 steps on fast GPUs. Only in CUDA builds (EASEL_WITH_CUDA); engine thread only.
///
/// Validity: the graph reads the weights through their storage, so weights changed *in place*
/// (LoRA merge with add_/copy_, models/… load into the same tensors) are seen by later replays;
/// anything that replaces a parameter tensor (models::applyConvWeightLayout, a reload) or a
/// FastPath switch change needs a new UNetCudaGraph. Inputs of another shape, dtype or device
/// throw; make one graph per resolution. The conv padding (models/conv_padding.h, A1111
/// "Tiling") is fixed at construction: the captured kernels include the circular pad copies.

#if defined(EASEL_WITH_CUDA)

#include <memory>
#include <optional>

#include <torch/torch.h>

#include "engine/models/conv_padding.h"

namespace at::cuda {
struct CUDAGraph;
}

namespace easel::models {

class UNet;

class UNetCudaGraph {
public:
    explicit UNetCudaGraph(std::shared_ptr<const UNet> unet, int warmupRuns = 2,
                           ConvPadding padding = ConvPadding::Zeros);
    ~UNetCudaGraph();
    UNetCudaGraph(const UNetCudaGraph&) = delete;
    UNetCudaGraph& operator=(const UNetCudaGraph&) = delete;

    /// Same contract as UNet::forward (inputs must already be on the UNet's CUDA device, in the
    /// dtype the graph was captured with). Returns a fresh tensor (a device copy of the static
    /// output, no host synchronisation).
    torch::Tensor run(const torch::Tensor& x, const torch::Tensor& timesteps, const torch::Tensor& context,
                      const std::optional<torch::Tensor>& y = std::nullopt);

    bool captured() const { return m_graph != nullptr; }

private:
    void capture(const torch::Tensor& x, const torch::Tensor& timesteps, const torch::Tensor& context,
                 const std::optional<torch::Tensor>& y);
    void checkShape(const torch::Tensor& have, const torch::Tensor& want, const char* what) const;

    std::shared_ptr<const UNet> m_unet;
    int m_warmupRuns;
    ConvPadding m_padding;
    std::unique_ptr<at::cuda::CUDAGraph> m_graph;
    torch::Tensor m_x, m_t, m_context, m_out;
    std::optional<torch::Tensor> m_y;
};

} // namespace easel::models

#endif
