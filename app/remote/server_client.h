#pragma once
/// The HTTP side of the studio on an Easel server (app/server's /easel/v1 jobs API and its A1111-style
/// listings): one call per endpoint, each on a connection of its own, so calls from different
/// threads (the job stream, a cancel, a model listing) never share one. Every failure is an
/// api::Error whose message says what to do: the server cannot be reached (check the address in
/// Settings → Engine), the API key is wrong (401), the server is busy (503, try again), the request
/// was refused (422, the server's own words). Plain C++ (cpp-httplib); any thread.

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "app/remote/server_address.h"
#include "app/remote/server_types.h"
#include "app/remote/sse_parser.h"
#include "engine/api/request.h"

namespace easel::remote {

struct ServerConfig {
    std::string url; ///< as typed in Settings → Engine
    std::string apiKey; ///< sent as "Authorization: Bearer"; empty = none
    int connectTimeoutSeconds = 5;
    /// How long a reply (or the job stream, between two events or keep-alives) may stay silent.
    int readTimeoutSeconds = 60;
};

class ServerClient {
public:
    /// Throws api::Error(InvalidRequest) for an address that cannot be one.
    explicit ServerClient(ServerConfig config);

    const ServerAddress& address() const { return m_address; }

    /// GET /healthz, then an authenticated listing (the health check needs no key): throws when the
    /// server cannot be reached or refuses the key.
    void checkConnection() const;

    /// POST /easel/v1/jobs; returns the job as queued (its id).
    ServerJob submit(const api::GenerationRequest& request, int previewEverySteps, const std::string& title) const;
    ServerJob job(const std::string& id) const;
    /// DELETE /easel/v1/jobs/{id}: stops it within a step; its finished images stay.
    ServerJob cancel(const std::string& id) const;
    /// The PNG bytes of an image, by the `url` of its ServerImage.
    std::string fetchImage(const std::string& url) const;
    /// GET /easel/v1/jobs/{id}/events: calls `onEvent` for each event until the stream ends or
    /// `onEvent` returns false. Throws when the stream cannot be opened or breaks off.
    void followEvents(const std::string& id, const std::function<bool(const SseEvent&)>& onEvent) const;

    std::vector<ServerModel> checkpoints() const;
    std::vector<ServerModel> vaes() const;
    std::vector<ServerModel> loras() const;
    std::vector<ServerModel> controlNets() const;
    std::vector<std::string> samplers() const;

private:
    std::string get(const std::string& path, const char* what) const;

    ServerConfig m_config;
    ServerAddress m_address;
};

} // namespace easel::remote
