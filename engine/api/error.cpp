#include "engine/api/error.h"

namespace easel::api {

const char* errorCodeName(ErrorCode code)
{
    switch (code) {
    case ErrorCode::Ok: return "ok";
    case ErrorCode::FileNotFound: return "file_not_found";
    case ErrorCode::FileUnreadable: return "file_unreadable";
    case ErrorCode::CorruptFile: return "corrupt_file";
    case ErrorCode::UnsafeFile: return "unsafe_file";
    case ErrorCode::UnsupportedFormat: return "unsupported_format";
    case ErrorCode::IncompatibleModel: return "incompatible_model";
    case ErrorCode::InvalidRequest: return "invalid_request";
    case ErrorCode::OutOfMemory: return "out_of_memory";
    case ErrorCode::Cancelled: return "cancelled";
    case ErrorCode::Busy: return "busy";
    case ErrorCode::Internal: return "internal";
    }
    return "unknown";
}

static std::string composeWhat(const std::string& message, const std::string& path)
{
    return path.empty() ? message : path + ": " + message;
}

Error::Error(ErrorCode code, std::string message, std::string path)
    : std::runtime_error(composeWhat(message, path))
    , m_code(code)
    , m_message(std::move(message))
    , m_path(std::move(path))
{
}

} // namespace easel::api
