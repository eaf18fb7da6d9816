#include "engine/models/attention.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>

#include "engine/core/torch_compat.h"

namespace easel::models {

int64_t attentionChunkBytes()
{
    static const int64_t bytes = [] {
        const char* env = std::getenv("EASEL_ATTENTION_CHUNK_MB");
        const long mb = env ? std::strtol(env, nullptr, 10) : 0;
        return static_cast<int64_t>(mb > 0 ? mb : 256) * 1024 * 1024;
    }();
    return bytes;
}

namespace {

/// [B, N, H·d] → [B, H, N, d]
torch::Tensor splitHeads(const torch::Tensor& x, int64_t heads)
{
    const int64_t b = x.size(0), n = x.size(1), c = x.size(2);
    return x.reshape({b, n, heads, c / heads}).permute({0, 2, 1, 3});
}

} // namespace

torch::Tensor multiHeadAttention(const torch::Tensor& q, const torch::Tensor& k, const torch::Tensor& v,
                                 int64_t heads)
{
    const int64_t b = q.size(0), nq = q.size(1), c = q.size(2), nk = k.size(1);
    const int64_t d = c / heads;
    const torch::Tensor qh = splitHeads(q, heads);
    const torch::Tensor kh = splitHeads(k, heads);
    const torch::Tensor vh = splitHeads(v, heads);
    torch::Tensor out;
#if EASEL_TORCH_HAS_SDPA
    out = at::scaled_dot_product_attention(qh, kh, vh);
#else
    // Ref: diffusers AttnProcessor (baddbmm(q, kᵀ)·scale, softmax, bmm v), query-sliced like
    // SlicedAttnProcessor so peak memory is bounded.
    const double scale = 1.0 / std::sqrt(static_cast<double>(d));
    const torch::Tensor q3 = qh.reshape({b * heads, nq, d});
    const torch::Tensor kt = kh.reshape({b * heads, nk, d}).transpose(1, 2);
    const torch::Tensor v3 = vh.reshape({b * heads, nk, d});
    const bool upcast = q.scalar_type() == torch::kHalf || q.scalar_type() == torch::kBFloat16;
    const int64_t rowBytes = b * heads * nk * (upcast ? 4 : q.element_size()) * 2; // scores + softmax
    const int64_t chunk = std::clamp<int64_t>(attentionChunkBytes() / std::max<int64_t>(rowBytes, 1), 1, nq);
    auto block = [&](const torch::Tensor& qc) {
        torch::Tensor scores = torch::bmm(qc, kt).mul_(scale);
        torch::Tensor probs = upcast ? scores.softmax(-1, torch::kFloat).to(q.scalar_type()) : scores.softmax(-1);
        return torch::bmm(probs, v3);
    };
    if (chunk >= nq) {
        out = block(q3);
    } else {
        out = torch::empty({b * heads, nq, d}, q.options());
        for (int64_t start = 0; start < nq; start += chunk) {
            const int64_t len = std::min(chunk, nq - start);
            out.narrow(1, start, len).copy_(block(q3.narrow(1, start, len)));
        }
    }
    out = out.reshape({b, heads, nq, d});
#endif
    return out.permute({0, 2, 1, 3}).reshape({b, nq, c});
}

} // namespace easel::models
