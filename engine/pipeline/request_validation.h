#pragma once
// Stage 1 of a generation: the request checked and normalised before any model work, so a bad
// request fails at once with a clear message. Engine thread only (resolves sampler names).

#include <string>
#include <vector>

#include "engine/api/request.h"
#include "engine/pipeline/sampler_bridge.h"

namespace easel::pipeline {

struct ValidatedRequest {
    api::GenerationRequest request; ///< sizes rounded to 8, clip skip ≥ 1, sampler as its A1111 label
    SamplerChoice choice;
    bool img2img = false;
    double strength = 0.75;         ///< denoising strength clamped to [0, 1]
    int hiresSteps = 0;             ///< 0 = no hires pass (txt2img only, as A1111)
};

/// Throws api::Error(InvalidRequest) naming what to change; notes adjustments in `warnings`.
ValidatedRequest validateRequest(const api::GenerationRequest& request, std::vector<std::string>& warnings);

/// Multiple of 8, at least 8 (A1111 rounds to the nearest multiple).
int roundTo8(int value);

} // namespace easel::pipeline
