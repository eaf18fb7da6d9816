#include "engine/core/rng.h"

#include <algorithm>
#include <cctype>
#include <random>

#include <ATen/CPUGeneratorImpl.h>

#include "engine/api/error.h"

namespace easel::core {

RngSource parseRngSource(const std::string& name)
{
    std::string lower(name);
    std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (lower == "cpu")
        return RngSource::Cpu;
    if (lower == "gpu" || lower == "nv" || lower == "cuda")
        return RngSource::Gpu;
    throw api::Error(api::ErrorCode::InvalidRequest,
                     "unknown random number source '" + name + "'; use one of: cpu, gpu (alias nv)");
}

const char* rngSourceName(RngSource source)
{
    return source == RngSource::Cpu ? "CPU" : "GPU";
}

int64_t resolveSeed(int64_t seed)
{
    if (seed != -1)
        return seed;
    // Ref: A1111 modules/processing.py get_fixed_seed: random.randrange(4294967294).
    static std::mt19937_64 engine{std::random_device{}()};
    std::uniform_int_distribution<int64_t> pick(0, 4294967293LL);
    return pick(engine);
}

NoiseGenerator::NoiseGenerator(RngSource source, int64_t seed)
    : m_source(source)
    , m_seed(seed)
    , m_philox(static_cast<uint64_t>(seed))
{
    if (source == RngSource::Cpu)
        m_cpu = at::detail::createCPUGenerator(static_cast<uint64_t>(seed));
}

torch::Tensor NoiseGenerator::randn(at::IntArrayRef shape)
{
    if (m_source == RngSource::Gpu)
        return m_philox.randn(shape);
    // torch.randn with an explicit CPU generator: the same mt19937 + Box-Muller path as Python torch.
    return torch::randn(shape, *m_cpu, torch::TensorOptions().dtype(torch::kFloat32));
}

torch::Tensor seededRandn(RngSource source, int64_t seed, at::IntArrayRef shape)
{
    NoiseGenerator generator(source, seed);
    return generator.randn(shape);
}

} // namespace easel::core
