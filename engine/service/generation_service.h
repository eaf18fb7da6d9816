#pragma once
/// GenerationService: the one path from a request to saved, catalogued images, shared by the
/// studio (through app/EngineController), easel-cli and easel-server. It owns the job queue and one
/// worker thread that owns the api::Engine (DESIGN.md, Threading); every public method may be called
/// from any thread. Plain C++: no torch, no Qt.

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "engine/api/engine.h"
#include "engine/service/generator.h"
#include "engine/service/job.h"
#include "engine/service/job_events.h"

namespace easel::service {

struct ServiceConfig {
    std::string outputFolder = "outputs"; ///< used where a job's OutputOptions name no folder
    std::string catalogPath;              ///< SQLite catalog for gallery rows and name lookup; "" = none
    /// Resolves model names (checkpoint/VAE/LoRA/embedding/ControlNet) to files; empty = the
    /// catalog lookup when catalogPath is set, else paths only.
    api::ModelNameLookup nameLookup;
    int queueDepth = 0;                   ///< most queued (not running) jobs; 0 = unbounded
    int perOwnerQueueDepth = 0;           ///< most queued jobs of one owner; 0 = unbounded
    std::size_t finishedJobsKept = 200;   ///< finished jobs remembered for job() (oldest dropped)
    /// Runs the generations instead of a local api::Engine (the studio on an Easel server); null =
    /// the local engine. Used on the worker thread only; nameLookup does not apply to it.
    std::shared_ptr<Generator> generator;
    /// Jobs run at once. More than 1 needs `generator` (one that may run several jobs together, as
    /// the fleet's does: each job waits on a worker elsewhere); the local engine runs one.
    int parallelJobs = 1;
    /// Where job ids come from; null = 1, 2, 3, … of this service. The fleet's ids are unique
    /// across API instances. May throw api::Error(Busy), which submit() passes on.
    std::function<JobId()> nextJobId;
    /// An owner's jobs waiting elsewhere (the fleet: not yet started on any worker, from any API
    /// instance), counted with this service's own queued jobs against perOwnerQueueDepth; null =
    /// none. Asked outside the service's lock; may throw api::Error(Busy), which submit() passes on.
    std::function<int(const std::string& owner)> ownerBacklog;
};

class GenerationService {
public:
    explicit GenerationService(ServiceConfig config = {});
    /// Cancels the running job, drops the queued ones and joins the worker thread.
    ~GenerationService();
    GenerationService(const GenerationService&) = delete;
    GenerationService& operator=(const GenerationService&) = delete;

    /// Queues a job; it runs when the ones before it are done. Throws api::Error(Busy) when the
    /// queue (or the owner's share of it) is full or the service is draining.
    JobId submit(const api::GenerationRequest& request, const JobOptions& options = {});

    /// Queued: becomes Cancelled without running. Running: stops within one sampling step; the
    /// images finished before stay saved. False for unknown or finished jobs.
    bool cancel(JobId id);
    /// Cancels every queued job and the running one; turns generate-forever off.
    void cancelAll();
    /// Takes a queued or finished job out of the list (a running one must be cancelled first).
    bool remove(JobId id);
    /// Moves a queued job to `position` among the queued jobs (0 = next).
    bool move(JobId id, int position);

    /// When on, an empty queue runs `request` again (seed -1 stays random, as in A1111).
    void setGenerateForever(bool on, const api::GenerationRequest& request = {}, const JobOptions& options = {});
    bool generateForever() const;

    std::optional<JobSnapshot> job(JobId id) const;
    /// Every job still known, queue order first (running, queued), then finished ones, newest last.
    std::vector<JobSnapshot> jobs() const;
    int queuedCount() const;
    bool busy() const;

    /// Listeners get every event of every job (see job_events.h for the thread). Returns a handle.
    int subscribe(JobListener listener);
    void unsubscribe(int handle);

    /// Blocks until the job is finished (or the timeout passes); returns its snapshot then.
    std::optional<JobSnapshot> waitFor(JobId id, std::chrono::milliseconds timeout = std::chrono::hours(24 * 365));
    /// Blocks until nothing is queued or running.
    void waitIdle();
    /// Stops accepting jobs (submit throws), lets the running and queued jobs finish, then returns.
    void drain();

    /// Runs on the worker thread between jobs: frees every loaded model.
    void unloadModels();
    /// Changes where jobs without their own folder write (takes effect for jobs that start later).
    void setOutputFolder(const std::string& folder);
    /// Changes what runs the generations (null = the local engine), for jobs that start later. The
    /// local engine, with its loaded models, is freed when a job starts on another generator.
    void setGenerator(std::shared_ptr<Generator> generator);

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

} // namespace easel::service
