#pragma once
// Prometheus text exposition (format 0.0.4) of what a scaler and an operator need: queue depth and
// running jobs (scale on them), job and step durations, images made, model loads, and errors by
// code. Fed by the service's events and by the HTTP layer. Any thread.

#include <array>
#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "app/fleet/fleet_worker.h"
#include "engine/service/job_events.h"

namespace easel::server {

class Histogram {
public:
    explicit Histogram(std::vector<double> bounds);
    void observe(double value);
    /// `name`_bucket{le=…}, _sum and _count lines.
    std::string render(const std::string& name) const;

private:
    std::vector<double> m_bounds;
    std::vector<std::uint64_t> m_counts; ///< per bucket (not cumulative)
    double m_sum = 0;
    std::uint64_t m_count = 0;
};

class Metrics {
public:
    Metrics();

    /// Subscribe this to the service (it is called on the service's worker thread).
    void onJobEvent(const service::JobEvent& event);
    void countHttp(int status);
    void countRejected(const std::string& reason); ///< "queue_full", "draining", "auth", "too_large", "invalid"

    /// --role api|worker: the fleet as this process sees it.
    struct FleetGauges {
        bool redisUp = false;
        long long backlog = -1; ///< api: jobs waiting in the shared stream and the inboxes; -1 = unknown
        std::optional<fleet::WorkerStats> worker; ///< a worker's counters
    };
    struct Gauges {
        int queued = 0;
        int running = 0;
        bool draining = false;
        bool ready = true;
        std::optional<FleetGauges> fleet;
    };
    std::string render(const Gauges& gauges) const;

private:
    static void renderFleet(std::ostringstream& out, const FleetGauges& fleet);
    struct Running {
        std::chrono::steady_clock::time_point started;
        std::optional<std::chrono::steady_clock::time_point> loadingSince;
    };

    mutable std::mutex m_mutex;
    std::map<service::JobId, Running> m_running;
    std::map<std::string, std::uint64_t> m_jobsByState;
    std::map<std::string, std::uint64_t> m_errorsByCode; ///< engine error codes of failed jobs
    std::map<int, std::uint64_t> m_httpByStatus;
    std::map<std::string, std::uint64_t> m_rejected;
    std::uint64_t m_images = 0;
    std::uint64_t m_modelLoads = 0;
    Histogram m_jobSeconds;
    Histogram m_stepSeconds;
    Histogram m_loadSeconds;
};

} // namespace easel::server
