#pragma once
/// What runs a job's generation inside GenerationService. By default the service's own api::Engine
/// on its worker thread; the studio on an Easel server plugs in a generator that asks the server
/// instead, so queueing, naming, saving and gallery recording stay the service's one path whatever
/// makes the pixels. Called on the service's worker thread only. Plain C++.

#include <string>
#include <vector>

#include "engine/api/engine.h"

namespace easel::service {

class Generator {
public:
    virtual ~Generator() = default;
    /// As api::Engine::generate: reports progress (with previews at the requested cadence), calls
    /// `options.imageReady` for each image the moment it is finished, honours `options.stop` by
    /// throwing api::Error(Cancelled), and throws api::Error on failure.
    virtual api::GenerationResult generate(const api::GenerationRequest& request, const api::GenerateOptions& options)
        = 0;
    /// Warnings of the last generate() (rounded sizes, …).
    virtual std::vector<std::string> warnings() const { return {}; }
    /// Frees what it holds between jobs (loaded models); nothing by default.
    virtual void unloadModels() { }
};

} // namespace easel::service
