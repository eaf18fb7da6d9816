#pragma once
/// One parameter's merge: original + every LoRA term that lands on it, in set order, accumulated in
/// fp32 and written IN PLACE into the live parameter, which keeps its storage, strides (channels-last
/// convs stay channels-last) and dtype. Engine-internal (torch). Engine thread only.
///
/// Why in place and batched: the step must run on the very tensors the model was loaded with, and
/// a set of plain LoRAs on one layer is one GEMM — W += [m1·s1·U1 | … | mk·sk·Uk] · [D1; …; Dk]
/// (K = Σ ranks) — instead of k rank-r products, k dense ΔW temporaries and k full-size adds.

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include <torch/torch.h>

#include "engine/adapters/lora_file.h"
#include "engine/adapters/lora_targets.h"

namespace easel::adapters {

/// One module's share of a parameter's new value.
struct MergeTerm {
    const LoRAModule* module = nullptr;
    double multiplier = 1.0;
    ParamSlice slice;
    bool bias = false;
    size_t entry = 0; ///< which LoRA of the set (index into the report's entries)
};

/// Called for a term that does not fit the layer (shape mismatch …): the term is left out.
using SkipTerm = std::function<void(size_t term, const std::string& why)>;

/// Sets `param` to `original` + the terms. `paramIsOriginal`: the parameter already holds the
/// original values (saves a copy). fp32 parameters are updated in place; other dtypes through one
/// fp32 temporary, rounded once.
void mergeParameter(torch::Tensor& param, const torch::Tensor& original, bool paramIsOriginal,
                    const std::vector<MergeTerm>& terms, const SkipTerm& skip);

} // namespace easel::adapters
