#pragma once
/// Opt-in wall-clock timers per layer kind (conv, group_norm, attention, …) so the benchmark can
/// say where a UNet step or VAE decode spends its time. Off unless $EASEL_PROFILE is set or
/// setProfiling(true) is called; when off a Scope costs one branch. Engine thread only (the totals
/// are plain globals, not synchronised).

#include <string>
#include <utility>
#include <vector>

namespace easel::models {

bool profilingEnabled();
void setProfiling(bool on);
void resetProfile();
/// (kind, seconds, calls), largest first.
struct ProfileEntry {
    std::string kind;
    double seconds = 0;
    double cpuSeconds = 0; ///< process CPU time (all threads) inside the scopes
    long calls = 0;
};
std::vector<ProfileEntry> profileTotals();

/// Adds the time between construction and destruction to `kind` (a string literal). Nested
/// scopes are counted in both (e.g. attention's bmm inside "attention").
class ProfileScope {
public:
    explicit ProfileScope(const char* kind);
    ~ProfileScope();
    ProfileScope(const ProfileScope&) = delete;
    ProfileScope& operator=(const ProfileScope&) = delete;

private:
    const char* m_kind;
    long long m_start = 0;
    long long m_cpuStart = 0;
};

} // namespace easel::models
