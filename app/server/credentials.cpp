#include "app/server/credentials.h"

#include <cctype>
#include <fstream>
#include <stdexcept>

#include <openssl/crypto.h>
#include <openssl/sha.h>

#include "engine/core/base64.h"

namespace easel::server {

namespace {

std::array<unsigned char, 32> digestOf(const std::string& secret)
{
    std::array<unsigned char, 32> d{};
    SHA256(reinterpret_cast<const unsigned char*>(secret.data()), secret.size(), d.data());
    return d;
}

std::string trim(const std::string& s)
{
    const auto b = s.find_first_not_of(" \t\r\n");
    if (b == std::string::npos)
        return {};
    const auto e = s.find_last_not_of(" \t\r\n");
    return s.substr(b, e - b + 1);
}

bool startsWithNoCase(const std::string& text, const std::string& prefix)
{
    if (text.size() < prefix.size())
        return false;
    for (size_t i = 0; i < prefix.size(); ++i)
        if (std::tolower(static_cast<unsigned char>(text[i])) != std::tolower(static_cast<unsigned char>(prefix[i])))
            return false;
    return true;
}

} // namespace

void Credentials::addKey(const std::string& name, const std::string& key)
{
    m_entries.push_back({Kind::Key, name, digestOf(key)});
}

void Credentials::addUser(const std::string& user, const std::string& password)
{
    // The digest covers "user:password", so one comparison checks both.
    m_entries.push_back({Kind::Basic, user, digestOf(user + ":" + password)});
}

Credentials Credentials::fromOptions(const ServerOptions& options)
{
    Credentials c;
    for (const auto& u : options.basicAuth)
        c.addUser(u.user, u.password);
    if (options.apiKeyFile.empty())
        return c;
    std::ifstream in(options.apiKeyFile);
    if (!in)
        throw std::runtime_error("cannot read the API key file " + options.apiKeyFile);
    std::string line;
    int number = 0, keys = 0;
    while (std::getline(in, line)) {
        ++number;
        line = trim(line);
        if (line.empty() || line.front() == '#')
            continue;
        std::string name, key = line;
        if (const auto colon = line.find(':'); colon != std::string::npos) {
            name = trim(line.substr(0, colon));
            key = trim(line.substr(colon + 1));
        }
        if (key.size() < 16)
            throw std::runtime_error(options.apiKeyFile + " line " + std::to_string(number)
                                     + ": a key needs at least 16 characters (e.g. `openssl rand -hex 24`)");
        c.addKey(name.empty() ? "key-" + std::to_string(++keys) : name, key);
    }
    if (c.m_entries.empty())
        throw std::runtime_error("the API key file " + options.apiKeyFile + " holds no key");
    return c;
}

std::optional<std::string> Credentials::match(Kind kind, const std::string& secret) const
{
    const Digest presented = digestOf(secret);
    std::optional<std::string> found;
    // Every entry is compared (no early exit), each in constant time.
    for (const auto& e : m_entries) {
        const bool same = e.kind == kind && CRYPTO_memcmp(e.digest.data(), presented.data(), presented.size()) == 0;
        if (same && !found)
            found = e.name;
    }
    return found;
}

std::optional<std::string> Credentials::identify(const std::string& authorization, const std::string& apiKeyHeader) const
{
    if (open())
        return std::string();
    if (!apiKeyHeader.empty())
        return match(Kind::Key, trim(apiKeyHeader));
    if (startsWithNoCase(authorization, "Bearer "))
        return match(Kind::Key, trim(authorization.substr(7)));
    if (startsWithNoCase(authorization, "Basic ")) {
        const auto decoded = core::base64Decode(trim(authorization.substr(6)));
        if (!decoded)
            return std::nullopt;
        return match(Kind::Basic, std::string(decoded->begin(), decoded->end()));
    }
    return std::nullopt;
}

} // namespace easel::server
