#pragma once
/// Counts of what a model file holds (tensors, parameters, dtypes, metadata) from its header only.
/// Plain C++; any thread. Used by `easel-cli inspect` and the catalog.

#include <cstdint>
#include <map>
#include <string>

namespace easel::io {

struct FileInventory {
    std::string format;                       ///< "safetensors", "pytorch-zip", "diffusers-folder"
    uint64_t bytes = 0;                       ///< file size (sum of weight files for folders)
    uint64_t tensorCount = 0;
    uint64_t parameters = 0;                  ///< total elements
    std::map<std::string, uint64_t> dtypes;   ///< dtype name -> tensor count
    std::map<std::string, std::string> metadata; ///< safetensors __metadata__
};

/// Throws api::Error naming the file and the problem.
FileInventory inventoryOf(const std::string& path);

} // namespace easel::io
