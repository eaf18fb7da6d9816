#pragma once
// Who may call the server: API keys (a key file) and HTTP Basic users (A1111's --api-auth). Only
// SHA-256 digests of the secrets are kept in memory, and a presented secret is compared with every
// stored digest in constant time, so neither timing nor a memory dump gives a key away.

#include <array>
#include <optional>
#include <string>
#include <vector>

#include "app/server/server_options.h"

namespace easel::server {

class Credentials {
public:
    /// Reads the key file (one key per line: `name:key` or `key`; blank lines and `#` comments
    /// skipped; keys of fewer than 16 characters refused). Throws std::runtime_error naming the
    /// file and line.
    static Credentials fromOptions(const ServerOptions& options);

    /// True when no credentials are configured (loopback servers may run open, as A1111 does).
    bool open() const { return m_entries.empty(); }

    /// The caller's identity (the key's name, "key-N" for unnamed keys, or the Basic user), from
    /// `Authorization: Bearer KEY`, `X-API-Key: KEY` or `Authorization: Basic …`. nullopt = refuse.
    /// With no credentials configured every caller is "" (anonymous).
    std::optional<std::string> identify(const std::string& authorization, const std::string& apiKeyHeader) const;

    void addKey(const std::string& name, const std::string& key);
    void addUser(const std::string& user, const std::string& password);

private:
    using Digest = std::array<unsigned char, 32>;
    enum class Kind { Key, Basic };
    struct Entry {
        Kind kind;
        std::string name;
        Digest digest;
    };
    std::optional<std::string> match(Kind kind, const std::string& secret) const;

    std::vector<Entry> m_entries;
};

} // namespace easel::server
