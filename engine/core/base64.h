#pragma once
// Base64 (RFC 4648, standard alphabet, '=' padding) for images inside JSON: request files, the
// server's A1111 payloads. Torch-free (easel_support); any thread.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace easel::core {

std::string base64Encode(const unsigned char* data, std::size_t size);
inline std::string base64Encode(const std::vector<unsigned char>& bytes) { return base64Encode(bytes.data(), bytes.size()); }

/// Decodes standard or URL-safe base64; white space is skipped, padding optional. nullopt when a
/// character is outside the alphabet or the length cannot be base64 (clients send garbage).
std::optional<std::vector<unsigned char>> base64Decode(std::string_view text);

} // namespace easel::core
