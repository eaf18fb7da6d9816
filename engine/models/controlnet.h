#pragma once
/// ControlNet v1/v1.1 trunk (lllyasviel `cldm.py` ControlNet, keys without `control_model.`): a copy
/// of the UNet encoder (time_embed, label_emb, input_blocks, middle_block) plus input_hint_block,
/// zero_convs and middle_block_out. Produces the residuals UNet::forward adds. Engine thread only.

#include <optional>
#include <vector>

#include <torch/torch.h>

#include "engine/io/model_config.h"
#include "engine/models/unet.h"
#include "engine/models/unet_encoder.h"

namespace easel::models {

class ControlNet : public torch::nn::Module {
public:
    explicit ControlNet(const io::ControlNetConfig& config);

    /// hint [B, 3, 8h, 8w] control image in [0, 1]; other inputs as UNet::forward. Residuals are
    /// multiplied by `scale` (A1111 "Control Weight"), in x's dtype.
    ControlResiduals forward(const torch::Tensor& x, const torch::Tensor& hint, const torch::Tensor& timesteps,
                             const torch::Tensor& context, const std::optional<torch::Tensor>& y = std::nullopt,
                             double scale = 1.0) const;

private:
    UNetEncoder m_encoder;
    std::vector<std::shared_ptr<Conv2d>> m_hintConvs; ///< input_hint_block.0, .2, ... (SiLU between)
    std::vector<std::shared_ptr<Conv2d>> m_zeroConvs;
    std::shared_ptr<Conv2d> m_middleOut;
};

} // namespace easel::models
