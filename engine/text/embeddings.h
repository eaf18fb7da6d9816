#pragma once
/// Textual-inversion embeddings (A1111 `embeddings/` folder): loading and lookup of the vectors
/// each text encoder puts at the trigger word's slots. Loading: any thread; lookup: engine thread.
///
/// Ref: A1111 modules/textual_inversion/textual_inversion.py (EmbeddingDatabase.load_from_file,
///      create_embedding_from_data) and modules/sd_hijack.py (EmbeddingsWithFixes).

#include <map>
#include <string>
#include <vector>

#include <torch/torch.h>

#include "engine/text/chunking.h"

namespace easel::text {

/// Which vectors of an embedding a text encoder takes.
inline constexpr const char* kClipLKey = "clip_l";   ///< SDXL file entry for CLIP ViT-L
inline constexpr const char* kClipGKey = "clip_g";   ///< SDXL file entry for OpenCLIP bigG

/// One embedding file.
struct TextualInversion {
    std::string name;   ///< trigger word: the file name without extension (A1111)
    std::string path;
    /// "" for single-encoder files (SD1/SD2: `emb_params`, `string_to_param`, diffusers concept),
    /// or kClipLKey / kClipGKey for SDXL files. Every entry is float32 [vectorCount, width] on the CPU.
    std::map<std::string, torch::Tensor> vectors;
    int vectorCount = 0;

    /// The vectors for the encoder that reads `key` (kClipLKey/kClipGKey for SDXL's two encoders,
    /// "" for SD1/SD2) and has `width` channels; throws api::Error IncompatibleModel when the file
    /// was trained for another model family.
    const torch::Tensor& vectorsFor(const std::string& key, int64_t width) const;
};

/// Loads `.safetensors`, `.pt`, `.bin` (through io::loadStateDict). Accepted contents, as A1111:
/// `string_to_param` with one entry; `clip_l` + `clip_g` (SDXL); or exactly one tensor under any
/// name (`emb_params`, a diffusers concept `<token>`), 1-D meaning one vector.
/// Throws api::Error (IncompatibleModel / CorruptFile) saying what the file holds instead.
TextualInversion loadTextualInversion(const std::string& path);

/// Loaded embeddings by trigger word.
class EmbeddingLibrary {
public:
    /// Adds or replaces (same name) an embedding.
    void add(TextualInversion embedding);
    /// nullptr when no embedding has that name.
    const TextualInversion* find(const std::string& name) const;
    std::vector<std::string> names() const;
    bool empty() const { return m_byName.empty(); }
    /// The trigger words for the chunker (each name tokenized with the CLIP tokenizer, as A1111).
    const EmbeddingVocabulary& vocabulary() const { return m_vocabulary; }

private:
    std::map<std::string, TextualInversion> m_byName;
    EmbeddingVocabulary m_vocabulary;
};

} // namespace easel::text
