#include "app/server/validation.h"

#include <algorithm>
#include <cctype>
#include <cmath>

namespace easel::server {

using nlohmann::json;

namespace {

std::string lower(std::string s)
{
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
    return s;
}

std::string range(double min, double max)
{
    auto fmt = [](double v) {
        return std::floor(v) == v && std::fabs(v) < 1e15 ? std::to_string(static_cast<long long>(v)) : std::to_string(v);
    };
    return "from " + fmt(min) + " to " + fmt(max);
}

} // namespace

ValidationError::ValidationError(std::vector<FieldError> e)
    : std::runtime_error(e.empty() ? "invalid request" : e.front().msg), errors(std::move(e))
{
}

ValidationError::ValidationError(std::vector<std::string> loc, std::string msg, std::string type)
    : ValidationError(std::vector<FieldError>{{std::move(loc), std::move(msg), std::move(type)}})
{
}

json ValidationError::detail() const
{
    json out = json::array();
    for (const auto& e : errors)
        out.push_back({{"loc", e.loc}, {"msg", e.msg}, {"type", e.type}});
    return out;
}

FieldReader::FieldReader(const json& object, std::vector<std::string> loc, std::vector<FieldError>& errors)
    : m_object(object), m_loc(std::move(loc)), m_errors(errors)
{
}

std::vector<std::string> FieldReader::locOf(const std::string& key) const
{
    auto loc = m_loc;
    loc.push_back(key);
    return loc;
}

void FieldReader::fail(const std::string& key, const std::string& msg, const std::string& type)
{
    m_errors.push_back({locOf(key), msg, type});
}

bool FieldReader::has(const std::string& key) const { return raw(key) != nullptr; }

const json* FieldReader::raw(const std::string& key) const
{
    if (!m_object.is_object())
        return nullptr;
    const auto it = m_object.find(key);
    return it == m_object.end() || it->is_null() ? nullptr : &*it;
}

std::int64_t FieldReader::integer(const std::string& key, std::int64_t fallback, std::int64_t min, std::int64_t max)
{
    const json* v = raw(key);
    if (!v)
        return fallback;
    std::int64_t n = 0;
    if (v->is_number_integer() || v->is_number_unsigned()) {
        if (v->is_number_unsigned() && v->get<std::uint64_t>() > std::uint64_t(std::numeric_limits<std::int64_t>::max())) {
            fail(key, "Input should be " + range(double(min), double(max)), "value_error.number");
            return fallback;
        }
        n = v->get<std::int64_t>();
    } else if (v->is_number_float() && std::isfinite(v->get<double>()) && std::floor(v->get<double>()) == v->get<double>()
               && std::fabs(v->get<double>()) < 9e18) {
        n = static_cast<std::int64_t>(v->get<double>());
    } else if (v->is_string()) { // pydantic coerces "20" to 20
        try {
            size_t used = 0;
            n = std::stoll(v->get<std::string>(), &used);
            if (used != v->get<std::string>().size())
                throw std::invalid_argument("trailing");
        } catch (const std::exception&) {
            fail(key, "value is not a valid integer", "type_error.integer");
            return fallback;
        }
    } else {
        fail(key, "value is not a valid integer", "type_error.integer");
        return fallback;
    }
    if (n < min || n > max) {
        fail(key, "Input should be " + range(double(min), double(max)) + ", got " + std::to_string(n), "value_error.number");
        return fallback;
    }
    return n;
}

double FieldReader::number(const std::string& key, double fallback, double min, double max)
{
    const json* v = raw(key);
    if (!v)
        return fallback;
    double d = 0;
    if (v->is_number())
        d = v->get<double>();
    else if (v->is_string()) {
        try {
            size_t used = 0;
            d = std::stod(v->get<std::string>(), &used);
            if (used != v->get<std::string>().size())
                throw std::invalid_argument("trailing");
        } catch (const std::exception&) {
            fail(key, "value is not a valid float", "type_error.float");
            return fallback;
        }
    } else {
        fail(key, "value is not a valid float", "type_error.float");
        return fallback;
    }
    if (!std::isfinite(d) || d < min || d > max) {
        fail(key, "Input should be " + range(min, max), "value_error.number");
        return fallback;
    }
    return d;
}

bool FieldReader::boolean(const std::string& key, bool fallback)
{
    const json* v = raw(key);
    if (!v)
        return fallback;
    if (v->is_boolean())
        return v->get<bool>();
    if (v->is_number_integer() && (v->get<std::int64_t>() == 0 || v->get<std::int64_t>() == 1))
        return v->get<std::int64_t>() == 1; // A1111 sends inpainting_mask_invert as 0/1
    if (v->is_string()) {
        const std::string s = lower(v->get<std::string>());
        if (s == "true" || s == "1" || s == "yes" || s == "on")
            return true;
        if (s == "false" || s == "0" || s == "no" || s == "off")
            return false;
    }
    fail(key, "value could not be parsed to a boolean", "type_error.bool");
    return fallback;
}

std::string FieldReader::text(const std::string& key, const std::string& fallback)
{
    const json* v = raw(key);
    if (!v)
        return fallback;
    if (v->is_string())
        return v->get<std::string>();
    if (v->is_number())
        return v->dump(); // pydantic v1 coerces numbers to str
    fail(key, "str type expected", "type_error.str");
    return fallback;
}

int FieldReader::choice(const std::string& key, int fallback, const std::vector<std::string>& allowed)
{
    const json* v = raw(key);
    if (!v)
        return fallback;
    if (v->is_number_integer()) {
        const auto i = v->get<std::int64_t>();
        if (i >= 0 && i < std::int64_t(allowed.size()))
            return static_cast<int>(i);
    } else if (v->is_string()) {
        for (size_t i = 0; i < allowed.size(); ++i)
            if (lower(allowed[i]) == lower(v->get<std::string>()))
                return static_cast<int>(i);
    }
    std::string names;
    for (size_t i = 0; i < allowed.size(); ++i)
        names += (i ? ", " : "") + std::to_string(i) + " \"" + allowed[i] + "\"";
    fail(key, "unknown value " + v->dump() + "; use one of " + names, "value_error.choice");
    return fallback;
}

json parseJsonObject(const std::string& body)
{
    json parsed = json::parse(body, nullptr, false);
    if (parsed.is_discarded())
        throw ValidationError({"body"}, "the request body is not valid JSON", "value_error.jsondecode");
    if (!parsed.is_object())
        throw ValidationError({"body"}, "the request body must be a JSON object", "type_error.dict");
    return parsed;
}

} // namespace easel::server
