#pragma once
// easel-server's command line: where it listens, which models it serves, who may use it and how
// much one request may ask for. Plain C++ (no Qt, no torch).

#include <cstdint>
#include <string>
#include <vector>

namespace easel::server {

struct BasicAuthUser {
    std::string user;
    std::string password;
};

struct ServerOptions {
    std::string host = "127.0.0.1"; ///< A1111's default: loopback only
    int port = 7860;                ///< A1111's port; 0 = any free port (printed at start)
    std::vector<std::string> modelsDirs; ///< A1111 `models/` or ComfyUI `models/` folders
    std::string dataDir;            ///< catalog, outputs, logs; "" = the studio's data folder
    std::string outputDir;          ///< "" = <dataDir>/outputs
    std::string tlsCert, tlsKey;
    std::string apiKeyFile;         ///< one key per line, `name:key` or `key`; `#` comments
    std::vector<BasicAuthUser> basicAuth; ///< --api-auth user:pass[,user:pass]
    bool insecureNoAuth = false;    ///< allow a non-loopback listen without any credentials
    int queueDepth = 16;            ///< queued (not running) jobs in all; 503 beyond
    int perKeyQueueDepth = 0;       ///< queued jobs of one key; 0 = queueDepth
    std::size_t maxBodyBytes = 64u << 20;
    std::int64_t maxPixels = 2048LL * 2048; ///< per output and per uploaded image
    std::string corsOrigin;         ///< "" = no CORS headers (browsers refuse cross-origin calls)
    int httpThreads = 0;            ///< 0 = queue depth + 48 (sync A1111 calls hold a thread each)
    int readTimeoutSeconds = 10;    ///< a client that sends nothing for this long is dropped
    int previewEverySteps = 10;     ///< A1111 `show_progress_every_n_steps` default
    std::string device = "auto";    ///< auto | cpu | cuda
    int threads = 0;                ///< intra-op threads; 0 = all cores (as easel-cli)
    bool scanAtStart = true;
    bool verbose = false;

    // Fleet (README "Many GPUs"): roles meeting in Redis Streams.
    std::string role = "all";       ///< all | api | worker
    std::string redisUrl;           ///< redis://HOST:PORT[/DB]; needed by api and worker
    std::string redisPasswordFile;
    std::string workerId;           ///< "" = hostname-pid
    int claimIdleMs = 30000;
    int maxAttempts = 3;
    int resultTtlSeconds = 3600;
    std::string preload;            ///< worker: checkpoint held from the start
    int simulateStepMs = -1;        ///< >= 0: test mode, a sleep per step instead of the model
    int hostPoolMb = -1;            ///< io::HostBufferPool budget (reused weight memory); -1 = its default, 0 = off
};

/// Throws std::invalid_argument with a readable message (unknown option, bad value) and
/// HelpRequested-like std::runtime_error for --help (what() is the usage).
ServerOptions parseServerOptions(const std::vector<std::string>& argv);
std::string serverUsage();

/// True for 127.0.0.0/8, ::1 and "localhost".
bool isLoopbackHost(const std::string& host);

/// Why these options may not start a server ("" when they may): listening beyond loopback with
/// no key and no --api-auth, half a TLS pair, …
std::string refuseReason(const ServerOptions& options);

} // namespace easel::server
