#pragma once
/// Value types of the generation service: a job's options, state and results. Plain C++ (no torch,
/// no Qt); any thread.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "engine/api/engine.h"
#include "engine/api/error.h"
#include "engine/api/progress.h"
#include "engine/api/request.h"

namespace easel::service {

using JobId = std::int64_t;

enum class JobState { Queued, Running, Done, Failed, Cancelled };

/// "queued", "running", "done", "failed", "cancelled" (logs, JSON, tests).
const char* jobStateName(JobState state);
bool isFinished(JobState state);

/// Where and how a job's images are written. One default for every front end (kDefaultNamePattern).
struct OutputOptions {
    bool save = true;           ///< false: images only travel in events and the snapshot (return-only)
    std::string folder;         ///< empty = the service's output folder
    /// File name pattern without extension, relative to `folder`; may contain '/'. Placeholders:
    /// {date} {time} {seed} {index} {model} {prompt} {width} {height} {sampler} {steps}.
    /// Empty = kDefaultNamePattern.
    std::string pattern;
    std::string format = "png"; ///< png | jpg | webp (A1111 `parameters` in each)
    int quality = 95;           ///< JPEG/WebP
    /// An exact file ("-o out.png" in easel-cli): used for a job's only image; with several images
    /// they become out-00000.png, out-00001.png, …; the extension picks the format.
    std::string exactPath;
    bool overwrite = false;     ///< exactPath only: replace an existing file instead of numbering it
};

/// Everything about a job that is not the generation itself.
struct JobOptions {
    std::string title;          ///< for queues and logs; empty = first words of the prompt
    int previewEverySteps = 0;  ///< 0 = no previews; read when the job starts, per job
    OutputOptions output;
    bool record = true;         ///< add each saved image to the catalog's gallery (when the service has one)
    bool keepPixels = true;     ///< keep decoded pixels in the snapshot (the server returns them)
    std::string owner;          ///< who submitted it (API key id), for per-owner limits
};

/// One finished image of a job, saved (path set) the moment it was decoded.
struct JobImage {
    int index = 0;              ///< within the job, in seed order
    std::string path;           ///< empty when not saved
    std::int64_t catalogId = 0; ///< gallery row, 0 when not recorded
    api::GeneratedImage image;  ///< pixels (empty unless keepPixels), seed, infotext
};

/// A job as the service sees it now (a copy).
struct JobSnapshot {
    JobId id = 0;
    JobState state = JobState::Queued;
    api::GenerationRequest request;
    JobOptions options;
    api::Progress progress;     ///< latest report (its preview is the latest one sent)
    std::vector<JobImage> images;
    std::vector<std::string> warnings;
    api::ErrorCode errorCode = api::ErrorCode::Ok;
    std::string error;          ///< what happened and what to do (Failed); "cancelled"
    std::int64_t resolvedSeed = -1;
    double queuedSeconds = 0;   ///< time spent waiting
    double runSeconds = 0;      ///< time spent running (so far)
};

} // namespace easel::service
