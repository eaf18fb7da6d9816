#include "engine/text/open_clip_text_model.h"

namespace easel::text {

namespace {
constexpr double kLayerNormEps = 1e-5;

torch::nn::LayerNorm layerNorm(int width)
{
    return torch::nn::LayerNorm(torch::nn::LayerNormOptions({width}).eps(kLayerNormEps));
}
} // namespace

OpenCLIPAttentionImpl::OpenCLIPAttentionImpl(int hidden, int heads_)
    : in_proj_weight(register_parameter("in_proj_weight", torch::empty({3 * hidden, hidden})))
    , in_proj_bias(register_parameter("in_proj_bias", torch::zeros({3 * hidden})))
    , out_proj(register_module("out_proj", torch::nn::Linear(hidden, hidden)))
    , heads(heads_)
{
}

torch::Tensor OpenCLIPAttentionImpl::forward(const torch::Tensor& x)
{
    // One projection for q, k and v (rows q; k; v), then the same attention as HF CLIP.
    const std::vector<torch::Tensor> qkv = torch::linear(x, in_proj_weight, in_proj_bias).chunk(3, -1);
    return out_proj(causalSelfAttention(qkv[0], qkv[1], qkv[2], heads));
}

OpenCLIPMLPImpl::OpenCLIPMLPImpl(int hidden, int inner, bool quickGelu_)
    : c_fc(register_module("c_fc", torch::nn::Linear(hidden, inner)))
    , c_proj(register_module("c_proj", torch::nn::Linear(inner, hidden)))
    , quickGelu(quickGelu_)
{
}

torch::Tensor OpenCLIPMLPImpl::forward(const torch::Tensor& x)
{
    return c_proj(clipActivation(c_fc(x), quickGelu));
}

OpenCLIPResidualBlockImpl::OpenCLIPResidualBlockImpl(const io::TextEncoderConfig& config)
    : ln_1(register_module("ln_1", layerNorm(config.hidden)))
    , ln_2(register_module("ln_2", layerNorm(config.hidden)))
    , attn(register_module("attn", OpenCLIPAttention(config.hidden, config.heads)))
    , mlp(register_module("mlp", OpenCLIPMLP(config.hidden, config.mlp, config.quickGelu)))
{
}

torch::Tensor OpenCLIPResidualBlockImpl::forward(const torch::Tensor& x)
{
    torch::Tensor h = x + attn(ln_1(x));
    return h + mlp(ln_2(h));
}

OpenCLIPTransformerImpl::OpenCLIPTransformerImpl(const io::TextEncoderConfig& config)
{
    for (int i = 0; i < config.layers; ++i)
        resblocks->push_back(OpenCLIPResidualBlock(config));
    register_module("resblocks", resblocks);
}

OpenCLIPTextModel::OpenCLIPTextModel(const io::TextEncoderConfig& config)
    : TextEncoder(config)
{
    m_tokenEmbedding = register_module("token_embedding", torch::nn::Embedding(config.vocabSize, config.hidden));
    m_positionalEmbedding = register_parameter("positional_embedding", torch::zeros({config.maxPositions, config.hidden}));
    m_transformer = register_module("transformer", OpenCLIPTransformer(config));
    m_lnFinal = register_module("ln_final", layerNorm(config.hidden));
    // Real ViT-H and bigG files always carry the projection and logit scale, even though SD2 uses
    // neither: they are parameters here so that loading accounts for every key.
    const int projection = config.projectionDim > 0 ? config.projectionDim : config.hidden;
    m_textProjection = register_parameter("text_projection", torch::zeros({config.hidden, projection}));
    m_logitScale = register_parameter("logit_scale", torch::zeros({}));
}

TextEncoderOutput OpenCLIPTextModel::encode(const torch::Tensor& ids, const TextEncodeOptions& options)
{
    const int layers = layersToRun(options);
    const torch::Tensor tokenIds = ids.to(device());
    const int64_t tokens = tokenIds.size(1);

    TextEncoderOutput out;
    torch::Tensor x = embedTokens(m_tokenEmbedding, tokenIds, options.overrides) +
        m_positionalEmbedding.slice(0, 0, tokens).unsqueeze(0);
    out.hiddenStates.push_back(x);
    for (int i = 0; i < layers; ++i) {
        x = m_transformer->resblocks->ptr<OpenCLIPResidualBlockImpl>(i)->forward(x);
        out.hiddenStates.push_back(x);
    }

    if (options.pooled) {
        // Ref: open_clip text_global_pool(pool_type="argmax") then `@ text_projection`.
        const torch::Tensor last = m_lnFinal(x);
        const torch::Tensor eos = idsWithoutOverrides(tokenIds, options.overrides).argmax(-1);
        const torch::Tensor rows = torch::arange(last.size(0), eos.options());
        out.pooled = torch::matmul(last.index({rows, eos}), m_textProjection);
    }
    return out;
}

torch::Tensor OpenCLIPTextModel::finalNorm(const torch::Tensor& hidden)
{
    return m_lnFinal(hidden);
}

} // namespace easel::text
