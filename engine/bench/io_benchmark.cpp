#include "engine/bench/io_benchmark.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <random>

#include <unistd.h>

#include "engine/api/error.h"
#include "engine/io/hashes.h"
#include "engine/io/host_buffer_pool.h"
#include "engine/io/mapped_file.h"
#include "engine/io/model_detect.h"
#include "engine/io/safetensors_writer.h"
#include "engine/io/sd15_layout.h"
#include "engine/io/state_dict.h"

namespace easel::io {

namespace fs = std::filesystem;

namespace {

using Clock = std::chrono::steady_clock;

double msSince(Clock::time_point t) { return std::chrono::duration<double, std::milli>(Clock::now() - t).count(); }

template <class F>
double bestOf(int n, F&& f)
{
    double best = 1e300;
    for (int i = 0; i < std::max(1, n); ++i) {
        const auto t = Clock::now();
        f();
        best = std::min(best, msSince(t));
    }
    return best;
}

/// Random values of a plausible range (|x| in [2^-8, 2)), so conversions see ordinary numbers.
std::vector<uint8_t> randomPool(size_t bytes, bool half)
{
    std::vector<uint8_t> pool(bytes);
    std::mt19937_64 rng(42);
    if (half) {
        auto* p = reinterpret_cast<uint16_t*>(pool.data());
        for (size_t i = 0; i < bytes / 2; ++i) {
            const uint64_t r = rng();
            p[i] = static_cast<uint16_t>((r & 0x83ff) | ((7 + (r >> 16) % 8) << 10));
        }
    } else {
        auto* p = reinterpret_cast<uint32_t*>(pool.data());
        for (size_t i = 0; i < bytes / 4; ++i) {
            const uint64_t r = rng();
            p[i] = static_cast<uint32_t>((r & 0x807fffff) | ((119 + (r >> 32) % 8) << 23));
        }
    }
    return pool;
}

uint64_t writeLayout(const std::string& path, const std::vector<LayoutEntry>& layout, DType dtype, uint64_t maxBytes,
                     uint64_t& tensors)
{
    const size_t elem = dtypeSize(dtype);
    uint64_t largest = 0;
    for (const auto& e : layout) {
        uint64_t n = 1;
        for (int64_t d : e.shape)
            n *= static_cast<uint64_t>(d);
        largest = std::max(largest, n * 8);
    }
    const std::vector<uint8_t> pool = randomPool(static_cast<size_t>(largest * 2), dtype == DType::F16);
    std::vector<int64_t> ids(77);
    for (int i = 0; i < 77; ++i)
        ids[i] = i;
    std::vector<TensorBlob> blobs;
    uint64_t total = 0, salt = 0;
    for (const auto& e : layout) {
        uint64_t n = 1;
        for (int64_t d : e.shape)
            n *= static_cast<uint64_t>(d);
        const uint64_t bytes = n * (e.integer ? 8 : elem);
        if (total + bytes > maxBytes)
            break;
        total += bytes;
        const uint64_t offset = (salt++ * 4099 * 64) % (pool.size() - bytes + 1) / 64 * 64; // vary content per tensor
        blobs.push_back({e.name, e.integer ? DType::I64 : dtype, e.shape, e.integer ? static_cast<const void*>(ids.data())
                                                                                    : static_cast<const void*>(pool.data() + offset)});
    }
    writeSafetensors(path, blobs);
    tensors = blobs.size();
    return fs::file_size(path);
}

double memcpyMs(const std::string& path, int repeats, bool prefault)
{
    const auto file = MappedFile::open(path);
    const SafetensorsFile header = SafetensorsFile::openHeaderOnly(path);
    const uint64_t bytes = file->size() - header.dataOffset();
    if (prefault) {
        // Pure copy bandwidth: destination pages already mapped (the strictest baseline).
        std::unique_ptr<char[]> dst(new char[bytes]);
        std::memset(dst.get(), 1, bytes);
        return bestOf(repeats, [&] { std::memcpy(dst.get(), file->data() + header.dataOffset(), bytes); });
    }
    return bestOf(repeats, [&] {
        // A fresh destination each time, like a loader allocating its tensors (page faults included).
        std::unique_ptr<char[]> dst(new char[bytes]);
        std::memcpy(dst.get(), file->data() + header.dataOffset(), bytes);
        volatile char sink = dst[bytes / 2];
        (void)sink;
    });
}

/// The first load into an empty pool (cold), then the best of `repeats` more (pooled).
double loadMs(const std::string& path, const LoadOptions& o, int repeats, double* firstMs = nullptr)
{
    HostBufferPool::shared().trim();
    if (firstMs)
        *firstMs = bestOf(1, [&] {
            StateDict sd = loadStateDict(path, o);
            volatile size_t sink = sd.size();
            (void)sink;
        });
    return bestOf(repeats, [&] {
        StateDict sd = loadStateDict(path, o);
        volatile size_t sink = sd.size();
        (void)sink;
    });
}

} // namespace

IoBenchResult runIoBenchmark(const IoBenchOptions& options)
{
    IoBenchResult r;
    const fs::path base = options.dir.empty() ? fs::temp_directory_path() : fs::path(options.dir);
    const fs::path dir = base / ("easel-bench-io-" + std::to_string(::getpid()));
    fs::create_directories(dir);
    r.dir = dir.string();
    const std::string f16 = (dir / "sd15_fp16.safetensors").string();
    const std::string f32 = (dir / "sd15_fp32_2gb.safetensors").string();
    const auto layout = sd15Layout();
    try {
        auto t = Clock::now();
        r.f16Bytes = writeLayout(f16, layout, DType::F16, UINT64_MAX, r.tensorsF16);
        r.f32Bytes = writeLayout(f32, layout, DType::F32, 2000000000ull, r.tensorsF32);
        r.writeSeconds = msSince(t) / 1000;

        // sha256 first: it also brings both files into the page cache for the load timings.
        t = Clock::now();
        const std::string sha = sha256File(f16);
        r.sha256MBps = static_cast<double>(r.f16Bytes) / 1e6 / (msSince(t) / 1000);
        sha256File(f32);
        const std::string cmd = "sha256sum '" + f16 + "' 2>/dev/null";
        t = Clock::now();
        if (FILE* p = ::popen(cmd.c_str(), "r")) {
            char buf[128] = {};
            const size_t n = std::fread(buf, 1, 64, p);
            const int rc = ::pclose(p);
            const double s = msSince(t) / 1000;
            if (rc == 0 && n == 64) {
                r.sha256sumMBps = static_cast<double>(r.f16Bytes) / 1e6 / s;
                r.sha256Matches = std::string(buf, 64) == sha;
            }
        }

        std::vector<double> inspect, open;
        for (int i = 0; i < 50; ++i) {
            t = Clock::now();
            const SafetensorsFile header = SafetensorsFile::openHeaderOnly(f16);
            open.push_back(msSince(t));
            const DetectedModel m = detectModel(TensorShapes::of(header));
            inspect.push_back(msSince(t));
            if (m.family != ModelFamily::SD1)
                throw api::Error(api::ErrorCode::Internal, "benchmark file not classified as SD1", f16);
        }
        std::sort(inspect.begin(), inspect.end());
        std::sort(open.begin(), open.end());
        r.headerInspectMedianMs = inspect[inspect.size() / 2];
        r.headerInspectMinMs = inspect.front();
        r.headerInspectMaxMs = inspect.back();
        r.headerOpenMedianMs = open[open.size() / 2];

        r.memcpyF16Ms = memcpyMs(f16, options.repeats, false);
        r.memcpyF16PrefaultedMs = memcpyMs(f16, options.repeats, true);
        LoadOptions toF32;
        toF32.dtype = torch::kFloat;
        r.loadF16ToF32Ms = loadMs(f16, toF32, options.repeats, &r.loadF16ToF32FirstMs);
        LoadOptions copy;
        copy.zeroCopy = false;
        r.loadF16KeepMs = loadMs(f16, copy, options.repeats);
        r.memcpyF32Ms = memcpyMs(f32, options.repeats, false);
        r.memcpyF32PrefaultedMs = memcpyMs(f32, options.repeats, true);
        r.loadF32CopyMs = loadMs(f32, copy, options.repeats, &r.loadF32CopyFirstMs);
        r.hostPoolBudgetBytes = HostBufferPool::shared().stats().budgetBytes;
        r.hostPoolHits = HostBufferPool::shared().stats().hits;
        r.loadF32ZeroCopyMs = loadMs(f32, LoadOptions{}, options.repeats);
    } catch (...) {
        if (!options.keep)
            fs::remove_all(dir);
        throw;
    }
    if (!options.keep)
        fs::remove_all(dir);
    return r;
}

} // namespace easel::io
