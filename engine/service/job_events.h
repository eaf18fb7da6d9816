#pragma once
/// Events the generation service sends to its subscribers. They are delivered on the service's
/// worker thread (or the thread that changed the queue, for queue edits): copy what you need and
/// return quickly; the Qt adapter re-posts them to the GUI thread.

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "engine/service/job.h"

namespace easel::service {

enum class JobEventKind {
    Queued,     ///< added to the queue
    Moved,      ///< its position among queued jobs changed
    Removed,    ///< taken out of the queue (not run)
    Started,
    Progress,   ///< `progress` holds the report (and a preview on preview steps)
    ImageSaved, ///< `image` was decoded, saved (when asked) and recorded — at once, not at the end
    Finished,   ///< state is Done, Failed or Cancelled; `message` says why for the last two
};

struct JobEvent {
    JobEventKind kind = JobEventKind::Queued;
    JobId id = 0;
    JobState state = JobState::Queued;
    api::Progress progress;
    std::optional<JobImage> image;
    std::string message;
    api::ErrorCode errorCode = api::ErrorCode::Ok;
    std::vector<std::string> warnings;
};

using JobListener = std::function<void(const JobEvent&)>;

} // namespace easel::service
