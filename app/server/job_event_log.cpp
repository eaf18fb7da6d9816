#include "app/server/job_event_log.h"

#include "app/server/job_json.h"

namespace easel::server {

namespace {
constexpr std::size_t kEventsPerJob = 64; // progress is a tail: a late client needs the latest only
}

JobEventLog::JobEventLog(std::size_t finishedJobsKept) : m_kept(finishedJobsKept) {}

void JobEventLog::append(Log& log, StreamEvent event)
{
    log.events.push_back(std::move(event));
    while (log.events.size() > kEventsPerJob) {
        log.events.pop_front();
        ++log.first;
    }
}

void JobEventLog::onJobEvent(const service::JobEvent& ev)
{
    using K = service::JobEventKind;
    StreamEvent out;
    switch (ev.kind) {
    case K::Started:
        out = {"started", nlohmann::json{{"id", std::to_string(ev.id)}}.dump()};
        break;
    case K::Progress:
        out = {"progress", progressJson(ev.progress, true).dump()};
        break;
    case K::ImageSaved:
        if (!ev.image)
            return;
        out = {"image", imageJson(ev.id, *ev.image).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)};
        break;
    case K::Finished:
        out = {"done", nlohmann::json{{"id", std::to_string(ev.id)}, {"state", service::jobStateName(ev.state)},
                                      {"error", ev.state == service::JobState::Failed
                                                    ? nlohmann::json{{"code", api::errorCodeName(ev.errorCode)}, {"message", ev.message}}
                                                    : nlohmann::json(nullptr)},
                                      {"warnings", ev.warnings}}
                           .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)};
        break;
    case K::Removed:
        out = {"done", nlohmann::json{{"id", std::to_string(ev.id)}, {"state", "cancelled"}, {"error", nullptr}}.dump()};
        break;
    default:
        return;
    }
    {
        std::lock_guard lock(m_mutex);
        Log& log = m_logs[ev.id];
        append(log, std::move(out));
        if (ev.kind == K::Finished || ev.kind == K::Removed) {
            log.finished = true;
            m_finishedOrder.push_back(ev.id);
            while (m_finishedOrder.size() > m_kept) {
                m_logs.erase(m_finishedOrder.front());
                m_finishedOrder.pop_front();
            }
        }
    }
    m_changed.notify_all();
}

std::vector<StreamEvent> JobEventLog::next(service::JobId id, std::uint64_t& cursor, std::chrono::milliseconds timeout,
                                           bool& finished)
{
    std::unique_lock lock(m_mutex);
    auto ready = [&] {
        const auto it = m_logs.find(id);
        return it != m_logs.end() && cursor < it->second.first + it->second.events.size();
    };
    m_changed.wait_for(lock, timeout, ready);
    std::vector<StreamEvent> out;
    const auto it = m_logs.find(id);
    if (it == m_logs.end())
        return out;
    Log& log = it->second;
    if (cursor < log.first)
        cursor = log.first; // fell behind the tail: continue with what is kept
    for (; cursor < log.first + log.events.size(); ++cursor)
        out.push_back(log.events[cursor - log.first]);
    finished = log.finished && cursor == log.first + log.events.size();
    return out;
}

void JobEventLog::wakeAll() { m_changed.notify_all(); }

} // namespace easel::server
