#include "engine/models/vae_blocks.h"

#include "engine/models/attention.h"

namespace easel::models {

namespace F = torch::nn::functional;

VAEResnetBlock::VAEResnetBlock(int64_t in, int64_t out)
{
    m_norm1 = register_module("norm1", std::make_shared<GroupNorm>(32, in, kVAEGroupNormEps));
    m_conv1 = register_module("conv1", std::make_shared<Conv2d>(in, out, 3, 1, 1));
    m_norm2 = register_module("norm2", std::make_shared<GroupNorm>(32, out, kVAEGroupNormEps));
    m_conv2 = register_module("conv2", std::make_shared<Conv2d>(out, out, 3, 1, 1));
    if (in != out)
        m_shortcut = register_module("nin_shortcut", std::make_shared<Conv2d>(in, out, 1));
}

torch::Tensor VAEResnetBlock::forward(const torch::Tensor& x) const
{
    torch::Tensor h = m_conv1->forward(m_norm1->forwardSiLU(x));
    h = m_conv2->forward(m_norm2->forwardSiLU(h));
    return (m_shortcut ? m_shortcut->forward(x) : x) + h;
}

VAEAttnBlock::VAEAttnBlock(int64_t channels)
{
    m_norm = register_module("norm", std::make_shared<GroupNorm>(32, channels, kVAEGroupNormEps));
    m_q = register_module("q", std::make_shared<Conv2d>(channels, channels, 1));
    m_k = register_module("k", std::make_shared<Conv2d>(channels, channels, 1));
    m_v = register_module("v", std::make_shared<Conv2d>(channels, channels, 1));
    m_proj = register_module("proj_out", std::make_shared<Conv2d>(channels, channels, 1));
}

torch::Tensor VAEAttnBlock::forward(const torch::Tensor& x) const
{
    // Ref: LDM model.py AttnBlock: one head of width C over the h·w pixels, scale C^-1/2.
    const int64_t b = x.size(0), c = x.size(1), h = x.size(2), w = x.size(3);
    const torch::Tensor n = m_norm->forward(x);
    auto tokens = [](const torch::Tensor& y) { return y.flatten(2).transpose(1, 2); };
    const torch::Tensor a = multiHeadAttention(tokens(m_q->forward(n)), tokens(m_k->forward(n)),
                                               tokens(m_v->forward(n)), 1);
    return x + m_proj->forward(a.transpose(1, 2).reshape({b, c, h, w}));
}

VAEMid::VAEMid(int64_t channels)
{
    m_block1 = register_module("block_1", std::make_shared<VAEResnetBlock>(channels, channels));
    m_attn = register_module("attn_1", std::make_shared<VAEAttnBlock>(channels));
    m_block2 = register_module("block_2", std::make_shared<VAEResnetBlock>(channels, channels));
}

torch::Tensor VAEMid::forward(const torch::Tensor& x) const
{
    return m_block2->forward(m_attn->forward(m_block1->forward(x)));
}

VAELevel::VAELevel(int64_t in, int64_t out, int blocks, Resample resample) : m_resample(resample)
{
    auto slots = register_module("block", std::make_shared<Slots>());
    for (int i = 0; i < blocks; ++i) {
        m_blocks.push_back(slots->add(i, std::make_shared<VAEResnetBlock>(in, out)));
        in = out;
    }
    if (resample == Resample::Down) {
        auto holder = register_module("downsample", std::make_shared<Slots>());
        m_resampleConv = holder->register_module("conv", std::make_shared<Conv2d>(out, out, 3, 2, 0));
    } else if (resample == Resample::Up) {
        auto holder = register_module("upsample", std::make_shared<Slots>());
        m_resampleConv = holder->register_module("conv", std::make_shared<Conv2d>(out, out, 3, 1, 1));
    }
}

torch::Tensor VAELevel::forward(torch::Tensor x) const
{
    for (const auto& block : m_blocks)
        x = block->forward(x);
    if (m_resample == Resample::Down) {
        // Ref: LDM model.py Downsample: asymmetric pad (right, bottom) then stride-2 conv.
        x = m_resampleConv->forward(F::pad(x, F::PadFuncOptions({0, 1, 0, 1})));
    } else if (m_resample == Resample::Up) {
        const bool upcast = x.scalar_type() == torch::kHalf && x.device().is_cpu();
        torch::Tensor up = F::interpolate(upcast ? x.to(torch::kFloat32) : x,
                                          F::InterpolateFuncOptions().scale_factor(std::vector<double>{2.0, 2.0})
                                              .mode(torch::kNearest));
        x = m_resampleConv->forward(upcast ? up.to(x.scalar_type()) : up);
    }
    return x;
}

VAEEncoder::VAEEncoder(const io::VAEConfig& config)
{
    const size_t levels = config.chMult.size();
    m_convIn = register_module("conv_in", std::make_shared<Conv2d>(config.inChannels, config.ch, 3, 1, 1));
    auto down = register_module("down", std::make_shared<Slots>());
    int64_t in = config.ch;
    for (size_t i = 0; i < levels; ++i) {
        const int64_t out = static_cast<int64_t>(config.ch) * config.chMult[i];
        const auto resample = i + 1 < levels ? VAELevel::Resample::Down : VAELevel::Resample::None;
        m_levels.push_back(down->add(static_cast<int>(i),
                                     std::make_shared<VAELevel>(in, out, config.numResBlocks, resample)));
        in = out;
    }
    m_mid = register_module("mid", std::make_shared<VAEMid>(in));
    m_normOut = register_module("norm_out", std::make_shared<GroupNorm>(32, in, kVAEGroupNormEps));
    m_convOut = register_module("conv_out", std::make_shared<Conv2d>(in, 2 * config.zChannels, 3, 1, 1));
}

torch::Tensor VAEEncoder::forward(const torch::Tensor& x) const
{
    torch::Tensor h = m_convIn->forward(x);
    for (const auto& level : m_levels)
        h = level->forward(h);
    h = m_mid->forward(h);
    return m_convOut->forward(m_normOut->forwardSiLU(h));
}

VAEDecoder::VAEDecoder(const io::VAEConfig& config)
{
    const size_t levels = config.chMult.size();
    int64_t in = static_cast<int64_t>(config.ch) * config.chMult.back();
    m_convIn = register_module("conv_in", std::make_shared<Conv2d>(config.zChannels, in, 3, 1, 1));
    m_mid = register_module("mid", std::make_shared<VAEMid>(in));
    // Ref: LDM model.py Decoder: up[i] is built from the lowest resolution (i = last) to i = 0 and
    // has num_res_blocks + 1 resnets; every level but 0 ends with an upsample.
    m_levels.resize(levels);
    auto up = register_module("up", std::make_shared<Slots>());
    for (size_t i = levels; i-- > 0;) {
        const int64_t out = static_cast<int64_t>(config.ch) * config.chMult[i];
        const auto resample = i > 0 ? VAELevel::Resample::Up : VAELevel::Resample::None;
        m_levels[i] = std::make_shared<VAELevel>(in, out, config.numResBlocks + 1, resample);
        in = out;
    }
    for (size_t i = 0; i < levels; ++i)
        up->add(static_cast<int>(i), m_levels[i]);
    m_normOut = register_module("norm_out", std::make_shared<GroupNorm>(32, in, kVAEGroupNormEps));
    m_convOut = register_module("conv_out", std::make_shared<Conv2d>(in, config.outChannels, 3, 1, 1));
}

torch::Tensor VAEDecoder::forward(const torch::Tensor& z) const
{
    torch::Tensor h = m_mid->forward(m_convIn->forward(z));
    for (size_t i = m_levels.size(); i-- > 0;)
        h = m_levels[i]->forward(h);
    return m_convOut->forward(m_normOut->forwardSiLU(h));
}

} // namespace easel::models
