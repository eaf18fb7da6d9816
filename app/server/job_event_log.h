#pragma once
// Recent events of each job as the native API streams them (Server-Sent Events): any number of
// clients can follow one job, join late (they get the job's state first) or reconnect. Bounded:
// progress events of a job are kept as a short tail, and only the newest finished jobs are kept.
// Any thread.

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "engine/service/job_events.h"

namespace easel::server {

struct StreamEvent {
    std::string name; ///< SSE `event:` (started, progress, image, done)
    std::string data; ///< one line of JSON
};

class JobEventLog {
public:
    explicit JobEventLog(std::size_t finishedJobsKept = 200);

    /// Subscribe this to the service.
    void onJobEvent(const service::JobEvent& event);

    /// Events of `id` from `cursor` on (advanced past what is returned); waits up to `timeout` when
    /// there is nothing new. `finished` is set once the job's done event has been returned.
    std::vector<StreamEvent> next(service::JobId id, std::uint64_t& cursor, std::chrono::milliseconds timeout, bool& finished);
    /// Wakes every waiting stream (shutdown).
    void wakeAll();

private:
    struct Log {
        std::deque<StreamEvent> events;
        std::uint64_t first = 0; ///< sequence number of events.front()
        bool finished = false;
    };
    void append(Log& log, StreamEvent event);

    std::size_t m_kept;
    std::mutex m_mutex;
    std::condition_variable m_changed;
    std::map<service::JobId, Log> m_logs;
    std::deque<service::JobId> m_finishedOrder;
};

} // namespace easel::server
