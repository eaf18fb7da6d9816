#pragma once
/// The Stable Diffusion UNet (LDM `openaimodel.UNetModel`) for SD 1.x, SD 2.x and SDXL, with
/// in-channels 4/8/9 and ControlNet residual inputs. Module names equal the LDM checkpoint keys
/// under `model.diffusion_model.` (loading: models/weight_loading.h). Engine thread only.

#include <optional>
#include <vector>

#include <torch/torch.h>

#include "engine/io/model_config.h"
#include "engine/models/conv_padding.h"
#include "engine/models/unet_encoder.h"

namespace easel::models {

/// What a ControlNet adds: one residual per input block (skip order) and one for the middle block.
struct ControlResiduals {
    std::vector<torch::Tensor> down;
    torch::Tensor mid;
};

class UNet : public torch::nn::Module {
public:
    explicit UNet(const io::UNetConfig& config);

    /// x [B, in, h, w] latent; timesteps 0-dim, [1] or [B]; context [B, tokens, contextDim];
    /// y [B, admInChannels] for SDXL (see timestep_embedding.h sdxlAdmVector). Output [B, out, h, w]
    /// in x's dtype. Inputs are moved to the weights' device and dtype. `padding` Circular makes
    /// every padded conv wrap around (A1111 "Tiling", models/conv_padding.h) for this call only.
    torch::Tensor forward(const torch::Tensor& x, const torch::Tensor& timesteps, const torch::Tensor& context,
                          const std::optional<torch::Tensor>& y = std::nullopt,
                          const ControlResiduals* control = nullptr,
                          ConvPadding padding = ConvPadding::Zeros) const;

    const io::UNetConfig& config() const { return m_encoder.config; }

    /// Low-memory mode: keep the weights in their (fp16/bf16) storage dtype and compute in
    /// `dtype` (fp32 on the CPU), each layer upcasting its own weights as it runs. nullopt (the
    /// default) computes in the weights' dtype.
    void setComputeDtype(std::optional<torch::ScalarType> dtype) { m_computeDtype = dtype; }

private:
    UNetEncoder m_encoder;
    std::optional<torch::ScalarType> m_computeDtype;
    std::vector<std::shared_ptr<TimestepBlock>> m_outputBlocks;
    std::shared_ptr<GroupNorm> m_outNorm;
    std::shared_ptr<Conv2d> m_outConv;
};

} // namespace easel::models
