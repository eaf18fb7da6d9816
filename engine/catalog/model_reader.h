#pragma once
/// Reads what the catalog records about one model file: identity hash, header (never tensor data),
/// classification, kohya metadata and sidecars. Plain C++; any thread (the scanner runs it on
/// worker threads; the cache is shared and locked).

#include <string>

#include "engine/catalog/classifier.h"
#include "engine/catalog/model_facts.h"

namespace easel::catalog {

/// Bumped when the reader learns to extract more, so rows written by an older reader are read
/// again on the next scan even though their files did not change.
inline constexpr int kReaderVersion = 1;

struct ReaderContext {
    Classifier classifier;
    ClassificationCache* cache = nullptr; ///< optional
};

/// Fills the header-derived fields of `facts` (path, sizeBytes, mtimeNs, format and the sidecar
/// paths are already set by the caller). Never throws for a bad file: it becomes status "broken"
/// with the api::Error message in statusDetail. `kindHint` is the folder's kind, used for files
/// whose format Easel does not inspect (pickles).
void readModelFile(ModelFacts& facts, const std::string& kindHint, const ReaderContext& context);

/// The identity of a file's content that survives a move or rename: XXH3-128 (hex) of the size and
/// the safetensors header bytes, or for other formats of the first and last 64 KiB.
std::string identityHashOf(const std::string& path, int64_t size);

} // namespace easel::catalog
