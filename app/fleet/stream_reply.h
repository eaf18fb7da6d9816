#pragma once
// Stream entries out of the replies of XREAD / XREADGROUP / XAUTOCLAIM. Plain C++.

#include <map>
#include <string>
#include <vector>

#include "app/fleet/redis_client.h"

namespace easel::fleet {

struct StreamEntry {
    std::string stream;
    std::string id;
    std::map<std::string, std::string> fields;
    std::string field(const std::string& name) const
    {
        const auto it = fields.find(name);
        return it == fields.end() ? std::string() : it->second;
    }
};

/// XREAD/XREADGROUP: [[stream, [[id, [k, v, …]], …]], …]; Nil (timeout) gives none.
std::vector<StreamEntry> entriesOfRead(const RedisReply& reply);
/// XAUTOCLAIM: [next, [[id, [k, v, …]], …], deleted]; entries are of `stream`.
std::vector<StreamEntry> entriesOfClaim(const RedisReply& reply, const std::string& stream);

} // namespace easel::fleet
