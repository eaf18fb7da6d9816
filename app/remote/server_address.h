#pragma once
/// An Easel server's address as typed in Settings → Engine ("http://gpu-box:7860", "gpu-box:7860",
/// "https://easel.example.org/studio/") split into what the HTTP client needs. Plain C++.

#include <string>

namespace easel::remote {

struct ServerAddress {
    std::string schemeHostPort; ///< "http://gpu-box:7860" (no path, no trailing '/')
    std::string basePath; ///< "" or "/studio" (a reverse proxy's prefix), never ending in '/'
    std::string display; ///< the address as messages show it: schemeHostPort + basePath
};

/// No scheme means http://. Throws api::Error(InvalidRequest) for an empty address, another scheme
/// than http/https, or a missing host.
ServerAddress parseServerAddress(const std::string& url);

} // namespace easel::remote
