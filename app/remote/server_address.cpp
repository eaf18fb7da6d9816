#include "app/remote/server_address.h"

#include <algorithm>
#include <cctype>

#include "engine/api/error.h"

namespace easel::remote {
namespace {

std::string trimmed(const std::string& s)
{
    const auto first = std::find_if_not(s.begin(), s.end(), [](unsigned char c) { return std::isspace(c); });
    const auto last = std::find_if_not(s.rbegin(), s.rend(), [](unsigned char c) { return std::isspace(c); }).base();
    return first < last ? std::string(first, last) : std::string();
}

[[noreturn]] void refuse(const std::string& url, const std::string& why)
{
    throw api::Error(api::ErrorCode::InvalidRequest,
        "the Easel server address \"" + url + "\" " + why + "; fix it in Settings → Engine");
}

} // namespace

ServerAddress parseServerAddress(const std::string& input)
{
    std::string url = trimmed(input);
    if (url.empty())
        refuse(url, "is empty");
    std::string scheme = "http";
    if (const auto sep = url.find("://"); sep != std::string::npos) {
        scheme = url.substr(0, sep);
        std::transform(scheme.begin(), scheme.end(), scheme.begin(), [](unsigned char c) { return std::tolower(c); });
        url = url.substr(sep + 3);
    }
    if (scheme != "http" && scheme != "https")
        refuse(input, "is not an http:// or https:// address");
    const auto slash = url.find('/');
    const std::string host = url.substr(0, slash);
    std::string path = slash == std::string::npos ? std::string() : url.substr(slash);
    while (!path.empty() && path.back() == '/')
        path.pop_back();
    if (host.empty() || host.front() == ':')
        refuse(input, "names no host");
    ServerAddress address;
    address.schemeHostPort = scheme + "://" + host;
    address.basePath = path;
    address.display = address.schemeHostPort + address.basePath;
    return address;
}

} // namespace easel::remote
