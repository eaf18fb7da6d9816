#include "engine/text/text_encoder.h"

#include <cmath>
#include <limits>
#include <sstream>

#include "engine/api/error.h"
#include "engine/io/state_dict.h"
#include "engine/text/clip_text_model.h"
#include "engine/text/open_clip_text_model.h"

namespace easel::text {

namespace {

std::string shapeString(const torch::Tensor& t)
{
    std::ostringstream out;
    out << t.sizes();
    return out.str();
}

/// "a, b, c (and 12 more)": keeps error messages readable when a whole layer is off.
std::string keyList(const std::vector<std::string>& keys)
{
    constexpr size_t kShown = 6;
    std::string out;
    for (size_t i = 0; i < keys.size() && i < kShown; ++i)
        out += (i ? ", " : "") + keys[i];
    if (keys.size() > kShown)
        out += " (and " + std::to_string(keys.size() - kShown) + " more)";
    return out;
}

} // namespace

void TextEncoder::loadWeights(const TensorMap& weights, const std::string& path,
                              std::optional<torch::ScalarType> dtype)
{
    std::map<std::string, const torch::Tensor*> byParameter;
    std::vector<std::string> unexpected;
    for (const auto& [key, tensor] : weights) {
        const std::string name = parameterName(key);
        if (name.empty())
            continue; // declared unused by the layout (e.g. HF position_ids buffer)
        byParameter[name] = &tensor;
    }

    auto parameters = named_parameters(/*recurse=*/true);
    std::vector<std::string> missing;
    std::vector<std::string> mismatched;
    for (const auto& item : parameters) {
        auto found = byParameter.find(item.key());
        if (found == byParameter.end()) {
            if (!optionalParameter(item.key()))
                missing.push_back(item.key());
            continue;
        }
        if (found->second->sizes() != item.value().sizes())
            mismatched.push_back(item.key() + " " + shapeString(*found->second) + " (expected "
                                 + shapeString(item.value()) + ")");
    }
    std::set<std::string> known;
    for (const auto& item : parameters)
        known.insert(item.key());
    for (const auto& [name, tensor] : byParameter)
        if (!known.count(name))
            unexpected.push_back(name);

    if (!missing.empty() || !mismatched.empty() || !unexpected.empty()) {
        std::string message = "The text encoder weights do not fit a CLIP text model with " +
            std::to_string(m_config.layers) + " layers of width " + std::to_string(m_config.hidden) + ".";
        if (!missing.empty())
            message += " Missing: " + keyList(missing) + ".";
        if (!mismatched.empty())
            message += " Wrong shape: " + keyList(mismatched) + ".";
        if (!unexpected.empty())
            message += " Unexpected: " + keyList(unexpected) + ".";
        message += " The file may be damaged or of another model family; check the model type.";
        throw api::Error(api::ErrorCode::IncompatibleModel, message, path);
    }

    // One dtype for the whole network: mixed-precision files (fp32 norms beside fp16 weights)
    // would otherwise fail in the first matmul.
    torch::ScalarType target = dtype.value_or(torch::kFloat32);
    if (!dtype) {
        for (const auto& item : parameters)
            if (item.key().find("token_embedding") != std::string::npos)
                target = byParameter.at(item.key())->scalar_type();
    }
    torch::NoGradGuard noGrad;
    for (auto& item : parameters) {
        auto found = byParameter.find(item.key());
        const torch::Tensor& source = found == byParameter.end() ? item.value() : *found->second;
        item.value().set_data(source.to(item.value().device(), target).contiguous());
    }
}

torch::Device TextEncoder::device() const
{
    const auto params = parameters();
    return params.empty() ? torch::Device(torch::kCPU) : params.front().device();
}

torch::ScalarType TextEncoder::dtype() const
{
    const auto params = parameters();
    return params.empty() ? torch::kFloat32 : params.front().scalar_type();
}

int TextEncoder::layersToRun(const TextEncodeOptions& options) const
{
    if (options.layers < 0 || options.pooled)
        return m_config.layers;
    if (options.layers > m_config.layers)
        throw api::Error(api::ErrorCode::InvalidRequest,
                         "Asked for " + std::to_string(options.layers) + " text encoder layers but the model has " +
                             std::to_string(m_config.layers) + ". Use a smaller CLIP skip.");
    return options.layers;
}

torch::Tensor TextEncoder::idsWithoutOverrides(const torch::Tensor& ids,
                                               const std::vector<TokenEmbeddingOverride>& overrides)
{
    if (overrides.empty())
        return ids.to(torch::kLong);
    torch::Tensor out = ids.to(torch::kLong).clone();
    for (const auto& o : overrides) {
        const int64_t end = std::min<int64_t>(out.size(1), o.position + o.vectors.size(0));
        if (o.position < end)
            out.index_put_({o.batchIndex, torch::indexing::Slice(o.position, end)}, 0);
    }
    return out;
}

torch::Tensor TextEncoder::embedTokens(const torch::nn::Embedding& table, const torch::Tensor& ids,
                                       const std::vector<TokenEmbeddingOverride>& overrides) const
{
    torch::Tensor x = torch::embedding(table->weight, idsWithoutOverrides(ids, overrides));
    if (overrides.empty())
        return x;
    x = x.clone();
    for (const auto& o : overrides) {
        if (o.vectors.dim() != 2 || o.vectors.size(1) != x.size(2))
            throw api::Error(api::ErrorCode::IncompatibleModel,
                             "A textual-inversion embedding has vectors of width " +
                                 std::to_string(o.vectors.dim() == 2 ? o.vectors.size(1) : -1) +
                                 " but this text encoder expects " + std::to_string(x.size(2)) +
                                 ". Use an embedding trained for this model family.");
        if (o.batchIndex < 0 || o.batchIndex >= x.size(0) || o.position < 0)
            throw api::Error(api::ErrorCode::InvalidRequest, "Embedding slot outside the token window.");
        // Ref: A1111 EmbeddingsWithFixes: emb_len = min(window - offset, vectors).
        const int64_t count = std::min<int64_t>(x.size(1) - o.position, o.vectors.size(0));
        if (count <= 0)
            continue;
        x.index_put_({o.batchIndex, torch::indexing::Slice(o.position, o.position + count)},
                     o.vectors.slice(0, 0, count).to(x.device(), x.scalar_type()));
    }
    return x;
}

torch::Tensor causalSelfAttention(const torch::Tensor& q, const torch::Tensor& k, const torch::Tensor& v,
                                  int heads)
{
    const int64_t batch = q.size(0), tokens = q.size(1), width = q.size(2);
    const int64_t headDim = width / heads;
    auto split = [&](const torch::Tensor& t) { return t.view({batch, tokens, heads, headDim}).transpose(1, 2); };
    const double scale = 1.0 / std::sqrt(static_cast<double>(headDim));
    torch::Tensor scores = torch::matmul(split(q) * scale, split(k).transpose(-2, -1));
    // Token i attends to tokens 0..i only (CLIP's causal mask).
    const torch::Tensor future =
        torch::ones({tokens, tokens}, torch::TensorOptions().dtype(torch::kBool).device(q.device())).triu(1);
    scores = scores.masked_fill(future, -std::numeric_limits<float>::infinity());
    torch::Tensor probs = torch::softmax(scores, -1);
    return torch::matmul(probs, split(v)).transpose(1, 2).reshape({batch, tokens, width});
}

torch::Tensor clipActivation(const torch::Tensor& x, bool quickGelu)
{
    return quickGelu ? x * torch::sigmoid(1.702 * x) : torch::gelu(x);
}

std::shared_ptr<TextEncoder> createTextEncoder(const io::TextEncoderConfig& config)
{
    if (config.kind == io::TextEncoderKind::OpenCLIP)
        return std::make_shared<OpenCLIPTextModel>(config);
    return std::make_shared<CLIPTextModel>(config);
}

std::shared_ptr<TextEncoder> loadTextEncoder(const std::string& path, const io::TextEncoderConfig& config,
                                             const std::string& prefix, std::optional<torch::ScalarType> dtype)
{
    io::LoadOptions options;
    options.prefix = prefix;
    options.dtype = dtype;
    const io::StateDict weights = io::loadStateDict(path, options);
    if (weights.empty())
        throw api::Error(api::ErrorCode::IncompatibleModel,
                         "The file has no text encoder weights" +
                             (prefix.empty() ? std::string() : " under \"" + prefix + "\"") +
                             ". It may be a UNet-only or VAE file; pick a full checkpoint.",
                         path);
    std::shared_ptr<TextEncoder> encoder = createTextEncoder(config);
    encoder->loadWeights(weights, path, dtype);
    encoder->eval();
    return encoder;
}

} // namespace easel::text
