#include "engine/api/system_info.h"

#include <sstream>

#include <nlohmann/json.hpp>

namespace easel::api {

std::string formatSystemInfo(const SystemInfo& info)
{
    std::ostringstream out;
    out << "Easel " << info.easelVersion << "\n";
    out << "libtorch " << info.torchVersion << (info.cudaBuild ? " (CUDA build)" : " (CPU build)") << "\n";
    out << "devices:\n";
    for (const auto& d : info.devices) {
        out << "  " << d.kind << ":" << d.index << "  " << d.name;
        if (d.totalMemoryBytes)
            out << "  " << (d.totalMemoryBytes / (1024 * 1024)) << " MiB";
        out << "\n";
    }
    out << "active device: " << info.activeDevice << "\n";
    out << "hardware threads: " << info.hardwareThreads << "\n";
    out << "intra-op threads: " << info.intraOpThreads << "\n";
    out << "inter-op threads: " << info.interOpThreads << "\n";
    out << "BLAS: " << (info.blasLibrary.empty() ? "unknown" : info.blasLibrary) << "\n";
    if (!info.blasConfig.empty())
        out << "BLAS config: " << info.blasConfig << " (threads " << info.blasThreads << ")\n";
    out << "oneDNN: " << (info.onednnAvailable ? "available" : "not available") << "\n";
    return out.str();
}

std::string systemInfoJson(const SystemInfo& info)
{
    nlohmann::json devices = nlohmann::json::array();
    for (const auto& d : info.devices)
        devices.push_back({{"kind", d.kind}, {"index", d.index}, {"name", d.name},
                           {"total_memory_bytes", d.totalMemoryBytes}});
    nlohmann::json j = {
        {"easel_version", info.easelVersion},
        {"torch_version", info.torchVersion},
        {"cuda_build", info.cudaBuild},
        {"devices", devices},
        {"active_device", info.activeDevice},
        {"hardware_threads", info.hardwareThreads},
        {"intra_op_threads", info.intraOpThreads},
        {"inter_op_threads", info.interOpThreads},
        {"blas_library", info.blasLibrary},
        {"blas_config", info.blasConfig},
        {"blas_threads", info.blasThreads},
        {"onednn", info.onednnAvailable},
    };
    return j.dump(2);
}

} // namespace easel::api
