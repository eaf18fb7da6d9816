#pragma once
/// What runs a job's generation inside GenerationService. By default the service's own api::Engine
/// on its worker thread; the studio on an Easel server plugs in a generator that asks the server
/// instead, so queueing, naming, saving and gallery recording stay the service's one path whatever
/// makes the pixels. Called on the service's worker thread only. Plain C++.

#include <string>
#include <vector>

#include "engine/api/engine.h"
#include "engine/service/job.h"

namespace easel::service {

/// The job a generate call belongs to, for generators that hand it on (the fleet's).
struct JobContext {
    JobId id = 0;
    std::string owner;
};

class Generator {
public:
    virtual ~Generator() = default;
    /// What the service calls: generate() unless the generator needs to know the job.
    virtual api::GenerationResult generateJob(const JobContext& job, const api::GenerationRequest& request,
                                              const api::GenerateOptions& options)
    {
        (void)job;
        return generate(request, options);
    }
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
