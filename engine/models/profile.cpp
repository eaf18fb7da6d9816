#include "engine/models/profile.h"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <ctime>
#include <map>

namespace easel::models {

namespace {

bool g_enabled = [] {
    const char* env = std::getenv("EASEL_PROFILE");
    return env && *env && std::string(env) != "0";
}();

struct Total {
    long long nanos = 0;
    long long cpuNanos = 0;
    long calls = 0;
};

// Keyed by the literal's address first, so the hot path does no string work.
std::map<const char*, Total>& totals()
{
    static std::map<const char*, Total> map;
    return map;
}

/// CPU time of the whole process (all threads): on a machine shared with other work this is a
/// steadier measure than wall time, and it includes threads spinning while they wait.
long long cpuNanos()
{
    timespec ts{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return static_cast<long long>(ts.tv_sec) * 1000000000LL + ts.tv_nsec;
}

long long nowNanos()
{
    return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

} // namespace

bool profilingEnabled() { return g_enabled; }
void setProfiling(bool on) { g_enabled = on; }
void resetProfile() { totals().clear(); }

std::vector<ProfileEntry> profileTotals()
{
    std::map<std::string, ProfileEntry> merged;
    for (const auto& [kind, t] : totals()) {
        ProfileEntry& e = merged[kind];
        e.kind = kind;
        e.seconds += t.nanos * 1e-9;
        e.cpuSeconds += t.cpuNanos * 1e-9;
        e.calls += t.calls;
    }
    std::vector<ProfileEntry> out;
    for (auto& [_, e] : merged)
        out.push_back(e);
    std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.seconds > b.seconds; });
    return out;
}

ProfileScope::ProfileScope(const char* kind) : m_kind(g_enabled ? kind : nullptr)
{
    if (m_kind) {
        m_start = nowNanos();
        m_cpuStart = cpuNanos();
    }
}

ProfileScope::~ProfileScope()
{
    if (!m_kind)
        return;
    Total& t = totals()[m_kind];
    t.nanos += nowNanos() - m_start;
    t.cpuNanos += cpuNanos() - m_cpuStart;
    ++t.calls;
}

} // namespace easel::models
