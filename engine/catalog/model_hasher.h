#pragma once
/// Full-file hashes of a model as A1111 and Civitai use them (CONVENTIONS.md, "Hashes"), for the
/// low-priority background hasher that fills ModelLibrary::pendingHashes. Plain C++; any thread.

#include <atomic>
#include <cstdint>
#include <string>

namespace easel::catalog {

struct ModelHashes {
    std::string sha256; ///< 64 hex digits of the whole file
    std::string autov2; ///< sha256[:10] (`Model hash`, `VAE hash`)
    std::string autov3; ///< 12 hex digits (`Lora hashes`): safetensors: kohya `sshs_model_hash` metadata
                        ///< if present, else sha256 of the bytes after the header; other formats: sha256[:12]
};

/// Reads the whole file once (two digests in one pass). Throws api::Error (unreadable, or
/// Cancelled when `cancel` is set).
ModelHashes computeModelHashes(const std::string& path, const std::atomic<bool>* cancel = nullptr);

/// Lowers the calling thread's CPU priority (nice 19) and I/O priority (idle class) so hashing
/// never competes with the UI or generation. Best effort.
void makeThisThreadBackground();

} // namespace easel::catalog
