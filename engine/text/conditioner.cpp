#include "engine/text/conditioner.h"

#include <algorithm>

#include "engine/api/error.h"
#include "engine/text/tokenizer.h"

namespace easel::text {

namespace {

constexpr int kOpenCLIPPad = 0;

} // namespace

Conditioner Conditioner::sd1(std::shared_ptr<TextEncoder> clipL)
{
    EncoderRole role;
    role.encoder = std::move(clipL);
    role.padToken = CLIPTokenizer::kEndOfText;
    return Conditioner({role}, io::ModelFamily::SD1);
}

Conditioner Conditioner::sd2(std::shared_ptr<TextEncoder> openClipH, std::optional<bool> lastBlockDropped)
{
    EncoderRole role;
    // A diffusers SD2 text encoder is the OpenCLIP one converted with its last block dropped.
    const bool dropped = lastBlockDropped.value_or(openClipH->config().kind == io::TextEncoderKind::CLIP_HF);
    role.layersFromEnd = dropped ? 0 : 1;
    role.encoder = std::move(openClipH);
    role.padToken = kOpenCLIPPad;
    return Conditioner({role}, io::ModelFamily::SD2);
}

Conditioner Conditioner::sdxl(std::shared_ptr<TextEncoder> clipL, std::shared_ptr<TextEncoder> clipG)
{
    EncoderRole l;
    l.encoder = std::move(clipL);
    l.padToken = CLIPTokenizer::kEndOfText;
    l.embeddingKey = kClipLKey;
    l.layersFromEnd = 1;
    l.finalNorm = false;
    EncoderRole g;
    g.encoder = std::move(clipG);
    g.padToken = kOpenCLIPPad;
    g.embeddingKey = kClipGKey;
    g.layersFromEnd = 1;
    g.finalNorm = false;
    g.pooled = true;
    return Conditioner({l, g}, io::ModelFamily::SDXL);
}

Conditioner Conditioner::sdxlRefiner(std::shared_ptr<TextEncoder> clipG)
{
    Conditioner both = sdxl(clipG, clipG);
    EncoderRole g = both.m_roles.back();
    return Conditioner({g}, io::ModelFamily::SDXLRefiner);
}

Conditioner Conditioner::forFamily(io::ModelFamily family, std::vector<std::shared_ptr<TextEncoder>> encoders,
                                   bool fromDiffusersFolder)
{
    if (family == io::ModelFamily::SD1 && encoders.size() == 1)
        return sd1(encoders[0]);
    if (family == io::ModelFamily::SD2 && encoders.size() == 1)
        return fromDiffusersFolder ? sd2(encoders[0], true) : sd2(encoders[0]);
    if (family == io::ModelFamily::SDXL && encoders.size() == 2)
        return sdxl(encoders[0], encoders[1]);
    if (family == io::ModelFamily::SDXLRefiner && encoders.size() == 1)
        return sdxlRefiner(encoders[0]);
    throw api::Error(api::ErrorCode::UnsupportedFormat,
                     "No text conditioning is defined for this model type with " + std::to_string(encoders.size()) +
                         " text encoder(s). Supported: SD1, SD2 and SDXL refiner (one encoder), SDXL (two).");
}

Conditioner::Conditioner(std::vector<EncoderRole> roles, io::ModelFamily family)
    : m_roles(std::move(roles))
    , m_family(family)
{
    if (m_roles.empty())
        throw api::Error(api::ErrorCode::Internal, "A conditioner needs at least one text encoder.");
}

int64_t Conditioner::contextWidth() const
{
    int64_t width = 0;
    for (const auto& role : m_roles)
        width += role.encoder->config().hidden;
    return width;
}

ChunkingOptions Conditioner::chunkingOptions(const EmbeddingVocabulary* vocabulary) const
{
    ChunkingOptions options;
    options.padToken = m_roles.front().padToken;
    options.embeddings = vocabulary;
    return options;
}

Chunk Conditioner::emptyChunk()
{
    Chunk chunk;
    chunk.tokens77.assign(kChunkTokens, CLIPTokenizer::kEndOfText);
    chunk.tokens77.front() = CLIPTokenizer::kStartOfText;
    chunk.multipliers77.assign(kChunkTokens, 1.0f);
    return chunk;
}

torch::Tensor Conditioner::chunkIds(const std::vector<Chunk>& chunks, int padToken)
{
    torch::Tensor ids = torch::empty({static_cast<int64_t>(chunks.size()), kChunkTokens}, torch::kLong);
    auto a = ids.accessor<int64_t, 2>();
    for (size_t b = 0; b < chunks.size(); ++b) {
        const auto& tokens = chunks[b].tokens77;
        if (tokens.size() != static_cast<size_t>(kChunkTokens))
            throw api::Error(api::ErrorCode::Internal,
                             "A prompt chunk has " + std::to_string(tokens.size()) + " tokens instead of 77.");
        // Ref: A1111 process_tokens: everything after the first EOS becomes id_pad (0 for OpenCLIP).
        bool afterEnd = false;
        for (int t = 0; t < kChunkTokens; ++t) {
            a[b][t] = afterEnd ? padToken : tokens[t];
            if (tokens[t] == CLIPTokenizer::kEndOfText)
                afterEnd = true;
        }
    }
    return ids;
}

torch::Tensor Conditioner::chunkMultipliers(const std::vector<Chunk>& chunks)
{
    torch::Tensor weights = torch::empty({static_cast<int64_t>(chunks.size()), kChunkTokens}, torch::kFloat32);
    auto a = weights.accessor<float, 2>();
    for (size_t b = 0; b < chunks.size(); ++b) {
        if (chunks[b].multipliers77.size() != static_cast<size_t>(kChunkTokens))
            throw api::Error(api::ErrorCode::Internal, "A prompt chunk has no 77 multipliers.");
        for (int t = 0; t < kChunkTokens; ++t)
            a[b][t] = chunks[b].multipliers77[t];
    }
    return weights;
}

torch::Tensor Conditioner::encodeRole(const EncoderRole& role, const std::vector<Chunk>& chunks,
                                      const ConditioningOptions& options, torch::Tensor* pooled) const
{
    TextEncoder& encoder = *role.encoder;
    TextEncodeOptions encodeOptions;
    for (size_t b = 0; b < chunks.size(); ++b) {
        for (const EmbeddingSlot& slot : chunks[b].embeddings) {
            const TextualInversion* embedding = options.embeddings ? options.embeddings->find(slot.name) : nullptr;
            if (!embedding)
                throw api::Error(api::ErrorCode::InvalidRequest,
                                 "The prompt uses the embedding \"" + slot.name + "\" but it is not loaded.");
            TokenEmbeddingOverride o;
            o.batchIndex = static_cast<int64_t>(b);
            o.position = slot.position;
            o.vectors = embedding->vectorsFor(role.embeddingKey, encoder.config().hidden)
                            .slice(0, 0, std::max(0, slot.vectorCount));
            encodeOptions.overrides.push_back(std::move(o));
        }
    }

    int layersFromEnd = role.layersFromEnd;
    if (m_family == io::ModelFamily::SD1 || (m_family == io::ModelFamily::SDXL && options.sdxlClipLSkip &&
                                             role.embeddingKey == kClipLKey)) {
        if (options.clipSkip < 1 || options.clipSkip > encoder.blockCount())
            throw api::Error(api::ErrorCode::InvalidRequest,
                             "Clip skip " + std::to_string(options.clipSkip) + " is out of range 1.." +
                                 std::to_string(encoder.blockCount()) + " for this model.");
        layersFromEnd = options.clipSkip - 1;
    }
    const int layer = encoder.blockCount() - layersFromEnd;
    encodeOptions.layers = layer;
    encodeOptions.pooled = role.pooled && pooled != nullptr;

    const TextEncoderOutput out = encoder.encode(chunkIds(chunks, role.padToken), encodeOptions);
    torch::Tensor z = out.hiddenStates.at(static_cast<size_t>(layer));
    if (role.finalNorm)
        z = encoder.finalNorm(z);
    if (encodeOptions.pooled)
        *pooled = out.pooled;
    return applyEmphasis(z, chunkMultipliers(chunks), options.emphasis);
}

Conditioning Conditioner::encodeChunks(const std::vector<Chunk>& chunks, const ConditioningOptions& options) const
{
    if (chunks.empty())
        throw api::Error(api::ErrorCode::InvalidRequest, "Nothing to encode: the prompt batch is empty.");
    torch::NoGradGuard noGrad;
    Conditioning result;
    std::vector<torch::Tensor> parts;
    for (const EncoderRole& role : m_roles)
        parts.push_back(encodeRole(role, chunks, options, role.pooled ? &result.pooled : nullptr));
    result.context = parts.size() == 1 ? parts.front() : torch::cat(parts, -1);
    return result;
}

Conditioning Conditioner::encode(const std::vector<ChunkedPrompt>& prompts, const ConditioningOptions& options) const
{
    size_t chunkCount = 0;
    for (const auto& prompt : prompts)
        chunkCount = std::max(chunkCount, prompt.chunks.size());
    if (prompts.empty() || chunkCount == 0)
        throw api::Error(api::ErrorCode::InvalidRequest, "Nothing to encode: the prompt batch is empty.");

    const Chunk empty = emptyChunk();
    Conditioning result;
    std::vector<torch::Tensor> contexts;
    for (size_t i = 0; i < chunkCount; ++i) {
        std::vector<Chunk> call;
        for (const auto& prompt : prompts)
            call.push_back(i < prompt.chunks.size() ? prompt.chunks[i] : empty);
        Conditioning part = encodeChunks(call, options);
        contexts.push_back(part.context);
        if (i == 0)
            result.pooled = part.pooled; // A1111: zs[0].pooled
    }
    result.context = contexts.size() == 1 ? contexts.front() : torch::cat(contexts, 1);
    return result;
}

Conditioning Conditioner::encodeText(const std::vector<std::string>& lines, const ConditioningOptions& options) const
{
    ChunkingOptions chunking = chunkingOptions(options.embeddings ? &options.embeddings->vocabulary() : nullptr);
    chunking.parseEmphasis = options.emphasis != EmphasisMode::None;
    std::vector<ChunkedPrompt> prompts;
    bool allEmpty = true;
    for (const std::string& line : lines) {
        prompts.push_back(chunkPrompt(line, chunking));
        allEmpty = allEmpty && line.empty();
    }
    Conditioning result = encode(prompts, options);
    if (options.negative && allEmpty && m_family == io::ModelFamily::SDXL) {
        // SDXL was trained with dropped (zeroed) text for unconditional guidance.
        result.context = torch::zeros_like(result.context);
        if (result.pooled.defined())
            result.pooled = torch::zeros_like(result.pooled);
    }
    return result;
}

Conditioning Conditioner::encodeEmpty(const ConditioningOptions& options) const
{
    return encodeChunks({emptyChunk()}, options);
}

void padToSameLength(torch::Tensor& cond, torch::Tensor& uncond, const torch::Tensor& empty)
{
    const int64_t difference = cond.size(1) - uncond.size(1);
    if (difference == 0)
        return;
    if (empty.size(1) == 0 || difference % empty.size(1) != 0)
        throw api::Error(api::ErrorCode::InvalidRequest,
                         "Prompt and negative prompt lengths differ by " + std::to_string(std::abs(difference)) +
                             " tokens, not a whole number of 77-token chunks.");
    // Ref: A1111 sd_samplers_cfg_denoiser.py pad_cond: cat([x, empty.repeat(B, n, 1)], dim=1).
    torch::Tensor& shorter = difference > 0 ? uncond : cond;
    const int64_t repeats = std::abs(difference) / empty.size(1);
    shorter = torch::cat({shorter, empty.to(shorter.device(), shorter.scalar_type()).repeat({shorter.size(0), repeats, 1})}, 1);
}

} // namespace easel::text
