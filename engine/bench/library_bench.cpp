#include "engine/bench/library_bench.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>

#include "engine/api/error.h"
#include "engine/catalog/database.h"
#include "engine/catalog/model_library.h"
#include "engine/catalog/scanner.h"
#include "engine/bench/synthetic_library.h"

namespace easel::catalog {

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

double secondsSince(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

double statusMb(const char* field)
{
    std::ifstream in("/proc/self/status");
    std::string line;
    const std::string prefix = std::string(field) + ":";
    while (std::getline(in, line))
        if (line.compare(0, prefix.size(), prefix) == 0)
            return std::strtod(line.c_str() + prefix.size(), nullptr) / 1024.0; // kB
    return 0;
}

double threadCpuMs()
{
    timespec ts{};
    ::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
}

double processCpuSeconds()
{
    timespec ts{};
    ::clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

double loadAverage()
{
    std::ifstream in("/proc/loadavg");
    double load = 0;
    in >> load;
    return load;
}

double percentile(std::vector<double> v, double p)
{
    if (v.empty())
        return 0;
    std::sort(v.begin(), v.end());
    const size_t i = std::min(v.size() - 1, static_cast<size_t>(p * static_cast<double>(v.size())));
    return v[i];
}

uint64_t headerBytes(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    unsigned char b[8] = {};
    in.read(reinterpret_cast<char*>(b), 8);
    uint64_t n = 0;
    for (int i = 7; i >= 0; --i)
        n = (n << 8) | b[i];
    return 8 + n;
}

void evict(const std::string& path)
{
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd >= 0) {
        ::fdatasync(fd);
        ::posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
        ::close(fd);
    }
}

/// What people type into a library search box: whole words, prefixes while typing, two words,
/// sometimes with a kind filter.
std::vector<ModelQuery> makeQueries(size_t n)
{
    const auto& words = synthetic::vocabulary();
    std::mt19937_64 rng(12345);
    std::vector<ModelQuery> queries;
    queries.reserve(n);
    for (size_t i = 0; i < n; ++i) {
        ModelQuery q;
        const std::string& w = words[rng() % words.size()];
        switch (rng() % 5) {
        case 0: q.text = w; break;
        case 1: q.text = w.substr(0, 2 + rng() % 3); break;
        case 2: q.text = w + " " + words[rng() % words.size()].substr(0, 3); break;
        case 3: q.text = w.substr(0, 3); q.kind = "lora"; break;
        default: q.text = w; q.kind = rng() % 2 ? "lora" : "checkpoint"; q.family = rng() % 2 ? "SD1" : "SDXL"; break;
        }
        q.sort = ModelSort::Name;
        q.limit = 100;
        queries.push_back(std::move(q));
    }
    return queries;
}

} // namespace

LibraryBenchResult runLibraryBench(const LibraryBenchOptions& o)
{
    const auto log = [&](const std::string& s) {
        if (o.log)
            o.log(s);
    };
    LibraryBenchResult r;
    r.cold = o.cold;
    std::string dir = o.dir;
    if (dir.empty()) {
        const char* tmp = std::getenv("TMPDIR");
        std::string pattern = std::string(tmp && *tmp ? tmp : "/tmp") + "/easel-bench-library-XXXXXX";
        if (!::mkdtemp(pattern.data()))
            throw api::Error(api::ErrorCode::FileUnreadable, "cannot create a temporary folder", pattern);
        dir = pattern;
    }
    r.dir = dir;
    struct Cleanup {
        std::string dir;
        bool keep;
        ~Cleanup()
        {
            std::error_code ec;
            if (!keep)
                fs::remove_all(dir, ec);
        }
    } cleanup{dir, o.keep || !o.dir.empty()};

    // 1. The library.
    log("writing " + std::to_string(o.loras) + " LoRAs and " + std::to_string(o.checkpoints) + " checkpoints to " + dir);
    auto t = Clock::now();
    const auto lib = synthetic::writeLibrary(dir, {o.loras, o.checkpoints, 1});
    r.generateSeconds = secondsSince(t);
    r.files = lib.loraPaths.size() + lib.checkpointPaths.size();
    uint64_t header = 0;
    for (const auto* paths : {&lib.loraPaths, &lib.checkpointPaths})
        for (const auto& p : *paths) {
            header += headerBytes(p);
            if (o.cold)
                evict(p);
        }
    r.headerMb = static_cast<double>(header) / (1024.0 * 1024.0);

    const std::string catalogPath = dir + "/catalog.sqlite";
    Database db(catalogPath);
    ScanOptions scanOptions;
    scanOptions.threads = o.threads;
    const auto roots = a1111Roots(dir);

    // 2. First scan to browsable.
    log("first scan");
    r.loadAverage = loadAverage();
    const double cpuBefore = processCpuSeconds();
    t = Clock::now();
    const ScanResult first = Scanner(db, scanOptions).scan(roots);
    r.firstScanSeconds = secondsSince(t);
    r.firstScanCpuSeconds = processCpuSeconds() - cpuBefore;
    r.classifyCacheHits = first.classifyCacheHits;
    r.broken = first.broken;
    if (first.added != r.files)
        throw api::Error(api::ErrorCode::Internal,
                         "first scan recorded " + std::to_string(first.added) + " of " + std::to_string(r.files) + " files",
                         dir);

    // 3. Nothing changed.
    log("rescan, nothing changed");
    t = Clock::now();
    const ScanResult unchanged = Scanner(db, scanOptions).scan(roots);
    r.rescanUnchangedSeconds = secondsSince(t);
    if (unchanged.unchanged != r.files)
        throw api::Error(api::ErrorCode::Internal, "unchanged rescan re-read files", dir);

    // 4. Some files retrained (new metadata, new size/mtime).
    log("rescan after " + std::to_string(o.changed) + " changed files");
    const size_t changed = std::min(o.changed, lib.loraPaths.size());
    for (size_t i = 0; i < changed; ++i) {
        synthetic::LoRASpec spec;
        spec.rank = 16;
        spec.outputName = "retrained_" + std::to_string(i);
        spec.tags = {"retrained", "epoch 20"};
        spec.seed = 900000 + i;
        synthetic::writeLoRA(lib.loraPaths[i * lib.loraPaths.size() / changed], spec);
    }
    t = Clock::now();
    const ScanResult rescan = Scanner(db, scanOptions).scan(roots);
    r.rescanChangedSeconds = secondsSince(t);
    r.rescanChangedFiles = rescan.updated;

    // 5. Search latency (first page of 100, sorted by name, plus the row count).
    log("searching " + std::to_string(o.queries) + " queries");
    ModelLibrary library(db);
    const auto queries = makeQueries(o.queries);
    std::vector<double> searchMs, searchCpuMs, countMs;
    searchCpuMs.reserve(queries.size());
    searchMs.reserve(queries.size());
    countMs.reserve(queries.size());
    for (const auto& q : queries) {
        const double cpu = threadCpuMs();
        t = Clock::now();
        const auto rows = library.search(q);
        searchMs.push_back(secondsSince(t) * 1000.0);
        searchCpuMs.push_back(threadCpuMs() - cpu);
        t = Clock::now();
        library.count(q);
        countMs.push_back(secondsSince(t) * 1000.0);
    }
    r.searchP50Ms = percentile(searchMs, 0.50);
    r.searchP90Ms = percentile(searchMs, 0.90);
    r.searchP99Ms = percentile(searchMs, 0.99);
    r.searchMaxMs = percentile(searchMs, 1.0);
    r.countP99Ms = percentile(countMs, 0.99);
    r.searchCpuP50Ms = percentile(searchCpuMs, 0.50);
    r.searchCpuP99Ms = percentile(searchCpuMs, 0.99);

    r.rssMb = statusMb("VmHWM");
    r.rssNowMb = statusMb("VmRSS");
    std::error_code ec;
    for (const char* suffix : {"", "-wal"})
        if (fs::exists(catalogPath + suffix, ec))
            r.catalogMb += static_cast<double>(fs::file_size(catalogPath + suffix, ec)) / (1024.0 * 1024.0);
    return r;
}

} // namespace easel::catalog
