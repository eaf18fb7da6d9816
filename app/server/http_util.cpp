#include "app/server/http_util.h"

#include <httplib.h>

#include "app/server/validation.h"
#include "engine/api/error.h"

namespace easel::server {

using nlohmann::json;

void sendJson(httplib::Response& res, int status, const json& body)
{
    res.status = status;
    // Prompts and infotexts come from clients and model files: never let invalid UTF-8 throw here.
    res.set_content(body.dump(-1, ' ', false, json::error_handler_t::replace), "application/json");
}

void sendDetail(httplib::Response& res, int status, const std::string& detail)
{
    sendJson(res, status, json{{"detail", detail}});
}

void sendValidation(httplib::Response& res, const ValidationError& error)
{
    sendJson(res, 422, json{{"detail", error.detail()}});
}

void sendBusy(httplib::Response& res, const std::string& detail, int retryAfterSeconds)
{
    res.set_header("Retry-After", std::to_string(retryAfterSeconds));
    sendDetail(res, 503, detail);
}

int statusFor(const api::Error& e)
{
    using C = api::ErrorCode;
    switch (e.code()) {
    case C::InvalidRequest:
    case C::IncompatibleModel: return 422;
    case C::FileNotFound: return 404;
    case C::Busy: return 503;
    case C::Cancelled: return 409;
    case C::OutOfMemory: return 507;
    case C::UnsupportedFormat: return 501;
    default: return 500; // the server's own files (corrupt, unsafe, unreadable) or a bug
    }
}

void sendEngineError(httplib::Response& res, const api::Error& e)
{
    const int status = statusFor(e);
    if (status == 503)
        res.set_header("Retry-After", "5");
    sendJson(res, status, json{{"detail", e.message()}, {"error", api::errorCodeName(e.code())}});
}

json bodyObject(const httplib::Request& req) { return parseJsonObject(req.body); }

} // namespace easel::server
