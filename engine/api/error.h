#pragma once
/// Typed errors that cross the engine boundary. Plain C++; any thread.

#include <stdexcept>
#include <string>

namespace easel::api {

/// What went wrong, coarse enough for the UI to pick a message and an action.
enum class ErrorCode {
    Ok = 0,
    FileNotFound,
    FileUnreadable,       ///< permissions, I/O error, a directory where a file was expected
    CorruptFile,          ///< truncated, bad header, inconsistent offsets
    UnsafeFile,           ///< pickle wants to run code
    UnsupportedFormat,    ///< recognised but not supported yet
    IncompatibleModel,    ///< e.g. LoRA of another family
    InvalidRequest,       ///< bad parameters
    OutOfMemory,
    Cancelled,
    Busy,                 ///< the queue is full or the service is shutting down: try again later
    Internal,
};

/// Stable machine name of a code ("corrupt_file"), used in JSON output and logs.
const char* errorCodeName(ErrorCode code);

/// The engine's one exception type: code + message saying what happened and what to do + path.
class Error : public std::runtime_error {
public:
    Error(ErrorCode code, std::string message, std::string path = {});

    ErrorCode code() const { return m_code; }
    const std::string& message() const { return m_message; }
    const std::string& path() const { return m_path; }

private:
    ErrorCode m_code;
    std::string m_message;
    std::string m_path;
};

} // namespace easel::api
