#include "engine/models/unet.h"

#include <algorithm>

namespace easel::models {

UNet::UNet(const io::UNetConfig& config) : m_encoder(UNetEncoder::build(*this, config))
{
    // Ref: LDM openaimodel UNetModel.__init__ (output_blocks loop): each level takes
    // num_res_blocks + 1 skips; the last block of every level but the top one upsamples.
    const int64_t mc = config.modelChannels;
    const int64_t embDim = config.timeEmbedDim();
    std::vector<int64_t> skips = m_encoder.skipChannels;
    int64_t ch = m_encoder.middleChannels;
    auto outputBlocks = register_module("output_blocks", std::make_shared<Slots>());
    for (size_t level = config.channelMult.size(); level-- > 0;) {
        const int64_t out = mc * config.channelMult[level];
        const bool attention =
            std::find(config.attentionLevels.begin(), config.attentionLevels.end(), static_cast<int>(level)) !=
                config.attentionLevels.end() &&
            (level >= config.transformerDepth.size() || config.transformerDepth[level] > 0);
        for (int i = 0; i <= config.numResBlocks; ++i) {
            const int64_t skip = skips.back();
            skips.pop_back();
            auto block = std::make_shared<TimestepBlock>();
            block->append(std::make_shared<ResBlock>(ch + skip, out, embDim));
            ch = out;
            if (attention) {
                const HeadLayout hl = headLayout(ch, config.numHeads, config.numHeadChannels);
                const int depth = level < config.transformerDepth.size() ? config.transformerDepth[level] : 1;
                block->append(std::make_shared<SpatialTransformer>(ch, hl.heads, hl.headDim, depth, config.contextDim,
                                                                   config.useLinearInTransformer));
            }
            if (level > 0 && i == config.numResBlocks)
                block->append(std::make_shared<Upsample>(ch));
            outputBlocks->add(static_cast<int>(m_outputBlocks.size()), block);
            m_outputBlocks.push_back(block);
        }
    }
    auto outLayers = register_module("out", std::make_shared<Slots>());
    m_outNorm = outLayers->add(0, std::make_shared<GroupNorm>(kGroups, ch, kUNetGroupNormEps));
    m_outConv = outLayers->add(2, std::make_shared<Conv2d>(mc, config.outChannels, 3, 1, 1));
}

torch::Tensor UNet::forward(const torch::Tensor& x, const torch::Tensor& timesteps, const torch::Tensor& context,
                            const std::optional<torch::Tensor>& y, const ControlResiduals* control,
                            ConvPadding padding) const
{
    const ConvPaddingScope paddingScope(padding);
    const torch::Tensor probe = m_outConv->parameters().front();
    const auto dtype = m_computeDtype.value_or(probe.scalar_type());
    const auto device = probe.device();
    const int64_t batch = x.size(0);
    if (control)
        TORCH_CHECK(control->down.size() == m_encoder.inputBlocks.size(), "ControlNet gives ", control->down.size(),
                    " residuals, the UNet has ", m_encoder.inputBlocks.size(), " skips");

    const torch::Tensor emb = m_encoder.embedding(timesteps.to(device), y, batch, dtype);
    const torch::Tensor ctx = context.to(device, dtype);
    torch::Tensor h = toTrunkLayout(x.to(device, dtype));
    std::vector<torch::Tensor> skips;
    skips.reserve(m_encoder.inputBlocks.size());
    for (const auto& block : m_encoder.inputBlocks) {
        h = block->forward(h, emb, ctx);
        skips.push_back(h);
    }
    h = m_encoder.middleBlock->forward(h, emb, ctx);
    // Ref: ControlNet cldm.py ControlledUnetModel.forward: mid residual on the middle output, down
    // residuals on the skips (popped from the end, like the skips).
    if (control && control->mid.defined())
        h = h + control->mid.to(device, dtype);
    for (size_t i = 0; i < m_outputBlocks.size(); ++i) {
        torch::Tensor skip = skips.back();
        skips.pop_back();
        if (control && control->down[skips.size()].defined())
            skip = skip + control->down[skips.size()].to(device, dtype);
        h = torch::cat({h, skip}, 1);
        std::optional<std::vector<int64_t>> upSize;
        if (!skips.empty())
            upSize = std::vector<int64_t>{skips.back().size(2), skips.back().size(3)};
        h = m_outputBlocks[i]->forward(h, emb, ctx, upSize);
    }
    h = m_outConv->forward(m_outNorm->forwardSiLU(h));
    return h.to(x.scalar_type()).contiguous();
}

} // namespace easel::models
