#pragma once
/// Writes `.safetensors` files from raw little-endian buffers. Plain C++ (no torch); io/state_dict.h
/// wraps it for tensors. Any thread.

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "engine/io/safetensors.h"

namespace easel::io {

struct TensorBlob {
    std::string name;
    DType dtype = DType::F32;
    std::vector<int64_t> shape;
    const void* data = nullptr; ///< numel(shape) * dtypeSize(dtype) bytes, C-contiguous
};

/// Writes the tensors in the given order, data sections packed, the header padded with spaces so the
/// data section starts 8-byte aligned (as the reference writer does). The file appears atomically
/// (written beside it, then renamed). Throws api::Error (InvalidRequest for duplicate names or the
/// reserved name __metadata__, FileUnreadable when the file cannot be written).
void writeSafetensors(const std::string& path, const std::vector<TensorBlob>& tensors,
                      const std::map<std::string, std::string>& metadata = {});

/// The header JSON writeSafetensors would write (unpadded); tests build malformed files from it.
std::string safetensorsHeaderJson(const std::vector<TensorBlob>& tensors, const std::map<std::string, std::string>& metadata);

} // namespace easel::io
