#pragma once
// Analytic multiply-accumulate count of one UNet forward, from its config alone. The benchmark
// divides it by the measured step time to report achieved GFLOP/s, and compares that with a GEMM
// measured in the same run (issue 9: the ratio is what we compare on noisy shared machines).
// Counts convolutions, linear layers and the two attention matmuls; norms, activations and
// element-wise work are left out (they are < 2% of the total). Plain C++; any thread.

#include <cstdint>

#include "engine/io/model_config.h"

namespace easel::models {

struct UNetWork {
    double macs = 0;            ///< multiply-accumulates for one image
    double attentionMacs = 0;   ///< of which the QKᵀ and AV products
    double flops() const { return 2.0 * macs; }
};

/// One image at latent size latentH × latentW with `contextTokens` text tokens (77 per chunk).
UNetWork unetWork(const io::UNetConfig& config, int64_t latentH, int64_t latentW, int64_t contextTokens = 77);

} // namespace easel::models
