#pragma once
// libtorch version differences in one place. Debian ships 1.13; PyTorch installs are 2.x.

#include <torch/torch.h>
#include <torch/version.h>

#define EASEL_TORCH_VERSION_AT_LEAST(major, minor) \
    (TORCH_VERSION_MAJOR > (major) || (TORCH_VERSION_MAJOR == (major) && TORCH_VERSION_MINOR >= (minor)))

// at::scaled_dot_product_attention appeared in 2.0.
#if EASEL_TORCH_VERSION_AT_LEAST(2, 0)
#define EASEL_TORCH_HAS_SDPA 1
#else
#define EASEL_TORCH_HAS_SDPA 0
#endif
