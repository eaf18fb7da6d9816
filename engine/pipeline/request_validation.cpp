#include "engine/pipeline/request_validation.h"

#include <algorithm>

#include "engine/api/error.h"
#include "engine/api/limits.h"

namespace easel::pipeline {

using api::Error;
using api::ErrorCode;

int roundTo8(int value) { return std::max(8, (value + 4) / 8 * 8); }

ValidatedRequest validateRequest(const api::GenerationRequest& original, std::vector<std::string>& warnings)
{
    ValidatedRequest v;
    api::GenerationRequest& r = v.request;
    r = original;
    if (r.model.empty())
        throw Error(ErrorCode::InvalidRequest, "no checkpoint chosen; pick a model (-m/--model)");
    if (r.steps <= 0 || r.steps > api::kMaxSteps)
        throw Error(ErrorCode::InvalidRequest, "steps must be between 1 and " + std::to_string(api::kMaxSteps) + " (got "
                                                   + std::to_string(r.steps) + ")");
    if (r.batchCount < 1 || r.batchSize < 1)
        throw Error(ErrorCode::InvalidRequest, "batch count and batch size must be at least 1");
    if (r.width < api::kMinSide || r.height < api::kMinSide || r.width > api::kMaxSide || r.height > api::kMaxSide)
        throw Error(ErrorCode::InvalidRequest, "width and height must be between " + std::to_string(api::kMinSide) + " and "
                                                   + std::to_string(api::kMaxSide) + " pixels");
    if (r.width % 8 || r.height % 8) {
        const int w = roundTo8(r.width), h = roundTo8(r.height);
        warnings.push_back("size " + std::to_string(r.width) + "x" + std::to_string(r.height)
                           + " is not a multiple of 8; using " + std::to_string(w) + "x" + std::to_string(h));
        r.width = w;
        r.height = h;
    }
    if (r.clipSkip < 1)
        r.clipSkip = 1;
    v.choice = resolveSampler(r.sampler, r.scheduler);
    r.sampler = v.choice.samplerLabel;
    v.img2img = api::hasInitImage(r);
    if (r.inpaint && !v.img2img)
        throw Error(ErrorCode::InvalidRequest, "a mask needs an init image (--init-img)");
    v.strength = std::clamp(r.denoisingStrength, 0.0, 1.0);
    v.hiresSteps = r.hires.enabled && !v.img2img ? (r.hires.steps > 0 ? r.hires.steps : r.steps) : 0;
    return v;
}

} // namespace easel::pipeline
