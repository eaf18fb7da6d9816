// `easel-cli bench server --model FILE [--requests N] [--clients N] [--per-client N] [--steps N]
//  [--queue-depth N] [--json]`
// easel-server in this process on a free loopback port, over one model: (1) the per-request cost
// of the HTTP path (POST /sdapi/v1/txt2img: JSON parse, validation, queue, base64 PNG answer)
// against the direct service call for the same job, measured as paired differences with the
// order alternating, so machine noise cancels; (2) many concurrent clients at once: every answer
// must be 200 or 503 (queue full, with Retry-After), nothing else. Issue 18 target: median
// overhead <= 5 ms, no other errors at 64 clients.

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <future>
#include <iostream>
#include <thread>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include "app/cli/args.h"
#include "app/cli/bench_util.h"
#include "app/cli/commands.h"
#include "app/cli/runtime_setup.h"
#include "app/server/a1111_generate.h"
#include "app/server/easel_server.h"
#include "app/server/server_context.h"
#include "engine/api/error.h"

namespace easel::cli {

namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using Clock = std::chrono::steady_clock;


/// A models folder holding only `model` (and its sidecar), A1111 layout.
std::string modelsFolder(const fs::path& tmp, const fs::path& model)
{
    const fs::path dir = tmp / "models" / "Stable-diffusion";
    fs::create_directories(dir);
    fs::copy_file(model, dir / model.filename());
    for (const char* ext : {".yaml", ".yml"})
        if (fs::path sidecar = fs::path(model).replace_extension(ext); fs::exists(sidecar))
            fs::copy_file(sidecar, dir / sidecar.filename());
    return (tmp / "models").string();
}

json payload(int steps, std::int64_t seed)
{
    return {{"prompt", "a lighthouse in a storm"}, {"steps", steps}, {"width", 64}, {"height", 64},
            {"seed", seed}, {"sampler_name", "Euler"}, {"cfg_scale", 7}};
}

struct Paired {
    std::vector<double> direct, http, overhead, rawOverhead;
};

Paired pairedRuns(server::ServerContext& ctx, httplib::Client& client, int requests, int steps)
{
    Paired p;
    // Each side's wall time minus the job's own time (queue + run, as the service measured it):
    // what is left is the cost of the path around the job, free of the sampling's noise.
    auto direct = [&](std::int64_t seed, double& jobMs) {
        const auto t = Clock::now();
        const server::A1111Job job = server::parseA1111(payload(steps, seed), false, server::a1111Context(ctx));
        const auto id = ctx.service->submit(job.request, server::a1111JobOptions(ctx, job, ""));
        const auto snap = ctx.service->waitFor(id);
        const double total = msSince(t);
        jobMs = snap ? (snap->queuedSeconds + snap->runSeconds) * 1000 : 0;
        return total;
    };
    auto http = [&](std::int64_t seed, double& jobMs) {
        const auto t = Clock::now();
        const auto r = client.Post("/sdapi/v1/txt2img", payload(steps, seed).dump(), "application/json");
        if (!r || r->status != 200)
            throw api::Error(api::ErrorCode::Internal, "bench server: txt2img answered " + (r ? std::to_string(r->status) : "nothing"));
        json::parse(r->body); // what a client does with the answer
        const double total = msSince(t);
        const std::string timing = r->get_header_value("Server-Timing"); // "job;dur=123.4"
        const auto at = timing.find("dur=");
        jobMs = at == std::string::npos ? 0 : std::stod(timing.substr(at + 4));
        return total;
    };
    double dj = 0, hj = 0;
    direct(1, dj);
    http(1, hj); // warm: model loaded, connection open
    for (int i = 0; i < requests; ++i) {
        double d = 0, h = 0;
        if (i % 2 == 0) {
            d = direct(100 + i, dj);
            h = http(100 + i, hj);
        } else {
            h = http(100 + i, hj);
            d = direct(100 + i, dj);
        }
        p.direct.push_back(d);
        p.http.push_back(h);
        p.overhead.push_back((h - hj) - (d - dj));
        p.rawOverhead.push_back(h - d);
    }
    return p;
}

json concurrentClients(int port, int clients, int perClient, int steps)
{
    std::vector<std::future<std::vector<std::pair<int, double>>>> futures;
    const auto start = Clock::now();
    for (int c = 0; c < clients; ++c)
        futures.push_back(std::async(std::launch::async, [=] {
            httplib::Client client("127.0.0.1", port);
            client.set_read_timeout(600, 0);
            client.set_connection_timeout(30, 0);
            std::vector<std::pair<int, double>> out;
            for (int i = 0; i < perClient; ++i) {
                const auto t = Clock::now();
                const auto r = client.Post("/sdapi/v1/txt2img", payload(steps, 1000 + c * perClient + i).dump(), "application/json");
                out.emplace_back(r ? r->status : -1, msSince(t));
            }
            return out;
        }));
    int ok = 0, busy = 0, other = 0;
    std::vector<double> okLatency;
    json otherStatuses = json::array();
    for (auto& f : futures)
        for (const auto& [status, ms] : f.get()) {
            if (status == 200) {
                ++ok;
                okLatency.push_back(ms);
            } else if (status == 503) {
                ++busy;
            } else {
                ++other;
                otherStatuses.push_back(status);
            }
        }
    const double wall = msSince(start) / 1000;
    return {{"clients", clients}, {"requests", clients * perClient}, {"ok_200", ok}, {"busy_503", busy},
            {"other_errors", other}, {"other_statuses", otherStatuses}, {"latency_ms_p50", percentile(okLatency, 0.5)},
            {"latency_ms_p95", percentile(okLatency, 0.95)}, {"wall_seconds", wall}, {"images_per_second", ok / wall}};
}

int runBenchServer(const std::vector<std::string>& argv)
{
    std::vector<OptionSpec> specs = commonOptionSpecs();
    specs.push_back({"model", "m", true, false, "checkpoint file (e.g. tests/data/golden/models/sd1_tiny.safetensors)"});
    specs.push_back({"requests", "", true, false, "paired direct/HTTP requests (default 30)"});
    specs.push_back({"clients", "", true, false, "concurrent clients (default 64)"});
    specs.push_back({"per-client", "", true, false, "requests per concurrent client (default 2)"});
    specs.push_back({"steps", "", true, false, "sampling steps per job (default 1)"});
    specs.push_back({"queue-depth", "", true, false, "server queue depth (default 16, as easel-server)"});
    specs.push_back({"json", "", false, false, "print JSON only"});
    const Args args(specs, argv);
    applyCommonOptions(args);
    const auto model = args.value("model");
    if (!model || !fs::is_regular_file(*model))
        throw std::invalid_argument("bench server: --model FILE is required (a checkpoint; the tiny test model is enough)");
    const int steps = std::max(1, args.intValue("steps", 1));

    const fs::path tmp = fs::temp_directory_path() / ("easel-bench-server-" + std::to_string(::getpid()));
    fs::remove_all(tmp);
    server::ServerOptions options;
    options.port = 0;
    options.modelsDirs = {modelsFolder(tmp, *model)};
    options.dataDir = (tmp / "data").string();
    options.queueDepth = std::max(1, args.intValue("queue-depth", 16));
    options.threads = args.intValue("threads", 0);
    json result;
    {
        server::EaselServer server(options);
        const int port = server.bind();
        std::thread serving([&server] { server.serve(); });
        httplib::Client client("127.0.0.1", port);
        client.set_read_timeout(600, 0);

        const Paired p = pairedRuns(server.context(), client, std::max(4, args.intValue("requests", 30)), steps);
        std::vector<double> health;
        for (int i = 0; i < 200; ++i) {
            const auto t = Clock::now();
            client.Get("/healthz");
            health.push_back(msSince(t));
        }
        const json load = concurrentClients(port, std::max(1, args.intValue("clients", 64)),
                                            std::max(1, args.intValue("per-client", 2)), steps);
        const double overhead = percentile(p.overhead, 0.5);
        result = {{"bench", "server"},
                  {"model", fs::path(*model).filename().string()},
                  {"steps", steps},
                  {"paired_requests", p.overhead.size()},
                  {"direct_ms_median", percentile(p.direct, 0.5)},
                  {"http_ms_median", percentile(p.http, 0.5)},
                  {"overhead_ms_median", overhead},
                  {"overhead_ms_p90", percentile(p.overhead, 0.9)},
                  {"wall_difference_ms_median", percentile(p.rawOverhead, 0.5)},
                  {"healthz_ms_median", percentile(health, 0.5)},
                  {"concurrency", load},
                  {"target", {{"overhead_ms_median_max", 5}, {"other_errors_max", 0}}},
                  {"meets_target", overhead <= 5.0 && load["other_errors"].get<int>() == 0}};
        server.stop();
        serving.join();
    }
    fs::remove_all(tmp);
    std::cout << result.dump(args.has("json") ? -1 : 2) << "\n";
    return 0;
}

const CommandRegistrar registrar{"bench server", "easel-server: HTTP overhead vs the direct service call, 64 concurrent clients",
                                 &runBenchServer};

} // namespace

} // namespace easel::cli
