#pragma once
// A small synchronous Redis client on hiredis (Debian libhiredis-dev): one connection, commands as
// argument lists (binary-safe, no string formatting), replies as plain values. It reconnects on
// the next command after the connection broke, so a Redis restart costs callers one error, not a
// restart of their own. Not thread-safe: one client per thread. Plain C++.

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

struct redisContext;

namespace easel::fleet {

/// Where Redis is: redis://[:password@]HOST[:PORT][/DB] (password may also come from a file).
struct RedisAddress {
    std::string host = "127.0.0.1";
    int port = 6379;
    int db = 0;
    std::string password;

    /// Throws std::invalid_argument naming what is wrong with the URL.
    static RedisAddress parse(const std::string& url);
    std::string display() const; ///< host:port/db, never the password
};

struct RedisReply {
    enum class Type { Nil, String, Integer, Array, Status };
    Type type = Type::Nil;
    std::string str;           ///< String and Status
    long long integer = 0;     ///< Integer
    std::vector<RedisReply> elements;

    bool isNil() const { return type == Type::Nil; }
    /// The text of a String/Status, the decimal of an Integer, "" for Nil.
    std::string text() const;
};

/// Redis cannot be reached (refused, timed out, connection dropped): retry later.
class RedisUnavailable : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// Redis answered with an error reply (wrong type, script error, BUSYGROUP, …).
class RedisCommandError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
    bool startsWith(const std::string& prefix) const { return std::string(what()).rfind(prefix, 0) == 0; }
};

class RedisClient {
public:
    /// Connects on the first command. `timeoutMs` bounds connecting and each reply; blocking
    /// commands (XREAD BLOCK n) must block for less than it.
    explicit RedisClient(RedisAddress address, int timeoutMs = 5000);
    ~RedisClient();
    RedisClient(const RedisClient&) = delete;
    RedisClient& operator=(const RedisClient&) = delete;

    /// Runs one command. Throws RedisUnavailable (and drops the connection) or RedisCommandError.
    RedisReply command(const std::vector<std::string>& argv);
    /// Sends every command, then reads every reply (one round trip). Error replies come back as
    /// throws after all replies were read.
    std::vector<RedisReply> pipeline(const std::vector<std::vector<std::string>>& commands);
    /// PING answered PONG (connects if needed); never throws.
    bool ping() noexcept;
    const RedisAddress& address() const { return m_address; }

private:
    void connect();
    void drop();

    RedisAddress m_address;
    int m_timeoutMs;
    redisContext* m_ctx = nullptr;
};

} // namespace easel::fleet
