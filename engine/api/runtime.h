#pragma once
/// Process-wide engine runtime: threads and device selection. Call configureRuntime() once at
/// start-up from the main thread, before any job runs.

#include <optional>
#include <string>

#include "engine/api/system_info.h"

namespace easel::api {

enum class DevicePreference { Auto, Cpu, Cuda };

struct RuntimeOptions {
    /// Intra-op threads; 0 = $EASEL_THREADS or else the machine's cores (libtorch starts with 1 here).
    int threads = 0;
    DevicePreference device = DevicePreference::Auto;
};

/// Parses "auto" | "cpu" | "cuda"; nullopt for anything else.
std::optional<DevicePreference> parseDevicePreference(const std::string& text);

/// Applies thread counts (torch intra-op and OpenBLAS) and picks the device. Throws api::Error
/// (InvalidRequest) when CUDA is asked for but the build or machine has none.
void configureRuntime(const RuntimeOptions& options);

/// The device chosen by configureRuntime(): "cpu" or "cuda:0".
std::string activeDevice();

/// Collects SystemInfo (runs a tiny matmul first so the BLAS library is certainly loaded).
SystemInfo querySystemInfo();

} // namespace easel::api
