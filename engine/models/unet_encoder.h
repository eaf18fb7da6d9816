#pragma once
/// The half of the LDM UNet that the UNet and the ControlNet share: time_embed, label_emb (SDXL),
/// input_blocks and middle_block, registered into the owning module under the checkpoint names.
/// Engine thread only.

#include <optional>
#include <vector>

#include <torch/torch.h>

#include "engine/io/model_config.h"
#include "engine/models/unet_blocks.h"

namespace easel::models {

struct UNetEncoder {
    /// Registers the modules into `owner` and returns handles to them.
    static UNetEncoder build(torch::nn::Module& owner, const io::UNetConfig& config);

    /// time_embed(sinusoid(t)) + label_emb(y): [B, 4·model_channels] in `dtype`. t is 0-dim, [1] or
    /// [batch] (int or float); y is required exactly when the config has adm channels.
    torch::Tensor embedding(const torch::Tensor& timesteps, const std::optional<torch::Tensor>& y, int64_t batch,
                            torch::ScalarType dtype) const;

    io::UNetConfig config;
    std::shared_ptr<Linear> timeEmbed0, timeEmbed2, labelEmb0, labelEmb2;
    std::vector<std::shared_ptr<TimestepBlock>> inputBlocks;
    std::shared_ptr<TimestepBlock> middleBlock;
    std::vector<int64_t> skipChannels; ///< output width of each input block, in skip order
    int64_t middleChannels = 0;
};

} // namespace easel::models
