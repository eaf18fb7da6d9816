#include "engine/models/attention.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>

#include <ATen/Parallel.h>

#include "engine/core/blas_threads.h"
#include "engine/core/torch_compat.h"
#include "engine/models/fast_path.h"
#include "engine/models/profile.h"

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

/// Rows of one score tile: ~1 MB of scores, so a tile's scores stay in L2 between its two GEMMs.
int64_t tileRows(int64_t nk, int64_t nq)
{
    constexpr int64_t kTileBytes = int64_t{1} << 20;
    return std::clamp<int64_t>(kTileBytes / (nk * int64_t{sizeof(float)}), 16, nq);
}

/// fp32 CPU attention as independent (batch·head, query-tile) tasks spread over torch's intra-op
/// threads, each running single-threaded GEMMs on its own ~1 MB score buffer: no [B·H, Nq, Nk]
/// matrix (memory bounded by threads × tile), no per-GEMM hand-off to OpenBLAS's separate thread
/// pool (BLAS is pinned to one thread inside the region), and the scores are scaled inside the
/// first GEMM (alpha) and soft-maxed in place. Ref: diffusers AttnProcessor for the math
/// (softmax(scale·q kᵀ) v); the tiling is the query slicing of SlicedAttnProcessor taken further.
void attentionTiled(const torch::Tensor& q3, const torch::Tensor& kt, const torch::Tensor& v3, torch::Tensor& out,
                    double scale)
{
    const int64_t bh = q3.size(0), nq = q3.size(1), nk = kt.size(2);
    const int64_t rows = tileRows(nk, nq);
    const int64_t tiles = (nq + rows - 1) / rows;
    const bool inference = c10::InferenceMode::is_enabled();
    const bool grad = torch::GradMode::is_enabled();
    core::BlasThreadsGuard oneBlasThread(1);
    at::parallel_for(0, bh * tiles, 1, [&](int64_t begin, int64_t end) {
        // Grad/inference modes are thread-local; workers take the caller's.
        c10::InferenceMode inferenceGuard(inference);
        torch::AutoGradMode gradGuard(grad && !inference);
        torch::Tensor scores = torch::empty({rows, nk}, q3.options());
        for (int64_t task = begin; task < end; ++task) {
            const int64_t head = task / tiles, row = (task % tiles) * rows, len = std::min(rows, nq - row);
            torch::Tensor s = scores.narrow(0, 0, len);
            at::addmm_out(s, s, q3[head].narrow(0, row, len), kt[head], /*beta=*/0.0, /*alpha=*/scale);
            at::_softmax_out(s, s, -1, false);
            torch::Tensor o = out[head].narrow(0, row, len);
            at::mm_out(o, s, v3[head]);
        }
    });
}

} // namespace

torch::Tensor multiHeadAttention(const torch::Tensor& q, const torch::Tensor& k, const torch::Tensor& v,
                                 int64_t heads)
{
    ProfileScope scope("attention");
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
    if (fastPath().fusedAttention && q.device().is_cpu() && q.scalar_type() == torch::kFloat32) {
        out = torch::empty({b * heads, nq, d}, q.options());
        attentionTiled(q3, kt, v3, out, scale);
    } else {
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
    }
    out = out.reshape({b, heads, nq, d});
#endif
    return out.permute({0, 2, 1, 3}).reshape({b, nq, c});
}

} // namespace easel::models
