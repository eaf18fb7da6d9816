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
/// 2: pickles are classified from their contents; files without tensors or of no known layout
/// are "broken" with the reason (were "ok" / "unsupported").
inline constexpr int kReaderVersion = 2;

struct ReaderContext {
    Classifier classifier;
    ClassificationCache* cache = nullptr; ///< optional
    PickleClassifier pickleClassifier;    ///< optional: without it pickles are not opened
};

/// Fills the header-derived fields of `facts` (path, sizeBytes, mtimeNs, format and the sidecar
/// paths are already set by the caller). Never throws for a bad file: it becomes status "broken"
/// with the api::Error message in statusDetail. `kindHint` is the folder's kind, used for pickles
/// when no pickle classifier is given, and for broken files of no recognised kind (so a name in
/// that folder finds the row and its reason).
void readModelFile(ModelFacts& facts, const std::string& kindHint, const ReaderContext& context);

/// The identity of a file's content that survives a move or rename: XXH3-128 (hex) of the size and
/// the safetensors header bytes, or for other formats of the first and last 64 KiB.
std::string identityHashOf(const std::string& path, int64_t size);

} // namespace easel::catalog
