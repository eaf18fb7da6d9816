#pragma once
// The tiny golden text encoders (tests/data/golden/README.md §Models) and comparison helpers shared by
// the text-encoder golden tests. The head counts are not recoverable from the weights, so the
// configs are written down here as the README states them.

#include <string>

#include <torch/torch.h>

#include "engine/io/model_config.h"
#include "engine/io/state_dict.h"
#include "engine/text/text_encoder.h"
#include "tests/support/golden.h"

namespace easel::test {

/// sd1_tiny / SDXL encoder 0: HF layout, hidden `hidden`, 3 layers, 2 heads, MLP 4x, quick-GELU.
inline io::TextEncoderConfig tinyClipL(int hidden)
{
    io::TextEncoderConfig c;
    c.kind = io::TextEncoderKind::CLIP_HF;
    c.hidden = hidden;
    c.layers = 3;
    c.heads = 2;
    c.mlp = 4 * hidden;
    c.quickGelu = true;
    c.padToken = 49407;
    return c;
}

/// sd2_tiny / SDXL encoder 1: OpenCLIP layout, hidden 16, 3 layers, 2 heads, MLP 64, exact GELU.
inline io::TextEncoderConfig tinyOpenCLIP(bool projection)
{
    io::TextEncoderConfig c;
    c.kind = io::TextEncoderKind::OpenCLIP;
    c.hidden = 16;
    c.layers = 3;
    c.heads = 2;
    c.mlp = 64;
    c.quickGelu = false;
    c.hasTextProjection = projection;
    c.projectionDim = 16;
    c.padToken = 0;
    return c;
}

inline std::string goldenModel(const std::string& name) { return goldenPath("models/" + name); }

inline io::StateDict goldenRef(const std::string& name)
{
    return io::loadStateDict(goldenPath("ref/" + name), {.dtype = std::nullopt, .prefix = "", .zeroCopy = false});
}

/// Max |a - b| in double (shapes must match, else +inf).
inline double maxAbsDiff(const torch::Tensor& a, const torch::Tensor& b)
{
    if (a.sizes() != b.sizes())
        return std::numeric_limits<double>::infinity();
    return (a.to(torch::kDouble) - b.to(torch::kDouble)).abs().max().item<double>();
}

/// Text encoders: README suggests ~1e-5; measured errors are ~1e-6 on this machine.
inline constexpr double kTextTolerance = 1e-5;

} // namespace easel::test
