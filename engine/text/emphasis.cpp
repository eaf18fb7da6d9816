#include "engine/text/emphasis.h"

#include <algorithm>
#include <cctype>

#include "engine/api/error.h"

namespace easel::text {

const char* emphasisModeName(EmphasisMode mode)
{
    switch (mode) {
    case EmphasisMode::Original: return "Original";
    case EmphasisMode::NoNorm: return "No norm";
    case EmphasisMode::None: return "None";
    }
    return "Original";
}

EmphasisMode parseEmphasisMode(std::string_view label)
{
    std::string lower(label);
    std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
    for (EmphasisMode mode : {EmphasisMode::Original, EmphasisMode::NoNorm, EmphasisMode::None}) {
        std::string name = emphasisModeName(mode);
        std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
        if (lower == name)
            return mode;
    }
    throw api::Error(api::ErrorCode::InvalidRequest,
                     "Unknown emphasis mode \"" + std::string(label) + "\". Use Original, No norm or None.");
}

torch::Tensor applyEmphasis(const torch::Tensor& z, const torch::Tensor& multipliers, EmphasisMode mode)
{
    if (mode == EmphasisMode::None)
        return z;
    const torch::Tensor weights = multipliers.to(z.device(), z.scalar_type()).unsqueeze(-1);
    if (mode == EmphasisMode::NoNorm)
        return z * weights;
    // Restoring the mean is A1111's heuristic against artifacts; the mean is over the whole
    // [B, T, C] tensor, so a batch's prompts influence each other.
    const torch::Tensor originalMean = z.mean();
    const torch::Tensor scaled = z * weights;
    const torch::Tensor newMean = scaled.mean();
    return scaled * (originalMean / newMean);
}

} // namespace easel::text
