#pragma once
/// Per-parameter work of a LoRA apply/restore spread over torch's threads: one parallel region for
/// the whole set, each parameter handled start to finish by one thread (single-threaded GEMM and
/// copies), biggest first. Engine-internal (torch). Engine thread only.
///
/// Why not let every op parallelise itself: a set touches ~260 parameters (SD1.5) and a merge is
/// ~30 small ops each; every op that forks and joins torch's OpenMP team, and every GEMM that
/// wakes OpenBLAS's own pool, pays a hand-off, and on a loaded machine a descheduled team member
/// turns each one into milliseconds (a 1.4 GB restore took 2.7 s that way instead of 0.3 s).

#include <cstddef>
#include <functional>
#include <vector>

#include <torch/torch.h>

namespace easel::adapters {

/// Runs job(i) for i in [0, sizes.size()) on torch's intra-op threads (inline in InferenceMode and
/// with OpenBLAS on one thread per caller), largest sizes first. Serial for non-CPU work
/// (`parallel` false). Rethrows the first exception.
void runJobs(const std::vector<size_t>& sizes, bool parallel, const std::function<void(size_t)>& job);

/// dst = src, as one memcpy when both are CPU tensors of the same dtype and strides (backups and
/// cached values are made that way), else Tensor::copy_.
void copyExact(const torch::Tensor& dst, const torch::Tensor& src);

/// An empty host tensor with `t`'s sizes, strides and dtype (for copyExact).
torch::Tensor hostLike(const torch::Tensor& t);

} // namespace easel::adapters
