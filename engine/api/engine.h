#pragma once
/// The engine facade: everything the app and easel-cli ask of the engine. One Engine lives on the
/// engine thread (DESIGN.md, Threading) and owns the device and the loaded models; call it from that
/// thread only. No torch in this header.

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "engine/api/image.h"
#include "engine/api/progress.h"
#include "engine/api/request.h"

namespace easel::api {

struct GeneratedImage {
    Image image;
    std::int64_t seed = 0;
    std::int64_t subseed = 0;
    std::string infotext;       ///< A1111 "parameters" text
    /// The same picture as PNG bytes with `infotext` in it, when the producer already has them (a
    /// fleet worker's result): a server sends them on instead of encoding the pixels again.
    std::string png;
};

struct GenerationResult {
    std::vector<GeneratedImage> images;
    std::int64_t firstSeed = 0; ///< resolved seed (-1 → random) of the first image
    double seconds = 0;
};

/// A model name from a prompt tag or the LoRA panel -> its file ("" = unknown). `kind` is the
/// catalog kind ("lora", "embedding"). Called on the engine thread only.
using ModelNameLookup = std::function<std::string(const std::string& kind, const std::string& name)>;

/// Per-call hooks of Engine::generate.
struct GenerateOptions {
    ProgressCallback progress;
    /// Called on the engine thread for each image the moment it is decoded and finished (before the
    /// next batch starts), so callers save it at once; `index` counts images of the job from 0.
    std::function<void(const GeneratedImage& image, int index)> imageReady;
    int previewEverySteps = -1;  ///< -1 = EngineOptions::previewEverySteps; 0 = none
    const StopToken* stop = nullptr;
};

struct EngineOptions {
    int previewEverySteps = 0;  ///< 0 = no previews
    /// Tried before the LoRA folders (the studio plugs its catalog in here); empty = folders only,
    /// as easel-cli resolves names.
    ModelNameLookup nameLookup;
};

class Engine {
public:
    explicit Engine(EngineOptions options = {});
    ~Engine();
    Engine(const Engine&) = delete;
    Engine& operator=(const Engine&) = delete;

    /// Runs a generation (txt2img, img2img or inpaint, with hires fix) and returns the images with
    /// their infotext; writes no files. Throws Error (InvalidRequest, FileNotFound, CorruptFile,
    /// IncompatibleModel, OutOfMemory, Cancelled, …).
    GenerationResult generate(const GenerationRequest& request, const GenerateOptions& options);
    GenerationResult generate(const GenerationRequest& request, const ProgressCallback& progress = {},
                              const StopToken* stop = nullptr);

    /// Replaces the name lookup (the service plugs its resolver in); engine thread only.
    void setNameLookup(ModelNameLookup lookup);

    /// Drops every loaded model (frees memory); the next generation reloads.
    void unloadModels();

    /// Human-readable warnings of the last generate() (rounded sizes, resized masks, …).
    const std::vector<std::string>& warnings() const;

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

} // namespace easel::api
