#include "engine/models/unet_encoder.h"

#include <algorithm>

#include "engine/api/error.h"
#include "engine/models/timestep_embedding.h"

namespace easel::models {

namespace {

bool levelHasAttention(const io::UNetConfig& config, size_t level)
{
    const bool listed = std::find(config.attentionLevels.begin(), config.attentionLevels.end(),
                                  static_cast<int>(level)) != config.attentionLevels.end();
    const int depth = level < config.transformerDepth.size() ? config.transformerDepth[level] : 1;
    return listed && depth > 0;
}

} // namespace

UNetEncoder UNetEncoder::build(torch::nn::Module& owner, const io::UNetConfig& config)
{
    if (config.channelMult.empty() || config.numResBlocks < 1 || config.modelChannels % kGroups != 0)
        throw api::Error(api::ErrorCode::UnsupportedFormat, "UNet configuration is not supported (channel list empty "
                                                            "or widths not a multiple of 32)");
    UNetEncoder e;
    e.config = config;
    const int64_t mc = config.modelChannels;
    const int64_t embDim = config.timeEmbedDim();
    auto timeEmbed = owner.register_module("time_embed", std::make_shared<Slots>());
    e.timeEmbed0 = timeEmbed->add(0, std::make_shared<Linear>(mc, embDim));
    e.timeEmbed2 = timeEmbed->add(2, std::make_shared<Linear>(embDim, embDim));
    if (config.admInChannels > 0) {
        // Ref: sgm openaimodel num_classes == "sequential": label_emb = Sequential(Sequential(Linear, SiLU, Linear)).
        auto labelEmb = owner.register_module("label_emb", std::make_shared<Slots>());
        auto inner = labelEmb->add(0, std::make_shared<Slots>());
        e.labelEmb0 = inner->add(0, std::make_shared<Linear>(config.admInChannels, embDim));
        e.labelEmb2 = inner->add(2, std::make_shared<Linear>(embDim, embDim));
    }

    auto inputBlocks = owner.register_module("input_blocks", std::make_shared<Slots>());
    auto addInput = [&](std::shared_ptr<TimestepBlock> block, int64_t channels) {
        inputBlocks->add(static_cast<int>(e.inputBlocks.size()), block);
        e.inputBlocks.push_back(std::move(block));
        e.skipChannels.push_back(channels);
    };
    auto first = std::make_shared<TimestepBlock>();
    first->append(std::make_shared<Conv2d>(config.inChannels, mc, 3, 1, 1));
    addInput(first, mc);

    // Ref: LDM openaimodel UNetModel.__init__ (input_blocks loop).
    int64_t ch = mc;
    const size_t levels = config.channelMult.size();
    for (size_t level = 0; level < levels; ++level) {
        const int64_t out = mc * config.channelMult[level];
        for (int r = 0; r < config.numResBlocks; ++r) {
            auto block = std::make_shared<TimestepBlock>();
            block->append(std::make_shared<ResBlock>(ch, out, embDim));
            ch = out;
            if (levelHasAttention(config, level)) {
                const HeadLayout hl = headLayout(ch, config.numHeads, config.numHeadChannels);
                block->append(std::make_shared<SpatialTransformer>(ch, hl.heads, hl.headDim, config.transformerDepth[level],
                                                                   config.contextDim, config.useLinearInTransformer));
            }
            addInput(block, ch);
        }
        if (level + 1 != levels) {
            auto block = std::make_shared<TimestepBlock>();
            block->append(std::make_shared<Downsample>(ch));
            addInput(block, ch);
        }
    }

    e.middleBlock = owner.register_module("middle_block", std::make_shared<TimestepBlock>());
    e.middleBlock->append(std::make_shared<ResBlock>(ch, ch, embDim));
    if (config.transformerDepthMiddle > 0) {
        const HeadLayout hl = headLayout(ch, config.numHeads, config.numHeadChannels);
        e.middleBlock->append(std::make_shared<SpatialTransformer>(ch, hl.heads, hl.headDim, config.transformerDepthMiddle,
                                                                   config.contextDim, config.useLinearInTransformer));
    }
    e.middleBlock->append(std::make_shared<ResBlock>(ch, ch, embDim));
    e.middleChannels = ch;
    return e;
}

torch::Tensor UNetEncoder::embedding(const torch::Tensor& timesteps, const std::optional<torch::Tensor>& y,
                                     int64_t batch, torch::ScalarType dtype) const
{
    torch::Tensor t = timesteps.reshape({-1});
    if (t.size(0) == 1 && batch > 1)
        t = t.expand({batch});
    TORCH_CHECK(t.size(0) == batch, "timesteps: expected 1 or ", batch, " values, got ", t.size(0));
    const torch::Device device = timeEmbed0->parameters().front().device();
    const torch::Tensor sinusoid = timestepEmbedding(t.to(device), config.modelChannels).to(dtype);
    torch::Tensor emb = timeEmbed2->forward(torch::silu(timeEmbed0->forward(sinusoid)));
    if (labelEmb0) {
        TORCH_CHECK(y && y->defined(), "this UNet (SDXL) needs the adm vector y (pooled text + size conditioning)");
        TORCH_CHECK(y->size(0) == batch, "y batch ", y->size(0), " != ", batch);
        emb = emb + labelEmb2->forward(torch::silu(labelEmb0->forward(y->to(device, dtype))));
    }
    return emb;
}

} // namespace easel::models
