#pragma once
// POST /easel/v1/jobs bodies: {"request": GenerationRequest JSON, "previews", "save", "title"} or an
// A1111 txt2img/img2img payload. A native request is held to the server's rules before it is
// queued: names only (no file paths: pictures travel as base64 pixels), sizes and steps in
// bounds, every uploaded picture's header checked against the pixel limit before decoding.

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "app/server/a1111_request.h"
#include "engine/service/job.h"

namespace easel::service {
class ModelResolver;
}

namespace easel::server {

struct NativeJob {
    api::GenerationRequest request;
    service::JobOptions options;
    std::vector<std::string> notes;
};

/// Throws ValidationError (every bad field) or api::Error (FileNotFound for unknown models).
NativeJob parseNativeJob(const nlohmann::json& body, const A1111ParseContext& a1111, const service::ModelResolver& resolver,
                         int defaultPreviews);

} // namespace easel::server
