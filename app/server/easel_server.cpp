#include "app/server/easel_server.h"

#include <filesystem>
#include <fstream>

#include <sys/socket.h>
#include <stdexcept>

#include <httplib.h>

#include "app/fleet/simulated_generator.h"
#include "app/server/http_util.h"
#include "app/server/routes.h"
#include "app/server/server_context.h"
#include "engine/api/error.h"
#include "engine/api/logging.h"
#include "engine/api/runtime.h"
#include "engine/io/host_buffer_pool.h"

namespace easel::server {

namespace fs = std::filesystem;
using nlohmann::json;

std::optional<std::string> ServerContext::caller(const httplib::Request& req) const
{
    return credentials.identify(req.get_header_value("Authorization"), req.get_header_value("X-API-Key"));
}

bool ServerContext::ready() const
{
    if (draining || !service)
        return false;
    if (worker)
        return worker->stats().connected;
    return service->queuedCount() < options.queueDepth && (!fleet || fleet->available());
}

std::optional<service::JobSnapshot> ServerContext::runningJob() const
{
    for (const auto& j : service->jobs())
        if (j.state == service::JobState::Running)
            return j;
    return std::nullopt;
}

struct EaselServer::Impl {
    ServerContext ctx;
    std::unique_ptr<httplib::Server> http;
    int port = 0;
    int listenSocket = -1;

    void setUpService();
    void setUpFleet(service::ServiceConfig& config);
    void setUpHttp();
    void guard();
};

namespace {

std::string dataDirOf(const ServerOptions& o)
{
    const std::string dir = o.dataDir.empty() ? api::dataDirectory() : o.dataDir;
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec)
        throw std::runtime_error("cannot create the data folder " + dir + ": " + ec.message());
    return dir;
}

std::string readPasswordFile(const std::string& path)
{
    std::ifstream in(path);
    if (!in)
        throw std::runtime_error("cannot read --redis-password-file " + path);
    std::string password;
    std::getline(in, password);
    while (!password.empty() && (password.back() == '\r' || password.back() == ' '))
        password.pop_back();
    return password;
}

fleet::FleetSettings fleetSettings(const ServerOptions& o)
{
    fleet::FleetSettings f;
    try {
        f.redis = fleet::RedisAddress::parse(o.redisUrl);
    } catch (const std::invalid_argument& e) {
        throw std::runtime_error(std::string("--redis: ") + e.what());
    }
    if (!o.redisPasswordFile.empty())
        f.redis.password = readPasswordFile(o.redisPasswordFile);
    f.claimIdleMs = o.claimIdleMs;
    f.maxAttempts = o.maxAttempts;
    f.resultTtlSeconds = o.resultTtlSeconds;
    return f;
}

/// Paths that need no credentials: probes of orchestrators and load balancers.
bool isOpenPath(const std::string& path) { return path == "/healthz" || path == "/readyz"; }

} // namespace

void EaselServer::Impl::setUpService()
{
    const ServerOptions& o = ctx.options;
    const std::string data = dataDirOf(o);
    const std::string catalogPath = (fs::path(data) / "easel-server.sqlite").string();
    for (const auto& dir : o.modelsDirs)
        if (!fs::is_directory(dir))
            throw std::runtime_error("--models-dir " + dir + " is not a folder");
    ctx.models = std::make_unique<ServedModels>(catalogPath, o.modelsDirs);
    if (o.scanAtStart)
        ctx.models->refresh();
    service::ResolverOptions where;
    where.catalogPath = catalogPath;
    where.modelRoots = o.modelsDirs;
    where.allowPaths = false; // a client names models, never files
    ctx.resolver = std::make_unique<service::ModelResolver>(where);
    service::ServiceConfig config;
    config.outputFolder = o.outputDir.empty() ? (fs::path(data) / "outputs").string() : o.outputDir;
    config.catalogPath = catalogPath;
    config.nameLookup = ctx.resolver->nameLookup();
    config.queueDepth = o.queueDepth;
    config.perOwnerQueueDepth = o.perKeyQueueDepth;
    if (o.simulateStepMs >= 0)
        config.generator = std::make_shared<fleet::SimulatedGenerator>(o.simulateStepMs);
    setUpFleet(config);
    ctx.service = std::make_unique<service::GenerationService>(config);
    ctx.service->subscribe([this](const service::JobEvent& e) {
        ctx.metrics.onJobEvent(e);
        ctx.events.onJobEvent(e);
    });
}

/// --role api: jobs go to the workers through Redis, many at once (each lane waits on one);
/// --role worker: the service stays local and a FleetWorker feeds it (started once it exists).
void EaselServer::Impl::setUpFleet(service::ServiceConfig& config)
{
    const ServerOptions& o = ctx.options;
    if (o.role != "api")
        return;
    ctx.fleet = std::make_unique<fleet::FleetClient>(fleetSettings(o));
    if (!ctx.fleet->available())
        api::logWarning("fleet: Redis at " + ctx.fleet->settings().redis.display()
                        + " cannot be reached yet; answering 503 until it can");
    config.generator = ctx.fleet->generator();
    config.parallelJobs = std::max(32, 2 * o.queueDepth);
    config.nextJobId = [f = ctx.fleet.get()] { return f->nextJobId(); };
    config.ownerBacklog = [f = ctx.fleet.get()](const std::string& owner) { return f->waitingOf(owner); };
}

/// Auth, CORS and limits in front of every route.
void EaselServer::Impl::guard()
{
    const std::string origin = ctx.options.corsOrigin;
    http->set_pre_routing_handler([this, origin](const httplib::Request& req, httplib::Response& res) {
        if (!origin.empty()) {
            res.set_header("Access-Control-Allow-Origin", origin);
            res.set_header("Vary", "Origin");
            if (req.method == "OPTIONS") {
                res.set_header("Access-Control-Allow-Methods", "GET, POST, DELETE, OPTIONS");
                res.set_header("Access-Control-Allow-Headers", "Authorization, Content-Type, X-API-Key, Idempotency-Key");
                res.set_header("Access-Control-Max-Age", "600");
                res.status = 204;
                return httplib::Server::HandlerResponse::Handled;
            }
        }
        if (isOpenPath(req.path) || ctx.caller(req))
            return httplib::Server::HandlerResponse::Unhandled;
        ctx.metrics.countRejected("auth");
        ctx.metrics.countHttp(401); // answered here, before routing (no post-routing call)
        res.set_header("WWW-Authenticate", "Bearer realm=\"easel\", Basic realm=\"easel\"");
        sendDetail(res, 401, "missing or wrong credentials: send `Authorization: Bearer <key>` (or X-API-Key), or HTTP "
                             "Basic for --api-auth users");
        return httplib::Server::HandlerResponse::Handled;
    });
    http->set_error_handler([this](const httplib::Request&, httplib::Response& res) {
        if (!res.body.empty())
            return;
        if (res.status == 413) {
            ctx.metrics.countRejected("too_large");
            return sendDetail(res, 413, "the request body is over this server's limit of "
                                            + std::to_string(ctx.options.maxBodyBytes >> 20) + " MiB (--max-body-mb)");
        }
        if (res.status == 404)
            return sendDetail(res, 404, "Not Found");
        sendDetail(res, res.status, "HTTP error " + std::to_string(res.status));
    });
    http->set_exception_handler([](const httplib::Request&, httplib::Response& res, std::exception_ptr ep) {
        try {
            std::rethrow_exception(ep);
        } catch (const api::Error& e) {
            sendEngineError(res, e);
        } catch (const std::exception& e) {
            api::logError(std::string("server: ") + e.what());
            sendDetail(res, 500, std::string("internal error: ") + e.what());
        } catch (...) {
            sendDetail(res, 500, "internal error");
        }
    });
    // Counted before the answer is written, so a client's next request already sees it.
    http->set_post_routing_handler([this](const httplib::Request&, httplib::Response& res) {
        ctx.metrics.countHttp(res.status);
    });
    http->set_logger([](const httplib::Request& req, const httplib::Response& res) {
        api::logDebug("http " + req.method + " " + req.path + " -> " + std::to_string(res.status));
    });
}

void EaselServer::Impl::setUpHttp()
{
    const ServerOptions& o = ctx.options;
    if (!o.tlsCert.empty()) {
        auto tls = std::make_unique<httplib::SSLServer>(o.tlsCert.c_str(), o.tlsKey.c_str());
        if (!tls->is_valid())
            throw std::runtime_error("cannot use the TLS certificate " + o.tlsCert + " and key " + o.tlsKey
                                     + " (PEM files that belong together are needed)");
        http = std::move(tls);
    } else {
        http = std::make_unique<httplib::Server>();
    }
    // Synchronous A1111 calls hold a thread for their job: enough threads for a full queue plus
    // the clients that poll /progress meanwhile.
    const int threads = o.httpThreads > 0 ? o.httpThreads : o.queueDepth + 48;
    http->new_task_queue = [threads] { return new httplib::ThreadPool(size_t(threads)); };
    // cpp-httplib listens with a backlog of 5: under a burst of clients the kernel drops SYNs and
    // they wait seconds for a retry. The socket is remembered here and re-listened with a deep
    // backlog after bind (Linux takes a second listen() as a backlog change).
    http->set_socket_options([this](socket_t sock) {
        httplib::default_socket_options(sock);
        listenSocket = sock;
    });
    http->set_payload_max_length(o.maxBodyBytes);
    http->set_read_timeout(o.readTimeoutSeconds);
    http->set_write_timeout(30);
    http->set_keep_alive_timeout(5);
    http->set_keep_alive_max_count(1000);
    guard();
    registerOperationsRoutes(*http, ctx);
    if (o.role == "worker")
        return; // a worker serves probes and metrics only: its jobs come from the fleet
    registerA1111GenerationRoutes(*http, ctx);
    registerA1111ListingRoutes(*http, ctx);
    registerControlNetRoutes(*http, ctx);
    registerNativeRoutes(*http, ctx);
}

EaselServer::EaselServer(ServerOptions options) : m_impl(std::make_unique<Impl>())
{
    const std::string refused = refuseReason(options);
    if (!refused.empty())
        throw std::runtime_error(refused);
    const auto device = api::parseDevicePreference(options.device);
    if (!device)
        throw std::runtime_error("unknown --device '" + options.device + "'; use auto, cpu or cuda");
    api::configureRuntime({options.threads, *device}); // the same threads as easel-cli: the same images
    if (options.hostPoolMb >= 0)
        io::HostBufferPool::shared().setBudget(std::uint64_t(options.hostPoolMb) << 20);
    m_impl->ctx.options = std::move(options);
    m_impl->ctx.credentials = Credentials::fromOptions(m_impl->ctx.options);
    m_impl->setUpService();
    m_impl->setUpHttp();
    if (m_impl->ctx.options.role == "worker") {
        const ServerOptions& o = m_impl->ctx.options;
        m_impl->ctx.worker = std::make_unique<fleet::FleetWorker>(
            fleetSettings(o), o.workerId.empty() ? fleet::defaultWorkerId() : o.workerId, *m_impl->ctx.service,
            o.preload);
        m_impl->ctx.worker->start();
    }
}

EaselServer::~EaselServer()
{
    stop();
    m_impl->ctx.worker.reset(); // finishes and publishes its running job first
    m_impl->ctx.service.reset(); // cancels the running job, joins the worker
}

int EaselServer::bind()
{
    const ServerOptions& o = m_impl->ctx.options;
    if (o.port == 0)
        m_impl->port = m_impl->http->bind_to_any_port(o.host);
    else
        m_impl->port = m_impl->http->bind_to_port(o.host, o.port) ? o.port : -1;
    if (m_impl->port <= 0)
        throw std::runtime_error("cannot listen on " + o.host + ":" + std::to_string(o.port)
                                 + " (in use, or not an address of this machine)");
    if (m_impl->listenSocket >= 0)
        ::listen(m_impl->listenSocket, SOMAXCONN);
    return m_impl->port;
}

void EaselServer::serve() { m_impl->http->listen_after_bind(); }

void EaselServer::drain()
{
    m_impl->ctx.draining = true;
    if (m_impl->ctx.worker)
        m_impl->ctx.worker->drain(); // takes nothing new, publishes what it runs
    m_impl->ctx.service->drain();
    stop();
}

void EaselServer::stop()
{
    m_impl->ctx.stopping = true;
    m_impl->ctx.events.wakeAll();
    if (m_impl->http)
        m_impl->http->stop();
}

std::string EaselServer::url() const
{
    const ServerOptions& o = m_impl->ctx.options;
    const std::string host = o.host.find(':') != std::string::npos ? "[" + o.host + "]" : o.host;
    return std::string(o.tlsCert.empty() ? "http" : "https") + "://" + host + ":" + std::to_string(m_impl->port);
}

ServerContext& EaselServer::context() { return m_impl->ctx; }

} // namespace easel::server
