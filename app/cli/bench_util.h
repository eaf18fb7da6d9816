#pragma once
// Small helpers the benchmarks share: elapsed milliseconds, percentiles of samples, and a free
// loopback TCP port for the services a benchmark starts. Header-only, plain C++.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <vector>

namespace easel::cli {

using BenchClock = std::chrono::steady_clock;

inline double msSince(BenchClock::time_point t)
{
    return std::chrono::duration<double, std::milli>(BenchClock::now() - t).count();
}

/// The p-quantile (0..1) of the samples, nearest rank; 0 for none.
inline double percentile(std::vector<double> v, double p)
{
    if (v.empty())
        return 0;
    std::sort(v.begin(), v.end());
    return v[std::min(v.size() - 1, size_t(p * double(v.size() - 1) + 0.5))];
}

/// A port no one listens on now (the kernel's pick for port 0, released at once).
inline int freeLoopbackPort()
{
    const int s = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(s, reinterpret_cast<sockaddr*>(&a), sizeof a);
    socklen_t len = sizeof a;
    ::getsockname(s, reinterpret_cast<sockaddr*>(&a), &len);
    ::close(s);
    return ntohs(a.sin_port);
}

} // namespace easel::cli
