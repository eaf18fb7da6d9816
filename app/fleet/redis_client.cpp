#include "app/fleet/redis_client.h"

#include <hiredis/hiredis.h>

#include <sys/time.h>

namespace easel::fleet {

namespace {

timeval toTimeval(int ms) { return timeval{ms / 1000, (ms % 1000) * 1000}; }

/// hiredis's reply tree as our value; an error reply anywhere becomes `error`.
RedisReply convert(const redisReply* r, std::string& error)
{
    RedisReply out;
    switch (r->type) {
    case REDIS_REPLY_STRING:
        out.type = RedisReply::Type::String;
        out.str.assign(r->str, r->len);
        break;
    case REDIS_REPLY_STATUS:
        out.type = RedisReply::Type::Status;
        out.str.assign(r->str, r->len);
        break;
    case REDIS_REPLY_INTEGER:
        out.type = RedisReply::Type::Integer;
        out.integer = r->integer;
        break;
    case REDIS_REPLY_ARRAY:
        out.type = RedisReply::Type::Array;
        out.elements.reserve(r->elements);
        for (size_t i = 0; i < r->elements; ++i)
            out.elements.push_back(convert(r->element[i], error));
        break;
    case REDIS_REPLY_ERROR:
        if (error.empty())
            error.assign(r->str, r->len);
        break;
    default:
        break;
    }
    return out;
}

int parsePort(const std::string& text, const std::string& url)
{
    size_t used = 0;
    int port = -1;
    try {
        port = std::stoi(text, &used);
    } catch (const std::exception&) {
    }
    if (used != text.size() || port <= 0 || port > 65535)
        throw std::invalid_argument("bad port in Redis URL " + url);
    return port;
}

} // namespace

RedisAddress RedisAddress::parse(const std::string& url)
{
    const std::string scheme = "redis://";
    if (url.rfind(scheme, 0) != 0)
        throw std::invalid_argument("a Redis URL starts with redis:// (got '" + url
                                    + "'); TLS (rediss://) needs a TLS proxy in front of Redis with this build");
    RedisAddress a;
    std::string rest = url.substr(scheme.size());
    if (const auto at = rest.rfind('@'); at != std::string::npos) {
        std::string auth = rest.substr(0, at);
        rest = rest.substr(at + 1);
        if (const auto colon = auth.find(':'); colon != std::string::npos)
            auth = auth.substr(colon + 1); // user:password; Redis 5 style ":password"
        a.password = auth;
    }
    if (const auto slash = rest.find('/'); slash != std::string::npos) {
        const std::string db = rest.substr(slash + 1);
        rest = rest.substr(0, slash);
        if (!db.empty()) {
            size_t used = 0;
            try {
                a.db = std::stoi(db, &used);
            } catch (const std::exception&) {
                used = 0;
            }
            if (used != db.size() || a.db < 0)
                throw std::invalid_argument("bad database number in Redis URL " + url);
        }
    }
    if (!rest.empty() && rest.front() == '[') { // [::1]:6379
        const auto close = rest.find(']');
        if (close == std::string::npos)
            throw std::invalid_argument("bad IPv6 host in Redis URL " + url);
        a.host = rest.substr(1, close - 1);
        if (close + 1 < rest.size() && rest[close + 1] == ':')
            a.port = parsePort(rest.substr(close + 2), url);
    } else if (const auto colon = rest.rfind(':'); colon != std::string::npos) {
        a.host = rest.substr(0, colon);
        a.port = parsePort(rest.substr(colon + 1), url);
    } else if (!rest.empty()) {
        a.host = rest;
    }
    if (a.host.empty())
        throw std::invalid_argument("no host in Redis URL " + url);
    return a;
}

std::string RedisAddress::display() const { return host + ":" + std::to_string(port) + "/" + std::to_string(db); }

std::string RedisReply::text() const
{
    if (type == Type::Integer)
        return std::to_string(integer);
    return str;
}

RedisClient::RedisClient(RedisAddress address, int timeoutMs)
    : m_address(std::move(address)), m_timeoutMs(timeoutMs)
{
}

RedisClient::~RedisClient() { drop(); }

void RedisClient::drop()
{
    if (m_ctx)
        redisFree(m_ctx);
    m_ctx = nullptr;
}

void RedisClient::connect()
{
    if (m_ctx)
        return;
    redisContext* c = redisConnectWithTimeout(m_address.host.c_str(), m_address.port, toTimeval(m_timeoutMs));
    if (!c || c->err) {
        const std::string why = c ? c->errstr : "out of memory";
        if (c)
            redisFree(c);
        throw RedisUnavailable("cannot reach Redis at " + m_address.display() + ": " + why);
    }
    redisSetTimeout(c, toTimeval(m_timeoutMs));
    m_ctx = c;
    try {
        if (!m_address.password.empty())
            command({"AUTH", m_address.password});
        if (m_address.db != 0)
            command({"SELECT", std::to_string(m_address.db)});
    } catch (const RedisCommandError& e) {
        drop();
        throw RedisUnavailable("Redis at " + m_address.display() + " refused the connection set-up: " + e.what());
    }
}

namespace {

void append(redisContext* c, const std::vector<std::string>& argv)
{
    std::vector<const char*> parts;
    std::vector<size_t> lengths;
    parts.reserve(argv.size());
    lengths.reserve(argv.size());
    for (const auto& a : argv) {
        parts.push_back(a.data());
        lengths.push_back(a.size());
    }
    redisAppendCommandArgv(c, int(argv.size()), parts.data(), lengths.data());
}

} // namespace

RedisReply RedisClient::command(const std::vector<std::string>& argv)
{
    auto replies = pipeline({argv});
    return std::move(replies.front());
}

std::vector<RedisReply> RedisClient::pipeline(const std::vector<std::vector<std::string>>& commands)
{
    connect();
    for (const auto& argv : commands)
        append(m_ctx, argv);
    std::vector<RedisReply> out;
    out.reserve(commands.size());
    std::string error;
    for (size_t i = 0; i < commands.size(); ++i) {
        void* raw = nullptr;
        if (redisGetReply(m_ctx, &raw) != REDIS_OK || !raw) {
            const std::string why = m_ctx->errstr[0] ? m_ctx->errstr : "connection lost";
            drop();
            throw RedisUnavailable("Redis at " + m_address.display() + ": " + why);
        }
        auto* reply = static_cast<redisReply*>(raw);
        out.push_back(convert(reply, error));
        freeReplyObject(reply);
    }
    if (!error.empty())
        throw RedisCommandError(error);
    return out;
}

bool RedisClient::ping() noexcept
{
    try {
        return command({"PING"}).str == "PONG";
    } catch (...) {
        return false;
    }
}

} // namespace easel::fleet
