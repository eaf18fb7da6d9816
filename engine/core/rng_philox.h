#pragma once
/// Philox-4x32 normal generator that reproduces torch.randn on NVIDIA GPUs (A1111 "NV" / "GPU" seeds),
/// computed on the CPU so an image is the same on any machine. Engine-internal; not thread-safe.

#include <cstdint>
#include <vector>

#include <torch/torch.h>

namespace easel::core {

/// One Philox stream: `randn` call k uses counter word 0 = k, so successive calls continue the stream
/// the way A1111's `rng_philox.Generator` does.
class PhiloxGenerator {
public:
    explicit PhiloxGenerator(uint64_t seed = 0);

    /// Next `count` standard-normal values (float32), advancing the call offset by one.
    std::vector<float> randnValues(int64_t count);
    /// Next tensor of `shape` (float32, CPU, C order), advancing the call offset by one.
    torch::Tensor randn(at::IntArrayRef shape);

    uint64_t seed() const { return m_seed; }
    uint32_t offset() const { return m_offset; }

private:
    uint64_t m_seed;
    uint32_t m_offset = 0;
};

} // namespace easel::core
