#include "app/fleet/stream_reply.h"

namespace easel::fleet {

namespace {

void appendEntries(const RedisReply& list, const std::string& stream, std::vector<StreamEntry>& out)
{
    for (const auto& e : list.elements) {
        if (e.elements.size() < 2 || e.elements[1].isNil())
            continue; // an entry deleted while pending
        StreamEntry entry;
        entry.stream = stream;
        entry.id = e.elements[0].str;
        const auto& kv = e.elements[1].elements;
        for (size_t i = 0; i + 1 < kv.size(); i += 2)
            entry.fields[kv[i].str] = kv[i + 1].str;
        out.push_back(std::move(entry));
    }
}

} // namespace

std::vector<StreamEntry> entriesOfRead(const RedisReply& reply)
{
    std::vector<StreamEntry> out;
    for (const auto& s : reply.elements)
        if (s.elements.size() >= 2)
            appendEntries(s.elements[1], s.elements[0].str, out);
    return out;
}

std::vector<StreamEntry> entriesOfClaim(const RedisReply& reply, const std::string& stream)
{
    std::vector<StreamEntry> out;
    if (reply.elements.size() >= 2)
        appendEntries(reply.elements[1], stream, out);
    return out;
}

} // namespace easel::fleet
