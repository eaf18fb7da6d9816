#include "app/server/metrics.h"

#include <cstdio>
#include <sstream>

namespace easel::server {

namespace {

std::string number(double v)
{
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.9g", v);
    return buf;
}

void header(std::ostringstream& out, const std::string& name, const char* type, const char* help)
{
    out << "# HELP " << name << " " << help << "\n# TYPE " << name << " " << type << "\n";
}

} // namespace

Histogram::Histogram(std::vector<double> bounds) : m_bounds(std::move(bounds)), m_counts(m_bounds.size() + 1, 0) {}

void Histogram::observe(double value)
{
    size_t i = 0;
    while (i < m_bounds.size() && value > m_bounds[i])
        ++i;
    ++m_counts[i];
    m_sum += value;
    ++m_count;
}

std::string Histogram::render(const std::string& name) const
{
    std::ostringstream out;
    std::uint64_t cumulative = 0;
    for (size_t i = 0; i < m_bounds.size(); ++i) {
        cumulative += m_counts[i];
        out << name << "_bucket{le=\"" << number(m_bounds[i]) << "\"} " << cumulative << "\n";
    }
    out << name << "_bucket{le=\"+Inf\"} " << m_count << "\n";
    out << name << "_sum " << number(m_sum) << "\n" << name << "_count " << m_count << "\n";
    return out.str();
}

Metrics::Metrics()
    : m_jobSeconds({0.5, 1, 2, 5, 10, 20, 30, 60, 120, 300, 600, 1800}),
      m_stepSeconds({0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30}),
      m_loadSeconds({0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 120})
{
}

void Metrics::onJobEvent(const service::JobEvent& ev)
{
    using K = service::JobEventKind;
    const auto now = std::chrono::steady_clock::now();
    std::lock_guard lock(m_mutex);
    switch (ev.kind) {
    case K::Started:
        m_running[ev.id].started = now;
        break;
    case K::Progress: {
        auto it = m_running.find(ev.id);
        if (it == m_running.end())
            break;
        Running& r = it->second;
        if (ev.progress.stage == api::Stage::Loading && !r.loadingSince)
            r.loadingSince = now;
        else if (ev.progress.stage != api::Stage::Loading && r.loadingSince) {
            // A load counts when the stage took long enough to have read files: a model the session
            // already holds reports the stage for ~0 s.
            const double seconds = std::chrono::duration<double>(now - *r.loadingSince).count();
            if (seconds > 0.05) {
                ++m_modelLoads;
                m_loadSeconds.observe(seconds);
            }
            r.loadingSince.reset();
        }
        if (ev.progress.stage == api::Stage::Sampling && ev.progress.step > 0 && ev.progress.secondsPerStep > 0
            && ev.progress.step == ev.progress.totalSteps)
            m_stepSeconds.observe(ev.progress.secondsPerStep);
        break;
    }
    case K::ImageSaved:
        ++m_images;
        break;
    case K::Finished: {
        ++m_jobsByState[service::jobStateName(ev.state)];
        if (ev.state == service::JobState::Failed)
            ++m_errorsByCode[api::errorCodeName(ev.errorCode)];
        auto it = m_running.find(ev.id);
        if (it != m_running.end()) {
            m_jobSeconds.observe(std::chrono::duration<double>(now - it->second.started).count());
            m_running.erase(it);
        }
        break;
    }
    default:
        break;
    }
}

void Metrics::countHttp(int status)
{
    std::lock_guard lock(m_mutex);
    ++m_httpByStatus[status];
}

void Metrics::countRejected(const std::string& reason)
{
    std::lock_guard lock(m_mutex);
    ++m_rejected[reason];
}

std::string Metrics::render(const Gauges& g) const
{
    std::lock_guard lock(m_mutex);
    std::ostringstream out;
    header(out, "easel_up", "gauge", "1 while the server runs.");
    out << "easel_up 1\n";
    header(out, "easel_ready", "gauge", "1 when the server takes new jobs (engine up, queue not full, not draining).");
    out << "easel_ready " << (g.ready ? 1 : 0) << "\n";
    header(out, "easel_draining", "gauge", "1 after SIGTERM: running jobs finish, new work gets 503.");
    out << "easel_draining " << (g.draining ? 1 : 0) << "\n";
    header(out, "easel_queue_depth", "gauge", "Jobs waiting in the queue (not running).");
    out << "easel_queue_depth " << g.queued << "\n";
    header(out, "easel_jobs_running", "gauge", "Jobs running now (one per GPU).");
    out << "easel_jobs_running " << g.running << "\n";
    header(out, "easel_jobs_finished_total", "counter", "Jobs finished, by final state.");
    for (const char* state : {"done", "failed", "cancelled"}) {
        const auto it = m_jobsByState.find(state);
        out << "easel_jobs_finished_total{state=\"" << state << "\"} " << (it == m_jobsByState.end() ? 0 : it->second) << "\n";
    }
    header(out, "easel_job_errors_total", "counter", "Failed jobs by engine error code.");
    for (const auto& [code, n] : m_errorsByCode)
        out << "easel_job_errors_total{code=\"" << code << "\"} " << n << "\n";
    header(out, "easel_images_generated_total", "counter", "Images decoded (and saved when asked).");
    out << "easel_images_generated_total " << m_images << "\n";
    header(out, "easel_model_loads_total", "counter", "Model loads that read files (cached models not counted).");
    out << "easel_model_loads_total " << m_modelLoads << "\n";
    header(out, "easel_model_load_seconds", "histogram", "Time spent loading models for a job.");
    out << m_loadSeconds.render("easel_model_load_seconds");
    header(out, "easel_job_duration_seconds", "histogram", "Time from a job's start to its end.");
    out << m_jobSeconds.render("easel_job_duration_seconds");
    header(out, "easel_step_duration_seconds", "histogram", "Mean sampling step time of each finished sampling pass.");
    out << m_stepSeconds.render("easel_step_duration_seconds");
    header(out, "easel_http_responses_total", "counter", "HTTP responses by status code.");
    for (const auto& [status, n] : m_httpByStatus)
        out << "easel_http_responses_total{code=\"" << status << "\"} " << n << "\n";
    header(out, "easel_rejected_requests_total", "counter", "Requests refused before queueing, by reason.");
    for (const auto& [reason, n] : m_rejected)
        out << "easel_rejected_requests_total{reason=\"" << reason << "\"} " << n << "\n";
    if (g.fleet)
        renderFleet(out, *g.fleet);
    return out.str();
}

void Metrics::renderFleet(std::ostringstream& out, const FleetGauges& f)
{
    header(out, "easel_fleet_redis_up", "gauge", "1 when this process reaches the fleet's Redis.");
    out << "easel_fleet_redis_up " << (f.redisUp ? 1 : 0) << "\n";
    if (f.backlog >= 0) {
        header(out, "easel_fleet_backlog", "gauge", "Jobs waiting for a worker (shared stream and inboxes).");
        out << "easel_fleet_backlog " << f.backlog << "\n";
    }
    if (!f.worker)
        return;
    const fleet::WorkerStats& w = *f.worker;
    header(out, "easel_fleet_worker_jobs_total", "counter",
           "Jobs this worker took: all, routed to it for its checkpoint, reclaimed from a dead worker, "
           "sent back for a retry, dead-lettered.");
    const std::pair<const char*, long long> kinds[] = {{"run", w.jobsRun},         {"routed", w.routedJobs},
                                                       {"reclaimed", w.reclaimedJobs}, {"retried", w.retried},
                                                       {"dead_lettered", w.deadLettered}};
    for (const auto& [kind, n] : kinds)
        out << "easel_fleet_worker_jobs_total{kind=\"" << kind << "\"} " << n << "\n";
    header(out, "easel_fleet_model_switches_total", "counter", "Jobs that made this worker load another checkpoint.");
    out << "easel_fleet_model_switches_total " << w.modelSwitches << "\n";
}

} // namespace easel::server
