#pragma once
/// A fast, zero-allocation-per-tensor pass over a safetensors JSON header for the library scanner.
/// Plain C++; any thread.
///
/// Scanning 18 000 files means parsing ~2 GB of header JSON; building a DOM for each (as the strict
/// reader io::SafetensorsFile does) costs seconds. This pass only finds the structure: the
/// `__metadata__` strings (unescaped), the tensor count, and a hash of every byte that is not
/// metadata. Files whose tensor part hashes equal (same layout, dtype and data size — most LoRAs of
/// one trainer setting, most checkpoints of one family) are classified and strictly validated once
/// (see ClassificationCache). Anything this pass does not understand makes it return false, and
/// the caller falls back to the strict reader, which names the problem.

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace easel::catalog {

struct HeaderDigest {
    std::vector<std::pair<std::string, std::string>> metadata; ///< `__metadata__`, in file order
    std::string_view metadataJson; ///< the raw `__metadata__` object text ("" when absent)
    uint64_t tensorPartHash = 0;   ///< XXH3 of the header without the `__metadata__` value
    size_t tensorCount = 0;
};

/// Digests the header JSON text (without the 8-byte length prefix) with io's header lexer
/// (engine/io/safetensors_header.h, shared with the strict reader). False when the text is not a
/// JSON object of the expected shape (the strict reader then reports why).
bool digestSafetensorsHeader(std::string_view json, HeaderDigest& out);

} // namespace easel::catalog
