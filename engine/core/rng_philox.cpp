#include "engine/core/rng_philox.h"

#include <cmath>

namespace easel::core {

namespace {

// Ref: A1111 modules/rng_philox.py (philox4_32, box_muller); constants of Salmon et al. 2011.
constexpr uint32_t kPhiloxM0 = 0xD2511F53u;
constexpr uint32_t kPhiloxM1 = 0xCD9E8D57u;
constexpr uint32_t kPhiloxW0 = 0x9E3779B9u;
constexpr uint32_t kPhiloxW1 = 0xBB67AE85u;
constexpr int kPhiloxRounds = 10;

// A1111 multiplies uint32 by float32 constants in numpy, which promotes to float64; the constants
// themselves are float32 values (2^-32 rounded, and that times 2*pi rounded to float32).
const double kScaleU = static_cast<double>(2.3283064e-10f);
const double kScaleV = static_cast<double>(static_cast<float>(2.3283064e-10 * 6.2831855));
const double kHalfScaleU = static_cast<double>(static_cast<float>(kScaleU) / 2.0f);
const double kHalfScaleV = static_cast<double>(static_cast<float>(kScaleV) / 2.0f);

struct Block {
    uint32_t c0, c1, c2, c3;
};

Block philox4x32(Block c, uint32_t k0, uint32_t k1)
{
    for (int round = 0; round < kPhiloxRounds; ++round) {
        const uint64_t p0 = static_cast<uint64_t>(c.c0) * kPhiloxM0;
        const uint64_t p1 = static_cast<uint64_t>(c.c2) * kPhiloxM1;
        c = Block{static_cast<uint32_t>(p1 >> 32) ^ c.c1 ^ k0, static_cast<uint32_t>(p1),
                  static_cast<uint32_t>(p0 >> 32) ^ c.c3 ^ k1, static_cast<uint32_t>(p0)};
        if (round + 1 < kPhiloxRounds) {
            k0 += kPhiloxW0;
            k1 += kPhiloxW1;
        }
    }
    return c;
}

float boxMuller(uint32_t x, uint32_t y)
{
    const double u = static_cast<double>(x) * kScaleU + kHalfScaleU;
    const double v = static_cast<double>(y) * kScaleV + kHalfScaleV;
    return static_cast<float>(std::sqrt(-2.0 * std::log(u)) * std::sin(v));
}

} // namespace

PhiloxGenerator::PhiloxGenerator(uint64_t seed)
    : m_seed(seed)
{
}

std::vector<float> PhiloxGenerator::randnValues(int64_t count)
{
    std::vector<float> out(static_cast<size_t>(count));
    const auto k0 = static_cast<uint32_t>(m_seed & 0xFFFFFFFFu);
    const auto k1 = static_cast<uint32_t>(m_seed >> 32);
    for (int64_t i = 0; i < count; ++i) {
        // Counter = [call offset, 0, element index, 0]; words 2 and 3 of the result are discarded.
        const Block r = philox4x32(Block{m_offset, 0u, static_cast<uint32_t>(i), 0u}, k0, k1);
        out[static_cast<size_t>(i)] = boxMuller(r.c0, r.c1);
    }
    ++m_offset;
    return out;
}

torch::Tensor PhiloxGenerator::randn(at::IntArrayRef shape)
{
    int64_t count = 1;
    for (const int64_t d : shape)
        count *= d;
    std::vector<float> values = randnValues(count);
    return torch::from_blob(values.data(), shape, torch::kFloat32).clone();
}

} // namespace easel::core
