#pragma once
// What travels through Redis between API instances and workers, as JSON text: a job's payload
// (the request, with in-memory pictures as base64 PNG, and the options a worker needs), progress
// reports (with an optional preview) and results (each image as PNG bytes with its infotext, so
// what a client receives is exactly what the worker encoded). Plain C++.

#include <string>
#include <vector>

#include "engine/api/engine.h"
#include "engine/api/progress.h"
#include "engine/api/request.h"

namespace easel::fleet {

struct JobPayload {
    api::GenerationRequest request;
    int previewEverySteps = 0;
    std::string owner;
};

struct JobResult {
    std::vector<api::GeneratedImage> images; ///< index = position
    std::vector<std::string> warnings;
    std::int64_t firstSeed = -1;
    bool switchedModel = false;              ///< the worker had to load another checkpoint
};

std::string encodePayload(const JobPayload& payload);
/// Throws api::Error(InvalidRequest) on text that is not a payload.
JobPayload decodePayload(const std::string& text);

std::string encodeProgress(const api::Progress& progress);
api::Progress decodeProgress(const std::string& text);

std::string encodeResult(const JobResult& result);
/// Throws api::Error(Internal) when the text or an image in it cannot be read.
JobResult decodeResult(const std::string& text);

/// The routing key of a request: which checkpoint it needs, as the file name a worker advertises
/// ("" = the server's default, which any worker may serve).
std::string modelKey(const api::GenerationRequest& request);
/// The same key for a checkpoint named directly (a path or a file name, as --preload gives it).
std::string modelKeyOf(const std::string& checkpoint);

} // namespace easel::fleet
