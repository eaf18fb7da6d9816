#pragma once
// POST /sdapi/v1/txt2img and /img2img: an A1111 payload queued on the service, waited for, and
// answered as A1111 does ({images, parameters, info} with info as a JSON string).

#include <string>

#include <nlohmann/json.hpp>

#include "app/server/a1111_request.h"
#include "engine/service/job.h"

namespace httplib {
struct Request;
struct Response;
}

namespace easel::server {

struct ServerContext;

/// The parse context of this server: its option defaults, pixel limit and model names.
A1111ParseContext a1111Context(const ServerContext& ctx);
/// Service job options for an A1111 job of `owner`.
service::JobOptions a1111JobOptions(const ServerContext& ctx, const A1111Job& job, const std::string& owner);

/// A1111's `info` (processing.py Processed.js) for a finished job.
nlohmann::json a1111Info(const A1111Job& job, const service::JobSnapshot& snapshot);
/// The whole 200 answer of txt2img / img2img.
nlohmann::json a1111Response(const nlohmann::json& body, const A1111Job& job, const service::JobSnapshot& snapshot);

void handleA1111Generate(ServerContext& ctx, const httplib::Request& req, httplib::Response& res, bool img2img);

} // namespace easel::server
