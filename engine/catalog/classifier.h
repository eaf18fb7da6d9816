#pragma once
/// Classification of a model file for the catalog, delegated to engine/io (the only place that
/// knows what a checkpoint, LoRA or embedding looks like), plus a cache so that files sharing a
/// tensor layout are classified once per scan. Plain C++; any thread (the cache is locked).

#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace easel::io {
class SafetensorsFile;
}

namespace easel::catalog {

struct Classification {
    std::string kind = "unknown"; ///< io::modelKindName
    std::string family;           ///< io::modelFamilyName, "" when unknown
    std::string subtype;          ///< LoRA type, checkpoint variant, unsupported family name
    std::string status = "ok";    ///< ok or unsupported
    std::string detail;           ///< why unsupported, or the classifier's notes
};

/// Classifies a strictly validated header. May throw api::Error (the file is then broken).
using Classifier = std::function<Classification(const io::SafetensorsFile& header)>;

/// engine/io's detector (io::detectModel on names and shapes).
Classifier ioClassifier();

/// Classifies a torch.save zip (.ckpt/.pt/.pth/.bin) from its pickle, read by engine/io's
/// restricted unpickler (nothing in the file runs; tensor data is never read). Throws api::Error
/// for unsafe, damaged or legacy files.
using PickleClassifier = std::function<Classification(const std::string& path)>;

/// engine/io's checkpoint reader + detector.
PickleClassifier ioPickleClassifier();

/// Metadata keys a classification may depend on. Everything else in `__metadata__` (training
/// settings, tag counts, dates) never changes what a file is, so it is left out of the cache key.
/// Ref: engine/io/model_detect.cpp (ss_base_model_version, modelspec.architecture, ss_v2,
/// modelspec.prediction_type); keep in step with it.
const std::vector<std::string>& classifierMetadataKeys();

class ClassificationCache {
public:
    /// The key of a header: its non-metadata bytes, its data size and the classifier's metadata keys.
    static uint64_t key(uint64_t tensorPartHash, uint64_t dataSize,
                        const std::vector<std::pair<std::string, std::string>>& metadata);

    bool find(uint64_t key, Classification& out) const;
    void store(uint64_t key, const Classification& value);
    size_t hits() const { return m_hits; }
    size_t misses() const { return m_misses; }

private:
    mutable std::mutex m_mutex;
    std::unordered_map<uint64_t, Classification> m_map;
    mutable size_t m_hits = 0, m_misses = 0;
};

} // namespace easel::catalog
