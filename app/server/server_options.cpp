#include "app/server/server_options.h"

#include <stdexcept>

#include "app/cli/args.h"

namespace easel::server {

namespace {

std::vector<cli::OptionSpec> specs()
{
    return {
        {"listen", "", true, false, "HOST:PORT to listen on (default 127.0.0.1:7860; port 0 = any free port)"},
        {"models-dir", "", true, true, "model folder, A1111 `models/` or ComfyUI `models/` layout (repeatable)"},
        {"data-dir", "", true, false, "catalog, outputs and logs (default: the studio's data folder)"},
        {"output-dir", "", true, false, "where save_images / save writes (default <data-dir>/outputs)"},
        {"tls-cert", "", true, false, "PEM certificate: serve HTTPS"},
        {"tls-key", "", true, false, "PEM private key of --tls-cert"},
        {"api-key-file", "", true, false, "API keys, one per line (`name:key` or `key`)"},
        {"api-auth", "", true, false, "HTTP Basic users as A1111's flag: user:pass[,user:pass…]"},
        {"insecure-no-auth", "", false, false, "allow listening beyond loopback without keys (not recommended)"},
        {"queue-depth", "", true, false, "queued jobs before new ones get 503 (default 16)"},
        {"per-key-queue", "", true, false, "queued jobs of one key (default: --queue-depth); fleet-wide with --role api"},
        {"max-body-mb", "", true, false, "largest request body in MiB (default 64)"},
        {"max-pixels", "", true, false, "largest output or uploaded image in pixels (default 4194304 = 2048²)"},
        {"cors-origin", "", true, false, "allow browser calls from this origin (default: none)"},
        {"http-threads", "", true, false, "HTTP worker threads (default queue depth + 48)"},
        {"read-timeout", "", true, false, "seconds a silent client is kept (default 10)"},
        {"preview-every", "", true, false, "live preview every N steps for /progress (default 10; 0 = off)"},
        {"device", "", true, false, "auto (default), cpu or cuda"},
        {"threads", "", true, false, "intra-op threads (default: all cores)"},
        {"no-scan", "", false, false, "do not scan the model folders at start (use the catalog as it is)"},
        {"verbose", "", false, false, "debug logging"},
        {"role", "", true, false, "all (default: one process), api (HTTP front end, no GPU) or worker (one per GPU)"},
        {"redis", "", true, false, "redis://HOST:PORT[/DB] that API instances and workers share (api, worker)"},
        {"redis-password-file", "", true, false, "file holding the Redis password (kept out of the process list)"},
        {"worker-id", "", true, false, "this worker's name in the fleet (default hostname-pid)"},
        {"claim-idle-ms", "", true, false, "a job whose worker stopped heart-beating this long runs elsewhere (default 30000)"},
        {"max-attempts", "", true, false, "runs of one job before it goes to the dead-letter stream (default 3)"},
        {"result-ttl-s", "", true, false, "seconds a fleet job and its images are kept in Redis (default 3600)"},
        {"preload", "", true, false, "worker: the checkpoint it holds from the start (routing)"},
        {"simulate-step-ms", "", true, false, "test mode: sleep N ms per step instead of running the model"},
        {"host-pool-mb", "", true, false, "memory of unloaded weights kept for the next load of the same sizes (default RAM/4, at most 6144; 0 = off)"},
    };
}

int positiveInt(const cli::Args& args, const std::string& name, int fallback, int minimum)
{
    const int v = args.intValue(name, fallback);
    if (v < minimum)
        throw std::invalid_argument("--" + name + " must be at least " + std::to_string(minimum));
    return v;
}

void parseListen(const std::string& value, ServerOptions& out)
{
    const auto colon = value.rfind(':');
    if (colon == std::string::npos || colon == 0 || colon + 1 >= value.size())
        throw std::invalid_argument("--listen expects HOST:PORT, got '" + value + "'");
    std::string host = value.substr(0, colon);
    if (host.size() > 2 && host.front() == '[' && host.back() == ']')
        host = host.substr(1, host.size() - 2); // [::1]:7860
    int port = -1;
    try {
        size_t used = 0;
        port = std::stoi(value.substr(colon + 1), &used);
        if (used != value.size() - colon - 1)
            port = -1;
    } catch (const std::exception&) {
    }
    if (port < 0 || port > 65535)
        throw std::invalid_argument("--listen: '" + value.substr(colon + 1) + "' is not a port (0-65535)");
    out.host = host;
    out.port = port;
}

std::vector<BasicAuthUser> parseBasicAuth(const std::string& value)
{
    std::vector<BasicAuthUser> users;
    size_t start = 0;
    while (start <= value.size()) {
        const size_t comma = std::min(value.find(',', start), value.size());
        const std::string pair = value.substr(start, comma - start);
        start = comma + 1;
        if (pair.empty())
            continue;
        const auto colon = pair.find(':');
        if (colon == std::string::npos || colon == 0 || colon + 1 == pair.size())
            throw std::invalid_argument("--api-auth expects user:password[,user:password], got '" + pair + "'");
        users.push_back({pair.substr(0, colon), pair.substr(colon + 1)});
    }
    if (users.empty())
        throw std::invalid_argument("--api-auth names no user");
    return users;
}

} // namespace

std::string serverUsage()
{
    return "usage: easel-server [options]\n\n"
           "Serves AUTOMATIC1111's /sdapi/v1 API and Easel's /easel/v1 jobs API on the Easel engine.\n\n"
        + cli::Args::usage(specs());
}

ServerOptions parseServerOptions(const std::vector<std::string>& argv)
{
    const auto all = specs();
    const cli::Args args(all, argv); // throws HelpRequested / invalid_argument
    if (!args.positionals().empty())
        throw std::invalid_argument("unexpected argument '" + args.positionals().front() + "'");
    ServerOptions o;
    if (auto v = args.value("listen"))
        parseListen(*v, o);
    o.modelsDirs = args.values("models-dir");
    o.dataDir = args.value("data-dir", "");
    o.outputDir = args.value("output-dir", "");
    o.tlsCert = args.value("tls-cert", "");
    o.tlsKey = args.value("tls-key", "");
    o.apiKeyFile = args.value("api-key-file", "");
    if (auto v = args.value("api-auth"))
        o.basicAuth = parseBasicAuth(*v);
    o.insecureNoAuth = args.has("insecure-no-auth");
    o.queueDepth = positiveInt(args, "queue-depth", o.queueDepth, 1);
    o.perKeyQueueDepth = positiveInt(args, "per-key-queue", 0, 0);
    o.maxBodyBytes = static_cast<std::size_t>(positiveInt(args, "max-body-mb", 64, 1)) << 20;
    o.maxPixels = std::stoll(args.value("max-pixels", std::to_string(o.maxPixels)));
    if (o.maxPixels < 64 * 64)
        throw std::invalid_argument("--max-pixels must be at least 4096");
    o.corsOrigin = args.value("cors-origin", "");
    o.httpThreads = positiveInt(args, "http-threads", 0, 0);
    o.readTimeoutSeconds = positiveInt(args, "read-timeout", o.readTimeoutSeconds, 1);
    o.previewEverySteps = positiveInt(args, "preview-every", o.previewEverySteps, 0);
    o.device = args.value("device", "auto");
    o.threads = positiveInt(args, "threads", 0, 0);
    o.scanAtStart = !args.has("no-scan");
    o.verbose = args.has("verbose");
    o.role = args.value("role", "all");
    if (o.role != "all" && o.role != "api" && o.role != "worker")
        throw std::invalid_argument("--role is all, api or worker, not '" + o.role + "'");
    o.redisUrl = args.value("redis", "");
    o.redisPasswordFile = args.value("redis-password-file", "");
    o.workerId = args.value("worker-id", "");
    o.claimIdleMs = positiveInt(args, "claim-idle-ms", o.claimIdleMs, 100);
    o.maxAttempts = positiveInt(args, "max-attempts", o.maxAttempts, 1);
    o.resultTtlSeconds = positiveInt(args, "result-ttl-s", o.resultTtlSeconds, 10);
    o.preload = args.value("preload", "");
    o.simulateStepMs = positiveInt(args, "simulate-step-ms", -1, -1);
    o.hostPoolMb = positiveInt(args, "host-pool-mb", -1, -1); // -1: the pool's default
    return o;
}

bool isLoopbackHost(const std::string& host)
{
    return host == "localhost" || host == "::1" || host.rfind("127.", 0) == 0;
}

std::string refuseReason(const ServerOptions& o)
{
    if (o.tlsCert.empty() != o.tlsKey.empty())
        return "--tls-cert and --tls-key go together: give both or neither";
    if (o.role != "all" && o.redisUrl.empty())
        return "--role " + o.role + " needs --redis redis://HOST:PORT (where API instances and workers meet)";
    if (o.role == "all" && !o.redisUrl.empty())
        return "--redis is for --role api and --role worker; one process (--role all) needs no Redis";
    const bool credentials = !o.apiKeyFile.empty() || !o.basicAuth.empty();
    if (!isLoopbackHost(o.host) && !credentials && !o.insecureNoAuth)
        return "listening on " + o.host
            + " (beyond this computer) needs --api-key-file or --api-auth user:pass; "
              "pass --insecure-no-auth to serve an open network without any credentials";
    return {};
}

} // namespace easel::server
