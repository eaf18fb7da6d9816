#include "engine/adapters/lora_merge.h"

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

/// view += Σ m_k·s_k·U_k·D_k over terms [begin, end) as one GEMM with K = Σ ranks. The factors are
/// converted to fp32 while they are copied into the batch (files usually hold fp16).
void addLowRank(const torch::Tensor& view, const std::vector<MergeTerm>& terms, size_t begin, size_t end)
{
    const int64_t out = view.size(0), in = view.numel() / out;
    int64_t rank = 0;
    for (size_t k = begin; k < end; ++k)
        rank += terms[k].module->at("down").size(0);
    const auto f32 = torch::TensorOptions().dtype(torch::kFloat32).device(view.device());
    torch::Tensor ups = torch::empty({out, rank}, f32), downs = torch::empty({rank, in}, f32);
    int64_t at = 0;
    for (size_t k = begin; k < end; ++k) {
        const LoRAModule& m = *terms[k].module;
        const torch::Tensor down = m.at("down").reshape({-1, in});
        const int64_t r = down.size(0);
        ups.narrow(1, at, r).copy_(m.at("up").reshape({out, r})).mul_(terms[k].multiplier * loraScale(m, r));
        downs.narrow(0, at, r).copy_(down);
        at += r;
    }
    view.view({out, in}).addmm_(ups, downs);
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
