#include "engine/models/unet_blocks.h"

#include "engine/models/attention.h"
#include "engine/models/fast_path.h"
#include "engine/models/profile.h"

namespace easel::models {

namespace F = torch::nn::functional;

ResBlock::ResBlock(int64_t in, int64_t out, int64_t embDim)
{
    auto inLayers = register_module("in_layers", std::make_shared<Slots>());
    m_inNorm = inLayers->add(0, std::make_shared<GroupNorm>(kGroups, in, kUNetGroupNormEps));
    m_inConv = inLayers->add(2, std::make_shared<Conv2d>(in, out, 3, 1, 1));
    auto embLayers = register_module("emb_layers", std::make_shared<Slots>());
    m_embProj = embLayers->add(1, std::make_shared<Linear>(embDim, out));
    auto outLayers = register_module("out_layers", std::make_shared<Slots>());
    m_outNorm = outLayers->add(0, std::make_shared<GroupNorm>(kGroups, out, kUNetGroupNormEps));
    m_outConv = outLayers->add(3, std::make_shared<Conv2d>(out, out, 3, 1, 1));
    if (in != out)
        m_skip = register_module("skip_connection", std::make_shared<Conv2d>(in, out, 1));
}

torch::Tensor ResBlock::forward(const torch::Tensor& x, const torch::Tensor& emb) const
{
    // Ref: LDM openaimodel ResBlock._forward (use_scale_shift_norm=False).
    torch::Tensor h = m_inConv->forward(m_inNorm->forwardSiLU(x));
    h = h + m_embProj->forward(torch::silu(emb)).unsqueeze(-1).unsqueeze(-1);
    h = m_outConv->forward(m_outNorm->forwardSiLU(h));
    return (m_skip ? m_skip->forward(x) : x) + h;
}

CrossAttention::CrossAttention(int64_t queryDim, int64_t contextDim, int64_t heads, int64_t headDim)
    : m_heads(heads)
{
    const int64_t inner = heads * headDim;
    m_q = register_module("to_q", std::make_shared<Linear>(queryDim, inner, false));
    m_k = register_module("to_k", std::make_shared<Linear>(contextDim, inner, false));
    m_v = register_module("to_v", std::make_shared<Linear>(contextDim, inner, false));
    auto toOut = register_module("to_out", std::make_shared<Slots>());
    m_out = toOut->add(0, std::make_shared<Linear>(inner, queryDim));
}

torch::Tensor CrossAttention::forward(const torch::Tensor& x, const torch::Tensor& context) const
{
    const torch::Tensor& ctx = context.defined() ? context : x;
    return m_out->forward(multiHeadAttention(m_q->forward(x), m_k->forward(ctx), m_v->forward(ctx), m_heads));
}

FeedForward::FeedForward(int64_t dim, int64_t mult)
{
    auto net = register_module("net", std::make_shared<Slots>());
    auto geglu = net->add(0, std::make_shared<Slots>());
    m_proj = geglu->register_module("proj", std::make_shared<Linear>(dim, dim * mult * 2));
    m_outProj = net->add(2, std::make_shared<Linear>(dim * mult, dim));
}

torch::Tensor FeedForward::forward(const torch::Tensor& x) const
{
    // Ref: LDM attention.py GEGLU: value, gate = proj(x).chunk(2); value * gelu(gate) (exact erf GELU).
    const auto parts = m_proj->forward(x).chunk(2, -1);
    torch::Tensor gated;
    {
        ProfileScope scope("geglu");
        gated = parts[0] * F::gelu(parts[1]);
    }
    return m_outProj->forward(gated);
}

BasicTransformerBlock::BasicTransformerBlock(int64_t dim, int64_t contextDim, int64_t heads, int64_t headDim)
{
    m_attn1 = register_module("attn1", std::make_shared<CrossAttention>(dim, dim, heads, headDim));
    m_ff = register_module("ff", std::make_shared<FeedForward>(dim));
    m_attn2 = register_module("attn2", std::make_shared<CrossAttention>(dim, contextDim, heads, headDim));
    m_norm1 = register_module("norm1", std::make_shared<LayerNorm>(dim));
    m_norm2 = register_module("norm2", std::make_shared<LayerNorm>(dim));
    m_norm3 = register_module("norm3", std::make_shared<LayerNorm>(dim));
}

torch::Tensor BasicTransformerBlock::forward(torch::Tensor x, const torch::Tensor& context) const
{
    x = m_attn1->forward(m_norm1->forward(x)) + x;
    x = m_attn2->forward(m_norm2->forward(x), context) + x;
    return m_ff->forward(m_norm3->forward(x)) + x;
}

SpatialTransformer::SpatialTransformer(int64_t channels, int64_t heads, int64_t headDim, int64_t depth,
                                       int64_t contextDim, bool linearProjection)
    : m_linear(linearProjection)
{
    const int64_t inner = heads * headDim;
    m_norm = register_module("norm", std::make_shared<GroupNorm>(kGroups, channels, kTransformerGroupNormEps));
    if (m_linear)
        m_projIn = register_module("proj_in", std::make_shared<Linear>(channels, inner));
    else
        m_projIn = register_module("proj_in", std::make_shared<Conv2d>(channels, inner, 1));
    auto blocks = register_module("transformer_blocks", std::make_shared<Slots>());
    for (int64_t i = 0; i < depth; ++i)
        m_blocks.push_back(
            blocks->add(static_cast<int>(i), std::make_shared<BasicTransformerBlock>(inner, contextDim, heads, headDim)));
    if (m_linear)
        m_projOut = register_module("proj_out", std::make_shared<Linear>(inner, channels));
    else
        m_projOut = register_module("proj_out", std::make_shared<Conv2d>(inner, channels, 1));
}

torch::Tensor SpatialTransformer::forward(const torch::Tensor& x, const torch::Tensor& context) const
{
    // Ref: LDM attention.py SpatialTransformer.forward (linear: project after flattening).
    const int64_t b = x.size(0), h = x.size(2), w = x.size(3);
    torch::Tensor t = m_norm->forward(x);
    auto toTokens = [&](const torch::Tensor& y) { return y.flatten(2).transpose(1, 2); }; // [B, HW, C]
    if (m_linear) {
        t = std::static_pointer_cast<Linear>(m_projIn)->forward(toTokens(t));
    } else {
        t = toTokens(std::static_pointer_cast<Conv2d>(m_projIn)->forward(t));
    }
    for (const auto& block : m_blocks)
        t = block->forward(t, context);
    auto toMap = [&](const torch::Tensor& y) { return y.transpose(1, 2).reshape({b, y.size(2), h, w}); };
    if (m_linear) {
        t = toMap(std::static_pointer_cast<Linear>(m_projOut)->forward(t));
    } else {
        t = std::static_pointer_cast<Conv2d>(m_projOut)->forward(toMap(t));
    }
    return t + x;
}

Downsample::Downsample(int64_t channels)
{
    m_op = register_module("op", std::make_shared<Conv2d>(channels, channels, 3, 2, 1));
}

Upsample::Upsample(int64_t channels)
{
    m_conv = register_module("conv", std::make_shared<Conv2d>(channels, channels, 3, 1, 1));
}

torch::Tensor Upsample::forward(const torch::Tensor& x, std::optional<std::vector<int64_t>> size) const
{
    auto options = F::InterpolateFuncOptions().mode(torch::kNearest);
    if (size)
        options.size(*size);
    else
        options.scale_factor(std::vector<double>{2.0, 2.0});
    // Nearest upsampling of half tensors is not implemented on CPU in 1.13.
    const bool upcast = x.scalar_type() == torch::kHalf && x.device().is_cpu();
    torch::Tensor up = F::interpolate(upcast ? x.to(torch::kFloat32) : x, options);
    return m_conv->forward(upcast ? up.to(x.scalar_type()) : up);
}

HeadLayout headLayout(int64_t channels, int numHeads, int numHeadChannels)
{
    if (numHeadChannels > 0)
        return {channels / numHeadChannels, numHeadChannels};
    TORCH_CHECK(numHeads > 0, "UNet config has neither numHeads nor numHeadChannels");
    return {numHeads, channels / numHeads};
}

torch::Tensor TimestepBlock::forward(torch::Tensor x, const torch::Tensor& emb, const torch::Tensor& context,
                                     std::optional<std::vector<int64_t>> upsampleSize) const
{
    for (const Layer& layer : m_layers) {
        if (auto* res = std::get_if<std::shared_ptr<ResBlock>>(&layer))
            x = (*res)->forward(x, emb);
        else if (auto* st = std::get_if<std::shared_ptr<SpatialTransformer>>(&layer))
            x = (*st)->forward(x, context);
        else if (auto* down = std::get_if<std::shared_ptr<Downsample>>(&layer))
            x = (*down)->forward(x);
        else if (auto* up = std::get_if<std::shared_ptr<Upsample>>(&layer))
            x = (*up)->forward(x, upsampleSize);
        else
            x = std::get<std::shared_ptr<Conv2d>>(layer)->forward(x);
    }
    return x;
}

} // namespace easel::models
