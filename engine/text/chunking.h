#pragma once
/// A1111 prompt chunking: a prompt line becomes 77-token CLIP windows (BOS + 75 + EOS) with
/// per-token emphasis multipliers and reserved slots for textual-inversion embeddings.
/// Plain C++ (no torch). Any thread; the functions only read shared immutable data.
///
/// Ref: A1111 modules/sd_hijack_clip.py TextConditionalModel.tokenize_line and
///      modules/textual_inversion/textual_inversion.py EmbeddingDatabase.find_embedding_at_position.

#include <cstddef>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "engine/text/prompt_attention.h"

namespace easel::text {

/// Tokens of one CLIP window before BOS/EOS are added (A1111 `chunk_length`).
inline constexpr int kChunkLength = 75;
/// Tokens of one CLIP call: BOS + kChunkLength + EOS.
inline constexpr int kChunkTokens = kChunkLength + 2;
/// A1111 default of `comma_padding_backtrack`.
inline constexpr int kDefaultCommaBacktrack = 20;
/// `,</w>` in the CLIP vocabulary.
inline constexpr int kCommaToken = 267;
/// Token written where an embedding's vectors go; the encoder overwrites those rows.
inline constexpr int kEmbeddingPlaceholderToken = 0;

/// Where a textual-inversion embedding's vectors replace token embeddings in one chunk.
struct EmbeddingSlot {
    int position = 0;         ///< index into Chunk::tokens77 of the first vector (BOS is index 0)
    int vectorCount = 0;      ///< rows it occupies: position .. position + vectorCount - 1
    std::string name;         ///< the embedding's name as registered in EmbeddingVocabulary
};

/// One 77-token CLIP call.
struct Chunk {
    std::vector<int> tokens77;          ///< BOS, content, EOS, then padding (kChunkTokens entries)
    std::vector<float> multipliers77;   ///< emphasis weight per token; 1.0 for BOS/EOS/padding
    std::vector<EmbeddingSlot> embeddings;
    int contentCount = 0;               ///< real tokens (incl. embedding vectors) before padding
};

/// A whole prompt line as CLIP calls.
struct ChunkedPrompt {
    std::vector<Chunk> chunks;   ///< never empty: an empty prompt gives one all-padding chunk
    int tokenCount = 0;          ///< A1111 token_count (BREAK / comma-backtrack padding counts)
};

/// Textual-inversion names the chunker recognises as words. Names are tokenized with the CLIP
/// tokenizer (as A1111 does) and matched against the prompt's token ids; the longest name whose
/// ids start at a position wins. Build once per loaded embedding set; read-only afterwards, so
/// one instance may be shared by threads.
class EmbeddingVocabulary {
public:
    /// Registers an embedding under `name` with `vectorCount` vectors (the trigger word).
    /// A later registration of the same name replaces the earlier one.
    void add(const std::string& name, int vectorCount);
    /// Same, with the trigger's token ids given (tests, or names tokenized elsewhere).
    void addTokens(const std::string& name, std::vector<int> nameTokens, int vectorCount);

    struct Match {
        const std::string* name = nullptr;   ///< nullptr when nothing matches
        int tokenLength = 0;                 ///< prompt tokens the trigger consumed
        int vectorCount = 0;                 ///< vectors reserved in the chunk
    };
    /// A1111 find_embedding_at_position: the embedding whose name ids equal tokens[offset...].
    Match findAt(const std::vector<int>& tokens, std::size_t offset) const;

    bool empty() const { return m_entries.empty(); }
    std::size_t size() const { return m_entries.size(); }

private:
    struct Entry {
        std::string name;
        std::vector<int> ids;
        int vectorCount = 0;
    };
    std::vector<Entry> m_entries;
    /// first token id -> indices into m_entries, longest ids first
    std::unordered_map<int, std::vector<std::size_t>> m_byFirstToken;
};

/// How a prompt is cut into chunks; defaults are A1111's for CLIP ViT-L (SD1).
struct ChunkingOptions {
    int commaBacktrack = kDefaultCommaBacktrack;  ///< 0 disables the comma backtrack
    int padToken = 49407;          ///< CLIP-L pads with EOS (49407); OpenCLIP (SD2, SDXL bigG) with 0
    bool parseEmphasis = true;     ///< false = A1111 emphasis "None": the line is one span of weight 1
    const EmbeddingVocabulary* embeddings = nullptr;  ///< optional textual-inversion names
};

/// A1111 tokenize_line on already-parsed attention spans (see parsePromptAttention). A span
/// ("BREAK", -1.0) closes the current chunk.
ChunkedPrompt chunkAttention(const std::vector<AttentionSpan>& spans, const ChunkingOptions& options = {});

/// A1111 tokenize_line: parse emphasis (unless disabled), tokenize each span, chunk.
/// `line` must already be free of extra-network tags, AND and scheduling syntax.
ChunkedPrompt chunkPrompt(std::string_view line, const ChunkingOptions& options = {});

/// A1111 get_target_prompt_token_count: tokens shown as the "/ 75", "/ 150"... limit.
int targetTokenCount(int tokenCount);

} // namespace easel::text
