#pragma once
/// The hashes users and civitai rely on, and a fast identity hash for the catalog. Plain C++;
/// any thread (each call is independent). Ref: CONVENTIONS.md "Hashes", A1111 modules/hashes.py
/// and modules/sd_models.py (model_hash), extensions-builtin/Lora (addnet_hash_safetensors).

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

namespace easel::io {

/// Called while hashing with bytes done / total; return false to cancel (throws api::Error(Cancelled)).
using HashProgress = std::function<bool(uint64_t done, uint64_t total)>;

/// Lower-case hex sha256 of a whole file, streamed in large blocks (OpenSSL libcrypto). Throws api::Error.
std::string sha256File(const std::string& path, const HashProgress& progress = {});
/// sha256 of bytes [offset, offset + length) of a file (clamped to its end).
std::string sha256FileRange(const std::string& path, uint64_t offset, uint64_t length, const HashProgress& progress = {});
/// sha256 of a buffer.
std::string sha256Bytes(std::string_view bytes);

/// A1111 "Model hash" (checkpoints, VAE hash): sha256[:10].
std::string autoV2(const std::string& sha256Hex);
/// Legacy A1111 model hash: sha256 of the 64 KiB at offset 1 MiB, first 8 hex digits.
std::string autoV1(const std::string& path);
/// LoRA hash ("Lora hashes"): for .safetensors kohya's `sshs_model_hash` metadata when present, else
/// sha256 of the bytes after the header (8 + header length); other files: sha256 of the whole file;
/// first 12 hex digits.
std::string autoV3(const std::string& path, const HashProgress& progress = {});

/// Fast, non-cryptographic identity of a file's content (xxHash3-64 over the size, the first 1 MiB
/// (the safetensors header lives there) and 16 evenly spaced 64 KiB blocks): for the catalog to
/// notice a moved/renamed file before the full sha256 is known. 16 hex digits. Not collision-safe
/// against adversaries; never used as the civitai hash.
std::string fastIdentityHash(const std::string& path);

} // namespace easel::io
