#pragma once
// How every route answers: JSON bodies, A1111/FastAPI error shapes, and engine errors mapped to
// HTTP status codes with what happened and what to do.

#include <string>

#include <nlohmann/json.hpp>

namespace httplib {
struct Request;
struct Response;
}

namespace easel::api {
class Error;
}

namespace easel::server {

struct ValidationError;

void sendJson(httplib::Response& res, int status, const nlohmann::json& body);
/// FastAPI's shape for HTTPException: {"detail": "…"} (A1111 adds error/body/errors for some).
void sendDetail(httplib::Response& res, int status, const std::string& detail);
/// 422 {"detail": [{"loc", "msg", "type"}, …]}.
void sendValidation(httplib::Response& res, const ValidationError& error);
/// 503 with Retry-After: the queue is full or the server is draining.
void sendBusy(httplib::Response& res, const std::string& detail, int retryAfterSeconds = 5);
/// The status an engine error is answered with (422 bad request, 404 missing file, 503 busy, …).
int statusFor(const api::Error& error);
void sendEngineError(httplib::Response& res, const api::Error& error);

/// The request body as a JSON object; throws ValidationError (→ 422) when it is not one.
nlohmann::json bodyObject(const httplib::Request& req);

} // namespace easel::server
