#pragma once
/// A1111 emphasis: how per-token prompt weights ("(cat:1.3)") scale the text encoder's output.
/// Engine thread (tensors on the model's device).
///
/// Ref: A1111 modules/sd_emphasis.py (EmphasisOriginal, EmphasisOriginalNoNorm, EmphasisNone).

#include <string>
#include <string_view>

#include <torch/torch.h>

namespace easel::text {

enum class EmphasisMode {
    Original,  ///< A1111 default: scale every token's vector, then restore the mean of the whole batch tensor
    NoNorm,    ///< scale only ("No norm")
    None,      ///< ignore weights (A1111 also stops parsing brackets; the chunker does that part)
};

/// A1111's option label: "Original", "No norm", "None".
const char* emphasisModeName(EmphasisMode mode);
/// Parses an A1111 label (case-insensitive); throws api::Error InvalidRequest for anything else.
EmphasisMode parseEmphasisMode(std::string_view label);

/// Applies emphasis to one 77-token call. z: [B, T, C] encoder output, multipliers: [B, T].
/// "Original" takes the means over ALL elements of z (batch included), as A1111 does per chunk call.
torch::Tensor applyEmphasis(const torch::Tensor& z, const torch::Tensor& multipliers, EmphasisMode mode);

} // namespace easel::text
