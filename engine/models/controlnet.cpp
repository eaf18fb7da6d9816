#include "engine/models/controlnet.h"

#include "engine/api/error.h"
#include "engine/models/conv_padding.h"

namespace easel::models {

ControlNet::ControlNet(const io::ControlNetConfig& config) : m_encoder(UNetEncoder::build(*this, config.unet))
{
    if (config.hintBlockChannels.empty())
        throw api::Error(api::ErrorCode::UnsupportedFormat, "ControlNet configuration has no hint block widths");
    // Ref: ControlNet cldm.py input_hint_block / diffusers ControlNetConditioningEmbedding: per width
    // a 3x3 conv, then a stride-2 conv to the next width; finally a conv to model_channels.
    auto hint = register_module("input_hint_block", std::make_shared<Slots>());
    const std::vector<int>& widths = config.hintBlockChannels;
    int64_t in = config.hintChannels;
    int index = 0;
    auto addConv = [&](int64_t out, int64_t stride) {
        m_hintConvs.push_back(hint->add(index, std::make_shared<Conv2d>(in, out, 3, stride, 1)));
        index += 2;
        in = out;
    };
    addConv(widths[0], 1);
    for (size_t i = 0; i + 1 < widths.size(); ++i) {
        addConv(widths[i], 1);
        addConv(widths[i + 1], 2);
    }
    addConv(config.unet.modelChannels, 1);

    auto zeroConvs = register_module("zero_convs", std::make_shared<Slots>());
    for (size_t i = 0; i < m_encoder.skipChannels.size(); ++i) {
        const int64_t ch = m_encoder.skipChannels[i];
        auto holder = zeroConvs->add(static_cast<int>(i), std::make_shared<Slots>());
        m_zeroConvs.push_back(holder->add(0, std::make_shared<Conv2d>(ch, ch, 1)));
    }
    auto middleOut = register_module("middle_block_out", std::make_shared<Slots>());
    m_middleOut = middleOut->add(0, std::make_shared<Conv2d>(m_encoder.middleChannels, m_encoder.middleChannels, 1));
}

ControlResiduals ControlNet::forward(const torch::Tensor& x, const torch::Tensor& hint, const torch::Tensor& timesteps,
                                     const torch::Tensor& context, const std::optional<torch::Tensor>& y,
                                     double scale) const
{
    // Zero padding always, whatever the caller's mode: A1111's "Tiling" reaches only the
    // checkpoint's own modules, and the ControlNet extension loads its model apart from them.
    const ConvPaddingScope paddingScope(ConvPadding::Zeros);
    const torch::Tensor probe = m_middleOut->parameters().front();
    const auto dtype = probe.scalar_type();
    const auto device = probe.device();
    const torch::Tensor emb = m_encoder.embedding(timesteps.to(device), y, x.size(0), dtype);
    const torch::Tensor ctx = context.to(device, dtype);

    torch::Tensor guided = hint.to(device, dtype);
    for (size_t i = 0; i < m_hintConvs.size(); ++i) {
        guided = m_hintConvs[i]->forward(guided);
        if (i + 1 < m_hintConvs.size())
            guided = torch::silu(guided);
    }
    // Ref: cldm.py ControlNet.forward: the hint features join after the first input block (conv_in).
    ControlResiduals out;
    torch::Tensor h = x.to(device, dtype);
    for (size_t i = 0; i < m_encoder.inputBlocks.size(); ++i) {
        h = m_encoder.inputBlocks[i]->forward(h, emb, ctx);
        if (i == 0)
            h = h + guided;
        out.down.push_back((m_zeroConvs[i]->forward(h) * scale).to(x.scalar_type()));
    }
    h = m_encoder.middleBlock->forward(h, emb, ctx);
    out.mid = (m_middleOut->forward(h) * scale).to(x.scalar_type());
    return out;
}

} // namespace easel::models
