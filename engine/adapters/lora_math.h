#pragma once
/// The weight change each LoRA/LyCORIS format encodes, in fp32. Engine-internal (torch). Any thread.
///
/// ΔW below already includes the module's own scale (alpha / rank where the format has one); the
/// caller multiplies by the user's multiplier m: W' = W + m·ΔW. DoRA replaces that sum by a
/// re-normalised weight (mergedWeight).
///
/// Ref (formulas, facts only): A1111 extensions-builtin/Lora network_lora.py, network_hada.py,
/// network_lokr.py, network_full.py, network_norm.py and lyco_helpers.py (rebuild_conventional,
/// rebuild_cp_decomposition, make_weight_cp, make_kron); DoRA: LyCORIS apply_weight_decompose and
/// ComfyUI weight_decompose (magnitude over the axis dora_scale spans, eps = fp32 machine epsilon,
/// the multiplier interpolating between W and the DoRA weight).

#include <string>

#include <torch/torch.h>

#include "engine/adapters/lora_file.h"

namespace easel::adapters {

/// "LoRA", "LoCon (Tucker)", "LoHa", "LoKr", "full", "norm", or "" when the roles make no known format.
std::string moduleFormat(const LoRAModule& module);

/// True when the module changes a weight (as opposed to only a bias).
bool changesWeight(const LoRAModule& module);
/// True when the module also changes the bias (diff_b, b_norm).
bool changesBias(const LoRAModule& module);

/// alpha / rank of a module (1 when the file has no alpha or the format no rank).
double loraScale(const LoRAModule& module, int64_t rank);

/// Scale ΔW of the module's weight, fp32 on `device`, with the target's `shape`. Throws
/// std::invalid_argument when the module's tensors do not fit that shape.
torch::Tensor weightDelta(const LoRAModule& module, at::IntArrayRef shape, const torch::Device& device);
/// ΔB for the target's bias (shape `shape`), fp32 on `device`; undefined when the module has none.
torch::Tensor biasDelta(const LoRAModule& module, at::IntArrayRef shape, const torch::Device& device);

/// W' from the current fp32 weight W, ΔW and the multiplier m: W + m·ΔW, or with DoRA
/// (`doraScale` defined): Wc = W + ΔW; Wd = Wc · dora_scale / (‖Wc‖ + eps), the norm taken per output
/// row when dora_scale has one value per row, else per input column; W' = W + m·(Wd − W).
torch::Tensor mergedWeight(const torch::Tensor& weight, const torch::Tensor& delta, const torch::Tensor& doraScale,
                           double multiplier);

} // namespace easel::adapters
