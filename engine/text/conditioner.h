#pragma once
/// Chunked prompts -> cross-attention context (and SDXL's pooled vector) with each family's A1111
/// conventions: which layer, final LayerNorm or not, clip skip, padding token, emphasis, textual
/// inversion, chunk concatenation. Engine thread only.
///
/// Ref: A1111 modules/sd_hijack_clip.py (FrozenCLIPEmbedderWithCustomWordsBase.forward /
///      process_tokens, FrozenCLIPEmbedderWithCustomWords, FrozenCLIPEmbedderForSDXLWithCustomWords),
///      modules/sd_hijack_open_clip.py, modules/sd_models_xl.py, sd_samplers_cfg_denoiser.py (pad_cond).

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <torch/torch.h>

#include "engine/io/model_config.h"
#include "engine/text/chunking.h"
#include "engine/text/embeddings.h"
#include "engine/text/emphasis.h"
#include "engine/text/text_encoder.h"

namespace easel::text {

struct ConditioningOptions {
    /// A1111 "Clip skip" (CLIP_stop_at_last_layers), 1 = last layer. A1111 applies it to SD1 only:
    /// SD2 always takes the penultimate layer, SDXL ignores it unless sdxlClipLSkip.
    int clipSkip = 1;
    /// A1111 option `sdxl_clip_l_skip`: SDXL's CLIP-L takes hidden_states[-clipSkip] (default off).
    bool sdxlClipLSkip = false;
    EmphasisMode emphasis = EmphasisMode::Original;
    /// Vectors for the chunks' embedding slots (required when a chunk has slots); encodeText()
    /// also recognises their trigger words.
    const EmbeddingLibrary* embeddings = nullptr;
    /// The batch is a negative prompt: SDXL then gives all-zero context and pooled when every line
    /// is empty (A1111 sd_models_xl.py force_zero_embeddings). Only encodeText() knows the text.
    bool negative = false;
};

/// What the UNet receives for a batch of prompts.
struct Conditioning {
    torch::Tensor context;  ///< [B, 77 * chunks, C]
    torch::Tensor pooled;   ///< [B, P] for SDXL (bigG text_embeds), undefined otherwise
};

/// How one text encoder's output becomes (part of) the context.
struct EncoderRole {
    std::shared_ptr<TextEncoder> encoder;
    int padToken = 49407;          ///< written after the first EOS of every chunk
    std::string embeddingKey;      ///< which vectors of a textual inversion it takes ("", clip_l, clip_g)
    int layersFromEnd = 0;         ///< 0: output of the last block, 1: penultimate (HF hidden_states[-2]), ...
    bool finalNorm = true;         ///< pass the chosen hidden state through the final LayerNorm
    bool pooled = false;           ///< provides Conditioning::pooled
};

class Conditioner {
public:
    /// SD1: CLIP ViT-L, last layer + final LN; clip skip N takes layer -N, then final LN.
    static Conditioner sd1(std::shared_ptr<TextEncoder> clipL);
    /// SD2: OpenCLIP ViT-H, penultimate block + ln_final (FrozenOpenCLIPEmbedder layer="penultimate").
    /// A diffusers `text_encoder/` has that last block already removed (23 of 24), so it takes its
    /// last block instead: pass lastBlockDropped for encoders from diffusers folders, converted or
    /// not. Unset = true for the HF layout (only diffusers stores SD2 that way), else false.
    static Conditioner sd2(std::shared_ptr<TextEncoder> openClipH, std::optional<bool> lastBlockDropped = {});
    /// SDXL: cat(CLIP-L hidden_states[-2], bigG hidden_states[-2]) without final LN; pooled =
    /// bigG ln_final(last)[EOS] @ text_projection.
    static Conditioner sdxl(std::shared_ptr<TextEncoder> clipL, std::shared_ptr<TextEncoder> clipG);
    /// SDXL refiner: bigG alone, penultimate without LN, pooled (A1111 FrozenOpenCLIPEmbedder2).
    static Conditioner sdxlRefiner(std::shared_ptr<TextEncoder> clipG);
    /// One of the above by family (encoders in file order); `fromDiffusersFolder` matters for SD2
    /// (see sd2()). Throws api::Error for other families.
    static Conditioner forFamily(io::ModelFamily family, std::vector<std::shared_ptr<TextEncoder>> encoders,
                                 bool fromDiffusersFolder = false);

    explicit Conditioner(std::vector<EncoderRole> roles, io::ModelFamily family = io::ModelFamily::Unknown);

    io::ModelFamily family() const { return m_family; }
    const std::vector<EncoderRole>& roles() const { return m_roles; }
    /// Width of the context (sum over encoders).
    int64_t contextWidth() const;

    /// Chunking settings matching this conditioner (pad token of the first encoder).
    ChunkingOptions chunkingOptions(const EmbeddingVocabulary* vocabulary = nullptr) const;

    /// A1111 forward(texts): chunk i of every prompt is encoded in one call (prompts with fewer
    /// chunks get empty chunks there), emphasis per call, calls concatenated along the tokens;
    /// pooled from the first call. Batching matters: "Original" emphasis takes its mean over the
    /// whole call, which is why A1111 encodes all texts of one prompt's schedule together.
    Conditioning encode(const std::vector<ChunkedPrompt>& prompts, const ConditioningOptions& options = {}) const;
    /// A1111 get_learned_conditioning on prompt lines that are already free of extra-network tags,
    /// AND and scheduling syntax: chunk each line (emphasis parsed unless EmphasisMode::None,
    /// embedding trigger words from options.embeddings), then encode().
    Conditioning encodeText(const std::vector<std::string>& lines, const ConditioningOptions& options = {}) const;
    /// One call: every chunk is one 77-token row of the batch.
    Conditioning encodeChunks(const std::vector<Chunk>& chunks, const ConditioningOptions& options = {}) const;
    /// The empty prompt ([1, 77, C], A1111 `cond_stage_model_empty_prompt`), used to pad.
    Conditioning encodeEmpty(const ConditioningOptions& options = {}) const;

    /// Token ids [B, 77] of `chunks` as `role` sees them (pad token after the first EOS).
    static torch::Tensor chunkIds(const std::vector<Chunk>& chunks, int padToken);
    /// Emphasis multipliers [B, 77].
    static torch::Tensor chunkMultipliers(const std::vector<Chunk>& chunks);
    /// A1111 empty_chunk(): BOS, then EOS up to 77 tokens, weights 1.
    static Chunk emptyChunk();

private:
    torch::Tensor encodeRole(const EncoderRole& role, const std::vector<Chunk>& chunks,
                             const ConditioningOptions& options, torch::Tensor* pooled) const;

    std::vector<EncoderRole> m_roles;
    io::ModelFamily m_family;
};

/// A1111 pad_cond_uncond: appends copies of the empty prompt's context (`empty`, [1, 77, C]) to
/// the shorter of cond / uncond so both have the same token count. Throws api::Error when the
/// difference is not a whole number of 77-token chunks.
void padToSameLength(torch::Tensor& cond, torch::Tensor& uncond, const torch::Tensor& empty);

} // namespace easel::text
