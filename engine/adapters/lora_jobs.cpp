#include "engine/adapters/lora_jobs.h"

#include <algorithm>
#include <atomic>
#include <cstring>
#include <numeric>

#include <ATen/Parallel.h>

#include "engine/core/blas_threads.h"

namespace easel::adapters {

void runJobs(const std::vector<size_t>& sizes, bool parallel, const std::function<void(size_t)>& job)
{
    std::vector<size_t> order(sizes.size());
    std::iota(order.begin(), order.end(), size_t(0));
    // Largest first, then the small ones fill the gaps: the threads finish together.
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return sizes[a] > sizes[b]; });
    const int64_t threads = parallel ? std::min<int64_t>(at::get_num_threads(), int64_t(order.size())) : 1;
    if (threads <= 1) {
        for (size_t i : order)
            job(i);
        return;
    }
    core::BlasThreadsGuard oneBlasThread(1);
    std::atomic<size_t> next{0};
    at::parallel_for(0, threads, 1, [&](int64_t, int64_t) {
        // The caller's InferenceMode is thread-local; the parameters are inference tensors.
        c10::InferenceMode inference;
        for (size_t k; (k = next.fetch_add(1)) < order.size();)
            job(order[k]);
    });
}

void copyExact(const torch::Tensor& dst, const torch::Tensor& src)
{
    if (dst.device().is_cpu() && src.device().is_cpu() && dst.scalar_type() == src.scalar_type() &&
        dst.sizes() == src.sizes() && dst.strides() == src.strides() && dst.is_non_overlapping_and_dense()) {
        std::memcpy(dst.data_ptr(), src.data_ptr(), dst.numel() * dst.element_size());
        return;
    }
    dst.copy_(src);
}

torch::Tensor hostLike(const torch::Tensor& t)
{
    return at::empty_strided(t.sizes(), t.strides(), t.options().device(torch::kCPU));
}

} // namespace easel::adapters
