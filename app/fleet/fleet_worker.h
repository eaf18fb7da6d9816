#pragma once
// A GPU worker of the fleet: takes jobs from its inbox (jobs routed to it because it holds their
// checkpoint) and from the shared stream, runs each on its local GenerationService, publishes
// progress and the result (once), heart-beats while it runs, and takes over the jobs of workers
// that stopped heart-beating. Plain C++ (no torch, no Qt).

#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "app/fleet/fleet_settings.h"

namespace easel::service {
class GenerationService;
}

namespace easel::fleet {

struct WorkerStats {
    long long jobsRun = 0;
    long long routedJobs = 0;     ///< came through the inbox: the switch was avoided
    long long modelSwitches = 0;  ///< ran a checkpoint other than the one it held
    long long reclaimedJobs = 0;  ///< taken over from a worker that stopped heart-beating
    long long deadLettered = 0;
    long long retried = 0;        ///< failed here with a retriable error and went back to the queue
    std::string model;            ///< the checkpoint it holds ("" = none yet)
    bool connected = false;
};

class FleetWorker {
public:
    /// `service` runs the jobs (its local engine or a simulated generator); `preloadModel` is
    /// advertised as held from the start (--preload).
    FleetWorker(FleetSettings settings, std::string workerId, service::GenerationService& service,
                std::string preloadModel = {});
    ~FleetWorker();
    FleetWorker(const FleetWorker&) = delete;
    FleetWorker& operator=(const FleetWorker&) = delete;

    void start();
    /// Takes no new job, lets the running one finish and publish, leaves the idle sets.
    void drain();
    WorkerStats stats() const;
    const std::string& id() const { return m_id; }
    bool busy() const { return m_busy.load(); }

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
    std::string m_id;
    std::atomic<bool> m_busy{false};
};

/// "hostname-pid": unique on a node, readable in metrics.
std::string defaultWorkerId();

} // namespace easel::fleet
