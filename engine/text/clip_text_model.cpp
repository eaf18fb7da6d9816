#include "engine/text/clip_text_model.h"

namespace easel::text {

namespace {
constexpr double kLayerNormEps = 1e-5;

torch::nn::LayerNorm layerNorm(int width)
{
    return torch::nn::LayerNorm(torch::nn::LayerNormOptions({width}).eps(kLayerNormEps));
}
} // namespace

CLIPAttentionImpl::CLIPAttentionImpl(int hidden, int heads_)
    : q_proj(register_module("q_proj", torch::nn::Linear(hidden, hidden)))
    , k_proj(register_module("k_proj", torch::nn::Linear(hidden, hidden)))
    , v_proj(register_module("v_proj", torch::nn::Linear(hidden, hidden)))
    , out_proj(register_module("out_proj", torch::nn::Linear(hidden, hidden)))
    , heads(heads_)
{
}

torch::Tensor CLIPAttentionImpl::forward(const torch::Tensor& x)
{
    return out_proj(causalSelfAttention(q_proj(x), k_proj(x), v_proj(x), heads));
}

CLIPMLPImpl::CLIPMLPImpl(int hidden, int inner, bool quickGelu_)
    : fc1(register_module("fc1", torch::nn::Linear(hidden, inner)))
    , fc2(register_module("fc2", torch::nn::Linear(inner, hidden)))
    , quickGelu(quickGelu_)
{
}

torch::Tensor CLIPMLPImpl::forward(const torch::Tensor& x)
{
    return fc2(clipActivation(fc1(x), quickGelu));
}

CLIPEncoderLayerImpl::CLIPEncoderLayerImpl(const io::TextEncoderConfig& config)
    : self_attn(register_module("self_attn", CLIPAttention(config.hidden, config.heads)))
    , layer_norm1(register_module("layer_norm1", layerNorm(config.hidden)))
    , layer_norm2(register_module("layer_norm2", layerNorm(config.hidden)))
    , mlp(register_module("mlp", CLIPMLP(config.hidden, config.mlp, config.quickGelu)))
{
}

torch::Tensor CLIPEncoderLayerImpl::forward(const torch::Tensor& x)
{
    torch::Tensor h = x + self_attn(layer_norm1(x));
    return h + mlp(layer_norm2(h));
}

CLIPTextEmbeddingsImpl::CLIPTextEmbeddingsImpl(const io::TextEncoderConfig& config)
    : token_embedding(register_module("token_embedding", torch::nn::Embedding(config.vocabSize, config.hidden)))
    , position_embedding(
          register_module("position_embedding", torch::nn::Embedding(config.maxPositions, config.hidden)))
{
}

CLIPEncoderImpl::CLIPEncoderImpl(const io::TextEncoderConfig& config)
{
    for (int i = 0; i < config.layers; ++i)
        layers->push_back(CLIPEncoderLayer(config));
    register_module("layers", layers);
}

CLIPTextModel::CLIPTextModel(const io::TextEncoderConfig& config)
    : TextEncoder(config)
{
    m_embeddings = register_module("embeddings", CLIPTextEmbeddings(config));
    m_encoder = register_module("encoder", CLIPEncoder(config));
    m_finalLayerNorm = register_module("final_layer_norm", layerNorm(config.hidden));
    if (config.hasTextProjection)
        m_textProjection = register_module(
            "text_projection",
            torch::nn::Linear(torch::nn::LinearOptions(config.hidden, config.projectionDim).bias(false)));
}

std::string CLIPTextModel::parameterName(const std::string& fileKey) const
{
    static const std::string kTextModel = "text_model.";
    std::string key = fileKey.rfind(kTextModel, 0) == 0 ? fileKey.substr(kTextModel.size()) : fileKey;
    if (key == "embeddings.position_ids")
        return {};
    return key;
}

TextEncoderOutput CLIPTextModel::encode(const torch::Tensor& ids, const TextEncodeOptions& options)
{
    const int layers = layersToRun(options);
    const torch::Tensor tokenIds = ids.to(device());
    const int64_t tokens = tokenIds.size(1);

    TextEncoderOutput out;
    const torch::Tensor positions = torch::arange(tokens, torch::TensorOptions().dtype(torch::kLong).device(device()));
    torch::Tensor x = embedTokens(m_embeddings->token_embedding, tokenIds, options.overrides) +
        m_embeddings->position_embedding(positions).unsqueeze(0);
    out.hiddenStates.push_back(x);
    for (int i = 0; i < layers; ++i) {
        x = m_encoder->layers->ptr<CLIPEncoderLayerImpl>(i)->forward(x);
        out.hiddenStates.push_back(x);
    }

    if (options.pooled) {
        // Ref: transformers CLIPTextTransformer (eos_token_id == 2 legacy path): the first
        // position of the largest id, i.e. the first EOS.
        const torch::Tensor last = m_finalLayerNorm(x);
        const torch::Tensor eos = idsWithoutOverrides(tokenIds, options.overrides).argmax(-1);
        const torch::Tensor rows = torch::arange(last.size(0), eos.options());
        out.pooled = last.index({rows, eos});
        if (m_textProjection)
            out.pooled = m_textProjection(out.pooled);
    }
    return out;
}

torch::Tensor CLIPTextModel::finalNorm(const torch::Tensor& hidden)
{
    return m_finalLayerNorm(hidden);
}

} // namespace easel::text
