#pragma once
/// Which textual-inversion embeddings a prompt uses, and their files. A1111 loads every file of
/// its embeddings folder and matches trigger words (file stems) against the prompt's tokens; with
/// a library of thousands we ask instead, for each distinct word of the prompts, whether an
/// embedding of that name exists (catalog lookup, then the folders). Plain C++ (no torch). Any thread.
///
/// Ref (behaviour): A1111 modules/textual_inversion/textual_inversion.py (EmbeddingDatabase:
/// names are file stems), modules/processing.py ("TI hashes": name: sha256[:12]).

#include <functional>
#include <string>
#include <vector>

namespace easel::adapters {

/// name -> file ("" = unknown); the catalog seam, as LoRANameLookup.
using EmbeddingNameLookup = std::function<std::string(const std::string& name)>;

struct EmbeddingFile {
    std::string name; ///< the trigger word as it appears in the prompt
    std::string path;
};

/// $EASEL_EMBEDDING_DIRS (':'-separated), then the A1111 `embeddings` folder of the webui that
/// holds the checkpoint (webui/models/Stable-diffusion/x.safetensors -> webui/embeddings), then
/// `embeddings` beside and inside the checkpoint's folder; existing folders only.
std::vector<std::string> embeddingSearchFolders(const std::string& checkpointPath);

/// The distinct words of `texts` that could name an embedding (letters, digits, `_`, `-`, `.`;
/// extra-network tags and numbers left out), in order of first appearance.
std::vector<std::string> embeddingCandidates(const std::vector<std::string>& texts);

/// The candidates that name an embedding: the lookup first, then `<word>.safetensors|.pt|.bin`
/// in the folders. Never throws for unknown words (most words are not embeddings).
std::vector<EmbeddingFile> findEmbeddings(const std::vector<std::string>& texts,
                                          const std::vector<std::string>& folders,
                                          const EmbeddingNameLookup& lookup = {});

/// "TI hashes" value of one embedding: sha256 of the whole file, first 12 hex digits.
std::string embeddingHash(const std::string& path);

} // namespace easel::adapters
