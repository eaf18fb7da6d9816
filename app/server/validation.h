#pragma once
// Field-by-field reading of client JSON with FastAPI-shaped errors: every bad field is collected
// and answered at once as 422 {"detail": [{"loc": ["body", "steps"], "msg": …, "type": …}]}, the
// shape A1111 clients already parse.

#include <cstdint>
#include <limits>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace easel::server {

struct FieldError {
    std::vector<std::string> loc; ///< "body", then the path of the field
    std::string msg;
    std::string type;             ///< "type_error.integer", "value_error", …
};

/// Thrown when a request cannot be served as sent; becomes a 422 answer.
struct ValidationError : std::runtime_error {
    explicit ValidationError(std::vector<FieldError> errors);
    ValidationError(std::vector<std::string> loc, std::string msg, std::string type = "value_error");
    std::vector<FieldError> errors;
    nlohmann::json detail() const;
};

/// Reads typed fields of one JSON object, noting type and range errors instead of throwing, so a
/// request with three bad fields hears about all three. Absent and null fields give the default.
class FieldReader {
public:
    FieldReader(const nlohmann::json& object, std::vector<std::string> loc, std::vector<FieldError>& errors);

    bool has(const std::string& key) const;
    const nlohmann::json* raw(const std::string& key) const; ///< nullptr when absent or null

    std::int64_t integer(const std::string& key, std::int64_t fallback,
                         std::int64_t min = std::numeric_limits<std::int64_t>::min(),
                         std::int64_t max = std::numeric_limits<std::int64_t>::max());
    double number(const std::string& key, double fallback, double min = -1e300, double max = 1e300);
    bool boolean(const std::string& key, bool fallback);
    std::string text(const std::string& key, const std::string& fallback = {});
    /// A string that must be one of `allowed` (case-insensitive), or an integer index into it (A1111
    /// accepts both for resize_mode, inpainting_fill, control_mode). Returns the index.
    int choice(const std::string& key, int fallback, const std::vector<std::string>& allowed);

    void fail(const std::string& key, const std::string& msg, const std::string& type = "value_error");
    std::vector<std::string> locOf(const std::string& key) const;

private:
    const nlohmann::json& m_object;
    std::vector<std::string> m_loc;
    std::vector<FieldError>& m_errors;
};

/// Throws ValidationError when the request body is not a JSON object.
nlohmann::json parseJsonObject(const std::string& body);

} // namespace easel::server
