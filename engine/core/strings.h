#pragma once
// Small string helpers that several parsers of user text need (infotext, kohya metadata, ControlNet
// unit fields). One copy so that "1.5 " or " 0.7" means the same number everywhere. Header-only,
// plain C++; any thread.

#include <cstdlib>
#include <string>
#include <string_view>

namespace easel::core {

/// ASCII white space (what Python's str.strip() removes from the ASCII range).
inline constexpr std::string_view kWhitespace = " \t\r\n\f\v";

/// `s` without leading and trailing characters from `chars`.
inline std::string trim(std::string_view s, std::string_view chars = kWhitespace)
{
    const size_t begin = s.find_first_not_of(chars);
    if (begin == std::string_view::npos)
        return {};
    return std::string(s.substr(begin, s.find_last_not_of(chars) - begin + 1));
}

/// The whole of `text` as a double (strtod syntax); false when empty or anything is left over, and
/// `out` is then untouched. strtod rather than from_chars because it takes what Python's float()
/// (A1111's reader) takes and from_chars refuses, such as a leading '+' or "inf".
inline bool parseDouble(const std::string& text, double& out)
{
    char* end = nullptr;
    const double v = std::strtod(text.c_str(), &end);
    if (text.empty() || *end != '\0')
        return false;
    out = v;
    return true;
}

} // namespace easel::core
