#include "engine/adapters/lora_merge.h"

#include <cstdint>
#include <vector>

#include <dlfcn.h>

#include "engine/adapters/lora_math.h"

namespace easel::adapters {

namespace {

torch::Tensor sliceOf(const torch::Tensor& t, const ParamSlice& s)
{
    return s.rows >= 0 ? t.narrow(0, s.rowStart, s.rows) : t;
}

bool sameSlice(const ParamSlice& a, const ParamSlice& b) { return a.rowStart == b.rowStart && a.rows == b.rows; }

/// A plain LoRA (up·down, no Tucker core, no DoRA) whose factors fit `view` seen as a row-major
/// [out, in] matrix: it can join one batched GEMM. Anything else goes the general way, which also
/// words the errors.
bool batchable(const MergeTerm& t, const torch::Tensor& view)
{
    const LoRAModule& m = *t.module;
    if (t.bias || !m.has("up") || !m.has("down") || m.has("mid") || m.has("dora_scale"))
        return false;
    // Channels-last 3x3 kernels are not row-major [out, in·kh·kw]; 1x1 kernels and linears are.
    if (view.dim() < 2 || !view.is_contiguous())
        return false;
    const torch::Tensor& up = m.at("up");
    const torch::Tensor& down = m.at("down");
    if (up.dim() < 2 || down.dim() < 2)
        return false;
    const int64_t out = view.size(0), in = view.numel() / std::max<int64_t>(out, 1);
    const int64_t rank = up.numel() / std::max<int64_t>(up.size(0), 1);
    return up.size(0) == out && down.size(0) == rank && down.numel() == rank * in && up.size(1) == rank;
}

/// oneDNN's row-major sgemm (C = αAB + βC), looked up in the process: libtorch links oneDNN.
/// Why not torch::addmm: that goes to OpenBLAS, and Debian's OpenBLAS 0.3.21 does not know this
/// CPU generation (family 6 model 207) and falls back to its SSE3 "Prescott" kernels — 9.7 GFLOPS
/// against oneDNN's 103 (AVX-512 JIT) measured on the same loaded 2-core machine.
using DnnlSgemm = int (*)(char, char, int64_t, int64_t, int64_t, float, const float*, int64_t, const float*, int64_t,
                          float, float*, int64_t);

DnnlSgemm dnnlSgemm()
{
    static const auto fn = reinterpret_cast<DnnlSgemm>(dlsym(RTLD_DEFAULT, "dnnl_sgemm"));
    return fn;
}

/// c += a·b for row-major fp32 matrices a [m, k], b [k, n] and c (contiguous [m, n]).
void gemmAccumulate(const torch::Tensor& c, const torch::Tensor& a, const torch::Tensor& b)
{
    const int64_t m = a.size(0), k = a.size(1), n = b.size(1);
    if (c.device().is_cpu() && dnnlSgemm() &&
        dnnlSgemm()('N', 'N', m, n, k, 1.0f, a.data_ptr<float>(), k, b.data_ptr<float>(), n, 1.0f,
                    c.data_ptr<float>(), n) == 0)
        return;
    c.view({m, n}).addmm_(a, b);
}

/// Host scratch for the packed factors, reused by each thread across parameters and applies: a
/// fresh 10-100 MB allocation per layer would be page-faulted in every time.
torch::Tensor scratch(int64_t floats)
{
    thread_local std::vector<float> buffer;
    if (buffer.size() < size_t(floats))
        buffer.resize(size_t(floats));
    return torch::from_blob(buffer.data(), {floats}, torch::kFloat32);
}

/// view += Σ m_k·s_k·U_k·D_k over terms [begin, end) as one GEMM with K = Σ ranks. The factors are
/// converted to fp32 while they are copied into the batch (files usually hold fp16).
void addLowRank(const torch::Tensor& view, const std::vector<MergeTerm>& terms, size_t begin, size_t end)
{
    const int64_t out = view.size(0), in = view.numel() / out;
    int64_t rank = 0;
    for (size_t k = begin; k < end; ++k)
        rank += terms[k].module->at("down").size(0);
    torch::Tensor ups, downs;
    if (view.device().is_cpu() && view.scalar_type() == torch::kFloat32) {
        const torch::Tensor buffer = scratch(rank * (out + in));
        ups = buffer.narrow(0, 0, out * rank).view({out, rank});
        downs = buffer.narrow(0, out * rank, rank * in).view({rank, in});
    } else {
        const auto f32 = torch::TensorOptions().dtype(torch::kFloat32).device(view.device());
        ups = torch::empty({out, rank}, f32);
        downs = torch::empty({rank, in}, f32);
    }
    int64_t at = 0;
    for (size_t k = begin; k < end; ++k) {
        const LoRAModule& m = *terms[k].module;
        const torch::Tensor down = m.at("down").reshape({-1, in});
        const int64_t r = down.size(0);
        ups.narrow(1, at, r).copy_(m.at("up").reshape({out, r})).mul_(terms[k].multiplier * loraScale(m, r));
        downs.narrow(0, at, r).copy_(down);
        at += r;
    }
    gemmAccumulate(view, ups, downs);
}

/// The general path: one term's dense ΔW (any format, DoRA, biases) added to `view`.
void addOne(const torch::Tensor& acc, const MergeTerm& t, size_t index, const SkipTerm& skip)
{
    torch::Tensor view = sliceOf(acc, t.slice);
    try {
        if (t.bias) {
            view.add_(biasDelta(*t.module, view.sizes(), view.device()), t.multiplier);
            return;
        }
        const torch::Tensor delta = weightDelta(*t.module, view.sizes(), view.device());
        if (t.module->has("dora_scale"))
            view.copy_(mergedWeight(view, delta, t.module->at("dora_scale"), t.multiplier));
        else
            view.add_(delta, t.multiplier);
    } catch (const std::exception& e) {
        skip(index, e.what());
    }
}

} // namespace

void mergeParameter(torch::Tensor& param, const torch::Tensor& original, bool paramIsOriginal,
                    const std::vector<MergeTerm>& terms, const SkipTerm& skip)
{
    // fp32: accumulate straight into the parameter. Otherwise one fp32 copy in the same strides
    // (to() preserves them), rounded once into the parameter at the end, as a fresh merge would.
    const bool inPlace = param.scalar_type() == torch::kFloat32;
    torch::Tensor acc = param;
    if (!inPlace)
        acc = original.to(param.device(), torch::kFloat32, /*non_blocking=*/false, /*copy=*/true);
    else if (!paramIsOriginal)
        acc.copy_(original);
    // Terms stay in set order (DoRA re-normalises what came before it); runs of batchable terms
    // on the same rows become one GEMM each.
    for (size_t i = 0; i < terms.size();) {
        const torch::Tensor view = sliceOf(acc, terms[i].slice);
        size_t end = i;
        while (end < terms.size() && sameSlice(terms[end].slice, terms[i].slice) && batchable(terms[end], view))
            ++end;
        if (end > i) {
            addLowRank(view, terms, i, end);
            i = end;
        } else {
            addOne(acc, terms[i], i, skip);
            ++i;
        }
    }
    if (!inPlace)
        param.copy_(acc);
}

} // namespace easel::adapters
