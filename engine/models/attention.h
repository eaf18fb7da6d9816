#pragma once
/// Scaled dot-product multi-head attention shared by the UNet transformers and the VAE mid block.
/// Engine thread only.

#include <cstdint>

#include <torch/torch.h>

namespace easel::models {

/// softmax(q kᵀ / √d) v per head. q [B, Nq, H·d], k and v [B, Nk, H·d] → [B, Nq, H·d].
/// Uses at::scaled_dot_product_attention where libtorch has it (≥ 2.0); otherwise processes the
/// queries in chunks so the score matrix never exceeds attentionChunkBytes() (a 1024² SDXL step
/// would otherwise need several GB for one [B·H, 4096, 4096] matrix).
torch::Tensor multiHeadAttention(const torch::Tensor& q, const torch::Tensor& k, const torch::Tensor& v,
                                 int64_t heads);

/// Upper bound of one chunk's score matrix in bytes ($EASEL_ATTENTION_CHUNK_MB, default 256 MB).
int64_t attentionChunkBytes();

} // namespace easel::models
