#pragma once
/// Writes a synthetic model library for benchmarks and tests: real SD1/SDXL key sets and shapes
/// (LDM checkpoints, kohya LoRAs) with kohya-style metadata, and sparse data sections (the header
/// is written, the data is a hole made by ftruncate), so 18 000 files of realistic header size and
/// apparent size take little disk. Plain C++; any thread.

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace easel::catalog::synthetic {

enum class Family { SD1, SDXL };

struct LoRASpec {
    Family family = Family::SD1;
    int rank = 32;
    bool textEncoder = true;
    std::string outputName;                ///< ss_output_name
    std::vector<std::string> tags;         ///< ss_tag_frequency tags, most frequent first
    uint64_t seed = 0;                     ///< varies session ids, dates and counts
};

struct CheckpointSpec {
    Family family = Family::SD1;
    bool fp16 = true;
    std::string title;                     ///< modelspec.title
    uint64_t seed = 0;
};

/// Writes the file (header + sparse data). Throws api::Error when it cannot be written.
void writeLoRA(const std::string& path, const LoRASpec& spec);
void writeCheckpoint(const std::string& path, const CheckpointSpec& spec);

/// A word list for names and tags, deterministic for a seed.
const std::vector<std::string>& vocabulary();

struct LibraryLayout {
    size_t loras = 10000;
    size_t checkpoints = 8000;
    uint64_t seed = 1;
};

struct GeneratedLibrary {
    std::vector<std::string> loraPaths, checkpointPaths;
    std::string loraRoot, checkpointRoot;
};

/// Writes `layout` under `dir` as an A1111 tree (models/Lora, models/Stable-diffusion) with
/// sub-folders, some preview images and name.json sidecars. `progress(done, total)` may be empty.
GeneratedLibrary writeLibrary(const std::string& dir, const LibraryLayout& layout,
                              const std::function<void(size_t, size_t)>& progress = {});

} // namespace easel::catalog::synthetic
