// `easel-cli bench fleet --model FILE [--workers 1,2,4,8] [--step-ms N] [--steps N] [--jobs-per-worker N] [--json]`
// The fleet's own cost: a redis-server of its own on a free loopback port, one API instance and N
// workers (easel-server roles, in this process) with --simulate-step-ms, so a job's compute is a
// known sleep and what is left is the queue path (submit, routing, stream delivery, progress,
// result publish, answer). Reports throughput against worker count (ideal: linear) and per-job
// overhead = wall time − the simulated compute, p50/p99. Issue 19 targets: within 10 % of linear
// from 1 to 8 workers, overhead p50 <= 5 ms.

#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <iostream>
#include <sstream>
#include <thread>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include "app/cli/args.h"
#include "app/cli/bench_util.h"
#include "app/cli/commands.h"
#include "app/cli/runtime_setup.h"
#include "app/fleet/redis_client.h"
#include "app/server/easel_server.h"

extern char** environ;

namespace easel::cli {

namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using Clock = std::chrono::steady_clock;


/// redis-server on a free loopback port, no persistence, killed with the object.
class BenchRedis {
public:
    explicit BenchRedis(int port) : m_port(port)
    {
        const std::string p = std::to_string(port);
        std::vector<std::string> args{"redis-server", "--port", p, "--bind", "127.0.0.1", "--save", "", "--appendonly",
                                      "no", "--loglevel", "warning"};
        std::vector<char*> argv;
        for (auto& a : args)
            argv.push_back(a.data());
        argv.push_back(nullptr);
        if (posix_spawnp(&m_pid, "redis-server", nullptr, nullptr, argv.data(), environ) != 0)
            throw std::runtime_error("bench fleet: cannot start redis-server (installer/easel.sh deps installs it)");
        fleet::RedisClient client(fleet::RedisAddress::parse(url()), 500);
        for (int i = 0; i < 100 && !client.ping(); ++i)
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    ~BenchRedis()
    {
        kill(m_pid, SIGKILL);
        waitpid(m_pid, nullptr, 0);
    }
    std::string url() const { return "redis://127.0.0.1:" + std::to_string(m_port); }

private:
    pid_t m_pid = 0;
    int m_port;
};

/// The simulated workers never read weights, but the API resolves the checkpoint a job names.
std::string modelsFolder(const fs::path& tmp, const fs::path& model)
{
    const fs::path dir = tmp / "models" / "Stable-diffusion";
    fs::create_directories(dir);
    fs::copy_file(model, dir / model.filename());
    return (tmp / "models").string();
}

struct Round {
    int workers = 0;
    double jobsPerSecond = 0;
    std::vector<double> overheadMs; ///< per job: wall − simulated compute
};

Round runRound(const std::string& redisUrl, const std::string& models, const fs::path& tmp, int workers, int stepMs,
               int steps, int jobs)
{
    server::ServerOptions base;
    base.port = 0;
    base.modelsDirs = {models};
    base.redisUrl = redisUrl;
    base.simulateStepMs = stepMs;
    base.claimIdleMs = 5000;
    base.scanAtStart = true;
    std::vector<std::unique_ptr<server::EaselServer>> fleet;
    for (int w = 0; w < workers; ++w) {
        server::ServerOptions o = base;
        o.role = "worker";
        o.workerId = "bench-" + std::to_string(workers) + "-" + std::to_string(w);
        o.dataDir = (tmp / o.workerId).string();
        fleet.push_back(std::make_unique<server::EaselServer>(o));
    }
    server::ServerOptions apiOptions = base;
    apiOptions.role = "api";
    apiOptions.dataDir = (tmp / ("api-" + std::to_string(workers))).string();
    apiOptions.queueDepth = 4 * workers + 16;
    server::EaselServer api(apiOptions);
    const int port = api.bind();
    std::thread serving([&api] { api.serve(); });
    {
        httplib::Client probe("127.0.0.1", port);
        for (int i = 0; i < 100; ++i) { // the API's Redis health check runs every 500 ms
            const auto res = probe.Get("/readyz");
            if (res && res->status == 200)
                break;
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
    }

    const json body{{"prompt", "bench"}, {"steps", steps}, {"width", 64}, {"height", 64}, {"seed", 1}};
    const double computeMs = double(steps) * stepMs;
    std::atomic<int> next{0};
    std::mutex mutex;
    Round r;
    r.workers = workers;
    auto client = [&] {
        httplib::Client c("127.0.0.1", port);
        c.set_read_timeout(120, 0);
        for (int i = next++; i < jobs; i = next++) {
            const auto t = Clock::now();
            const auto res = c.Post("/sdapi/v1/txt2img", body.dump(), "application/json");
            const double ms = msSince(t);
            if (!res || res->status != 200)
                throw std::runtime_error("bench fleet: txt2img answered " + (res ? std::to_string(res->status) : "nothing"));
            std::lock_guard lock(mutex);
            r.overheadMs.push_back(ms - computeMs);
        }
    };
    // One client per worker: every worker always has its next job waiting, none queues behind another.
    const auto start = Clock::now();
    std::vector<std::thread> clients;
    for (int i = 0; i < workers; ++i)
        clients.emplace_back(client);
    for (auto& c : clients)
        c.join();
    r.jobsPerSecond = jobs / (msSince(start) / 1000.0);
    api.stop();
    serving.join();
    return r;
}

std::vector<int> parseCounts(const std::string& text)
{
    std::vector<int> out;
    std::stringstream in(text);
    for (std::string part; std::getline(in, part, ',');)
        out.push_back(std::max(1, std::stoi(part)));
    return out;
}

int runBenchFleet(const std::vector<std::string>& argv)
{
    std::vector<OptionSpec> specs = commonOptionSpecs();
    specs.push_back({"model", "m", true, false, "checkpoint the jobs name (e.g. tests/data/golden/models/sd1_tiny.safetensors)"});
    specs.push_back({"workers", "", true, false, "worker counts to measure (default 1,2,4,8)"});
    specs.push_back({"step-ms", "", true, false, "simulated ms per sampling step (default 25)"});
    specs.push_back({"steps", "", true, false, "steps per job (default 8)"});
    specs.push_back({"jobs-per-worker", "", true, false, "jobs per worker in each round (default 25)"});
    specs.push_back({"json", "", false, false, "print JSON only"});
    const Args args(specs, argv);
    applyCommonOptions(args);
    const int stepMs = std::max(1, args.intValue("step-ms", 25));
    const int steps = std::max(1, args.intValue("steps", 8));
    const int perWorker = std::max(2, args.intValue("jobs-per-worker", 25));
    const auto counts = parseCounts(args.value("workers", "1,2,4,8"));

    const fs::path tmp = fs::temp_directory_path() / ("easel-bench-fleet-" + std::to_string(::getpid()));
    fs::remove_all(tmp);
    const auto model = args.value("model");
    if (!model || !fs::is_regular_file(*model))
        throw std::invalid_argument("bench fleet: --model FILE is required (a checkpoint; the tiny test model is enough)");
    const std::string models = modelsFolder(tmp, *model);
    json rounds = json::array();
    double single = 0, worstEfficiency = 1, overheadP50 = 0;
    {
        BenchRedis redis(freeLoopbackPort());
        for (const int n : counts) {
            const Round r = runRound(redis.url(), models, tmp, n, stepMs, steps, perWorker * n);
            if (n == counts.front())
                single = r.jobsPerSecond / n;
            const double efficiency = r.jobsPerSecond / (single * n);
            worstEfficiency = std::min(worstEfficiency, efficiency);
            if (n == counts.front())
                overheadP50 = percentile(r.overheadMs, 0.5);
            rounds.push_back({{"workers", n},
                              {"jobs", perWorker * n},
                              {"jobs_per_second", r.jobsPerSecond},
                              {"of_linear", efficiency},
                              {"overhead_ms_p50", percentile(r.overheadMs, 0.5)},
                              {"overhead_ms_p99", percentile(r.overheadMs, 0.99)}});
        }
    }
    fs::remove_all(tmp);
    const json result{{"bench", "fleet"},
                      {"simulated_job_ms", steps * stepMs},
                      {"rounds", rounds},
                      {"queue_overhead_ms_p50", overheadP50},
                      {"worst_of_linear", worstEfficiency},
                      {"target", {{"of_linear_min", 0.9}, {"queue_overhead_ms_p50_max", 5}}},
                      {"meets_target", worstEfficiency >= 0.9 && overheadP50 <= 5.0}};
    std::cout << result.dump(args.has("json") ? -1 : 2) << "\n";
    return 0;
}

const CommandRegistrar registrar{"bench fleet", "fleet: throughput vs worker count and per-job queue overhead (simulated steps)",
                                 &runBenchFleet};

} // namespace

} // namespace easel::cli
