#pragma once
/// What the engine runs on: versions, devices, threads, BLAS. Any thread.

#include <cstdint>
#include <string>
#include <vector>

namespace easel::api {

struct DeviceInfo {
    std::string kind;        ///< "cpu" or "cuda"
    int index = 0;
    std::string name;
    std::uint64_t totalMemoryBytes = 0;
};

struct SystemInfo {
    std::string easelVersion;
    std::string torchVersion;
    bool cudaBuild = false;          ///< libtorch was built with CUDA
    std::vector<DeviceInfo> devices; ///< cpu first, then CUDA devices
    std::string activeDevice;        ///< what generation will use: "cpu" or "cuda:0"
    int intraOpThreads = 0;
    int interOpThreads = 0;
    int hardwareThreads = 0;
    std::string blasLibrary;         ///< the BLAS shared object actually mapped into the process
    std::string blasConfig;          ///< openblas_get_config() when OpenBLAS is loaded
    int blasThreads = 0;             ///< openblas_get_num_threads(), 0 if unknown
    bool onednnAvailable = false;
    std::string parallelInfo;        ///< at::get_parallel_info(), one line per setting
};

/// Renders SystemInfo as the text `easel-cli system-info` prints.
std::string formatSystemInfo(const SystemInfo& info);
/// Renders SystemInfo as JSON.
std::string systemInfoJson(const SystemInfo& info);

} // namespace easel::api
