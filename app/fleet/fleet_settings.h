#pragma once
// What every fleet role needs to know about the shared Redis and the delivery rules. Plain C++.

#include <string>

#include "app/fleet/redis_client.h"

namespace easel::fleet {

struct FleetSettings {
    RedisAddress redis;
    int resultTtlSeconds = 3600; ///< job hashes, results and event streams expire after this
    int claimIdleMs = 30000;     ///< a job whose worker stopped heart-beating this long runs elsewhere
    int maxAttempts = 3;         ///< runs of one job (crashes and retriable errors) before dead-letter
};

} // namespace easel::fleet
