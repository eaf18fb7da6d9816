#pragma once
/// The interface shared by the two CLIP text-transformer layouts (HF CLIPTextModel and OpenCLIP),
/// so the family conditioners (conditioner.h) pick layers without knowing the key layout.
/// Engine thread only (torch modules are not shared across threads).

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <torch/torch.h>

#include "engine/io/model_config.h"

namespace easel::text {

/// Tensors by checkpoint key (same type as io::StateDict).
using TensorMap = std::map<std::string, torch::Tensor>;

/// Rows of the token embeddings replaced before the position embeddings are added: how a
/// textual-inversion embedding enters the network (Ref: A1111 sd_hijack.py EmbeddingsWithFixes).
struct TokenEmbeddingOverride {
    int64_t batchIndex = 0;
    int64_t position = 0;   ///< first row in the window (BOS is row 0)
    torch::Tensor vectors;  ///< [n, hidden]; rows past the window end are dropped as A1111 does
};

struct TextEncodeOptions {
    /// Run only the first `layers` blocks (-1 = all). Later hidden states are then absent.
    int layers = -1;
    /// Also compute the pooled output (needs every block).
    bool pooled = false;
    std::vector<TokenEmbeddingOverride> overrides;
};

struct TextEncoderOutput {
    /// HF `hidden_states`: [0] = token + position embeddings, [i] = output of block i (1-based),
    /// none of them through the final LayerNorm. Size = blocks run + 1.
    std::vector<torch::Tensor> hiddenStates;
    /// finalNorm(last block output) at the first EOS (argmax of the ids, the transformers/OpenCLIP
    /// rule), through the text projection when the model has one; undefined unless requested.
    torch::Tensor pooled;
};

/// A CLIP-family text transformer whose registered module names equal the checkpoint key segments
/// of its layout, so loading is a name walk.
class TextEncoder : public torch::nn::Module {
public:
    explicit TextEncoder(io::TextEncoderConfig config) : m_config(std::move(config)) {}
    ~TextEncoder() override = default;

    const io::TextEncoderConfig& config() const { return m_config; }
    int blockCount() const { return m_config.layers; }

    /// ids: [B, T] integer tensor (T <= maxPositions). Rows covered by overrides may hold any id.
    virtual TextEncoderOutput encode(const torch::Tensor& ids, const TextEncodeOptions& options = {}) = 0;
    /// The final LayerNorm (HF `final_layer_norm`, OpenCLIP `ln_final`).
    virtual torch::Tensor finalNorm(const torch::Tensor& hidden) = 0;

    /// Copies `weights` (keys relative to this model, e.g. "final_layer_norm.weight") into the
    /// parameters, converted to `dtype` when given, else to the token embedding's dtype in the file.
    /// Every parameter must be present with its shape and every key consumed (except the ones the
    /// layout declares ignorable); otherwise throws api::Error IncompatibleModel listing the keys.
    void loadWeights(const TensorMap& weights, const std::string& path,
                     std::optional<torch::ScalarType> dtype = std::nullopt);

    torch::Device device() const;
    torch::ScalarType dtype() const;

protected:
    /// Maps a file key to this module's parameter name ("" = ignore the key on purpose).
    virtual std::string parameterName(const std::string& fileKey) const = 0;
    /// Parameters a file may lack without harm (kept at their initial value).
    virtual bool optionalParameter(const std::string& /*name*/) const { return false; }
    /// Token embedding lookup with the override rows written in (before position embeddings).
    torch::Tensor embedTokens(const torch::nn::Embedding& table, const torch::Tensor& ids,
                              const std::vector<TokenEmbeddingOverride>& overrides) const;
    /// Ids with the override rows zeroed (A1111 writes token 0 there), for lookup and argmax.
    static torch::Tensor idsWithoutOverrides(const torch::Tensor& ids,
                                             const std::vector<TokenEmbeddingOverride>& overrides);
    int layersToRun(const TextEncodeOptions& options) const;

    io::TextEncoderConfig m_config;
};

/// Multi-head self-attention with CLIP's causal mask; q, k, v: [B, T, hidden] (q not yet scaled).
/// Ref: transformers CLIPAttention; torch.nn.MultiheadAttention (same math).
torch::Tensor causalSelfAttention(const torch::Tensor& q, const torch::Tensor& k, const torch::Tensor& v,
                                  int heads);

/// CLIP's activation: quick-GELU x*sigmoid(1.702x) (OpenAI CLIP-L) or exact erf GELU (OpenCLIP).
torch::Tensor clipActivation(const torch::Tensor& x, bool quickGelu);

/// The HF layout (`CLIPTextModel`) or the OpenCLIP layout, as `config.kind` says.
std::shared_ptr<TextEncoder> createTextEncoder(const io::TextEncoderConfig& config);

/// Where the text encoders sit in LDM single files. The HF ones end before `text_model.`, which
/// CLIPTextModel accepts with or without (old transformers saved `transformer.embeddings.*`).
inline constexpr const char* kSD1TextPrefix = "cond_stage_model.transformer.";
inline constexpr const char* kSD2TextPrefix = "cond_stage_model.model.";
inline constexpr const char* kSDXLClipLPrefix = "conditioner.embedders.0.transformer.";
inline constexpr const char* kSDXLClipGPrefix = "conditioner.embedders.1.model.";
/// SDXL refiner: OpenCLIP bigG alone, as embedder 0.
inline constexpr const char* kSDXLRefinerClipGPrefix = "conditioner.embedders.0.model.";

/// Creates the encoder for `config` and loads the keys of `path` that start with `prefix` ("" for a
/// diffusers `text_encoder*/model.safetensors`). Throws api::Error when the file has no such keys
/// or they do not fit the config (see TextEncoder::loadWeights).
std::shared_ptr<TextEncoder> loadTextEncoder(const std::string& path, const io::TextEncoderConfig& config,
                                             const std::string& prefix = {},
                                             std::optional<torch::ScalarType> dtype = std::nullopt);

} // namespace easel::text
