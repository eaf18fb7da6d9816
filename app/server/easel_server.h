#pragma once
// easel-server as an object: the options become the served models, the generation service and an
// HTTP(S) server with every route, auth, limits and CORS in front. main.cpp runs one; tests and
// `easel-cli bench server` run it in-process too.

#include <memory>
#include <string>

#include "app/server/server_options.h"

namespace easel::service {
class GenerationService;
}

namespace easel::server {

struct ServerContext;

class EaselServer {
public:
    /// Opens the catalog, scans the model folders and starts the service. Throws
    /// std::runtime_error / api::Error with a message for the operator.
    explicit EaselServer(ServerOptions options);
    ~EaselServer();
    EaselServer(const EaselServer&) = delete;
    EaselServer& operator=(const EaselServer&) = delete;

    /// Binds the listening socket; returns the port (the chosen one for port 0). Throws.
    int bind();
    /// Serves until stop(); call after bind().
    void serve();
    /// SIGTERM: new work gets 503 from now on, the running and queued jobs finish, then serve()
    /// returns. Any thread.
    void drain();
    /// Stops at once (running jobs are cancelled by the service's destructor).
    void stop();

    std::string url() const;
    ServerContext& context();

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

} // namespace easel::server
