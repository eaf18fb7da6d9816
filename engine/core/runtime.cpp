#include "engine/api/runtime.h"

#include <dlfcn.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <mutex>
#include <thread>

#include <ATen/Parallel.h>
#include <torch/torch.h>
#include <torch/version.h>

#if defined(EASEL_WITH_CUDA)
#include <ATen/cuda/CUDAContext.h>
#endif

#include "engine/api/error.h"
#include "engine/api/logging.h"
#include "engine/api/version.h"

namespace easel::api {

namespace {

std::mutex g_mutex;
std::string g_activeDevice = "cpu";

int machineCores()
{
    const unsigned n = std::thread::hardware_concurrency();
    return n == 0 ? 1 : static_cast<int>(n);
}

bool cudaUsable()
{
#if defined(EASEL_WITH_CUDA)
    return torch::cuda::is_available();
#else
    return false;
#endif
}

// OpenBLAS keeps its own thread pool (pthread variant). Without this it may start one thread per
// core *inside* each of torch's OpenMP workers and oversubscribe the machine.
using OpenBlasSetThreads = void (*)(int);
using OpenBlasGetThreads = int (*)();
using OpenBlasGetConfig = char* (*)();

void setBlasThreads(int n)
{
    if (auto fn = reinterpret_cast<OpenBlasSetThreads>(dlsym(RTLD_DEFAULT, "openblas_set_num_threads")))
        fn(n);
}

// The BLAS shared object mapped into this process, read from /proc/self/maps: this is what libtorch
// really calls, whatever Debian's alternatives were meant to point at.
std::string mappedBlasLibrary()
{
    std::ifstream maps("/proc/self/maps");
    std::string line;
    std::string found;
    while (std::getline(maps, line)) {
        const auto slash = line.find('/');
        if (slash == std::string::npos)
            continue;
        const std::string path = line.substr(slash);
        const bool isBlas = path.find("blas") != std::string::npos || path.find("mkl_rt") != std::string::npos
                            || path.find("libmkl") != std::string::npos;
        if (!isBlas || path.find("cublas") != std::string::npos)
            continue;
        // Prefer the implementation (openblas/mkl) over the generic libblas.so.3 shim path.
        if (found.empty() || path.find("openblas") != std::string::npos || path.find("mkl") != std::string::npos)
            found = path;
    }
    return found;
}

} // namespace

std::optional<DevicePreference> parseDevicePreference(const std::string& text)
{
    if (text == "auto")
        return DevicePreference::Auto;
    if (text == "cpu")
        return DevicePreference::Cpu;
    if (text == "cuda" || text == "gpu")
        return DevicePreference::Cuda;
    return std::nullopt;
}

void configureRuntime(const RuntimeOptions& options)
{
    std::lock_guard lock(g_mutex);
    int threads = options.threads;
    if (threads <= 0) {
        if (const char* env = std::getenv("EASEL_THREADS"); env && std::atoi(env) > 0)
            threads = std::atoi(env);
        else
            threads = machineCores();
    }
    at::set_num_threads(threads);
    setBlasThreads(threads);

    switch (options.device) {
    case DevicePreference::Cpu:
        g_activeDevice = "cpu";
        break;
    case DevicePreference::Cuda:
        if (!cudaUsable())
            throw Error(ErrorCode::InvalidRequest,
                        "CUDA was requested but is not available (this libtorch is a CPU build or no NVIDIA "
                        "GPU is visible). Use --device cpu, or build Easel against a CUDA libtorch.");
        g_activeDevice = "cuda:0";
        break;
    case DevicePreference::Auto:
        g_activeDevice = cudaUsable() ? "cuda:0" : "cpu";
        break;
    }
#if defined(EASEL_WITH_CUDA)
    // cuDNN autotuning: the first conv of each new shape (i.e. each resolution) tries the
    // algorithms and caches the fastest; later steps at that resolution reuse it.
    if (g_activeDevice != "cpu")
        at::globalContext().setBenchmarkCuDNN(true);
#endif
    logInfo("runtime: device " + g_activeDevice + ", " + std::to_string(threads) + " intra-op threads");
}

std::string activeDevice()
{
    std::lock_guard lock(g_mutex);
    return g_activeDevice;
}

SystemInfo querySystemInfo()
{
    // Touch BLAS once so a lazily loaded backend is mapped before we look.
    {
        torch::NoGradGuard noGrad;
        auto a = torch::ones({64, 64});
        (void)torch::mm(a, a).sum().item<float>();
    }
    SystemInfo info;
    info.easelVersion = easelVersion();
    info.torchVersion = TORCH_VERSION;
#if defined(EASEL_WITH_CUDA)
    info.cudaBuild = true;
#endif
    info.devices.push_back({"cpu", 0, "CPU", 0});
#if defined(EASEL_WITH_CUDA)
    if (torch::cuda::is_available()) {
        for (int i = 0; i < static_cast<int>(torch::cuda::device_count()); ++i) {
            const auto* props = at::cuda::getDeviceProperties(i);
            info.devices.push_back({"cuda", i, props->name, static_cast<std::uint64_t>(props->totalGlobalMem)});
        }
    }
#endif
    info.activeDevice = activeDevice();
    info.hardwareThreads = machineCores();
    info.intraOpThreads = at::get_num_threads();
    info.interOpThreads = at::get_num_interop_threads();
    info.blasLibrary = mappedBlasLibrary();
    if (auto cfg = reinterpret_cast<OpenBlasGetConfig>(dlsym(RTLD_DEFAULT, "openblas_get_config")))
        info.blasConfig = cfg();
    if (auto get = reinterpret_cast<OpenBlasGetThreads>(dlsym(RTLD_DEFAULT, "openblas_get_num_threads")))
        info.blasThreads = get();
    info.onednnAvailable = at::hasMKLDNN();
    info.parallelInfo = at::get_parallel_info();
    return info;
}

} // namespace easel::api
