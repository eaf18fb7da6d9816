#pragma once
/// Seeded normal noise as A1111 makes it: torch's CPU generator ("CPU") or the Philox emulation of
/// CUDA torch.randn ("GPU"/"NV"). Engine-internal; one generator per image, not thread-safe.

#include <cstdint>
#include <optional>
#include <string>

#include <torch/torch.h>

#include "engine/core/rng_philox.h"

namespace easel::core {

/// Where seeded noise comes from (A1111 option "Random number generator source").
enum class RngSource {
    Cpu, ///< torch CPU mt19937 generator (libtorch reproduces torch.randn bit for bit)
    Gpu, ///< Philox emulation of torch.randn on NVIDIA GPUs (A1111 "GPU" on CUDA, "NV")
};

/// "cpu", "gpu", "nv" (any case) -> source; throws api::Error(InvalidRequest) listing valid names.
RngSource parseRngSource(const std::string& name);
/// A1111 infotext spelling: "CPU", "GPU".
const char* rngSourceName(RngSource source);

/// A1111 seed rule: -1 means "pick one", uniformly in [0, 4294967294); anything else is kept.
int64_t resolveSeed(int64_t seed);

/// One seeded stream of standard-normal float32 tensors; each call continues the stream.
class NoiseGenerator {
public:
    NoiseGenerator(RngSource source, int64_t seed);

    /// Next tensor of `shape` on the CPU (float32, C order).
    torch::Tensor randn(at::IntArrayRef shape);

    RngSource source() const { return m_source; }
    int64_t seed() const { return m_seed; }

private:
    RngSource m_source;
    int64_t m_seed;
    std::optional<at::Generator> m_cpu;
    PhiloxGenerator m_philox;
};

/// A fresh generator seeded with `seed`, one tensor of `shape`.
torch::Tensor seededRandn(RngSource source, int64_t seed, at::IntArrayRef shape);

} // namespace easel::core
