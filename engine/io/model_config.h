#pragma once
// Network configurations of the models Easel runs, as derived from a file's weights (key names and
// shapes) or from a sidecar config (model.yaml / config.json). Plain C++ (no torch): the catalog and
// `easel-cli inspect` use them too. Detection lives in io/; the networks in models/ consume these.

#include <cstdint>
#include <string>
#include <vector>

namespace easel::io {

enum class ModelFamily { Unknown, SD1, SD2, SDXL, SDXLRefiner };
enum class Prediction { Epsilon, VPrediction };

/// UNet (LDM `openaimodel.UNetModel` / diffusers UNet2DConditionModel).
struct UNetConfig {
    int inChannels = 4;                      ///< 4 normal, 9 inpainting, 8 instruct-pix2pix
    int outChannels = 4;
    int modelChannels = 320;
    std::vector<int> channelMult = {1, 2, 4, 4};
    int numResBlocks = 2;
    std::vector<int> attentionLevels = {0, 1, 2}; ///< levels (0-based) that have transformers
    std::vector<int> transformerDepth = {1, 1, 1, 1}; ///< per level (0 where no attention)
    int transformerDepthMiddle = 1;
    int numHeads = 8;                        ///< fixed head count (SD1); -1 when numHeadChannels is used
    int numHeadChannels = -1;                ///< fixed head size (SD2, SDXL); -1 when numHeads is used
    int contextDim = 768;
    bool useLinearInTransformer = false;     ///< proj_in/proj_out Linear (SD2, SDXL) vs 1x1 conv (SD1)
    int admInChannels = 0;                   ///< SDXL `label_emb` input (2816 base, 2560 refiner); 0 = none
    int timeEmbedDim() const { return modelChannels * 4; }
    Prediction prediction = Prediction::Epsilon;

    /// The released architectures, from their inference configs (v1-inference.yaml,
    /// v2-inference-v.yaml, sd_xl_base.yaml): for code that builds a network without a file
    /// (benchmarks, synthetic fixtures) and for the conventions detection applies where weights
    /// say nothing (head counts). A file's own config always comes from io::detectModelFile.
    static UNetConfig sd15();
    static UNetConfig sd2();  ///< SD2.x 768-v (v-prediction; SD2-base 512 is the same net, eps)
    static UNetConfig sdxl(); ///< SDXL base 1.0
};

inline UNetConfig UNetConfig::sd15()
{
    UNetConfig c; // the member defaults are SD1.5's, but for the depth of level 3 (no attention)
    c.transformerDepth = {1, 1, 1, 0};
    return c;
}

inline UNetConfig UNetConfig::sd2()
{
    UNetConfig c = sd15();
    c.numHeads = -1;
    c.numHeadChannels = 64;
    c.contextDim = 1024;
    c.useLinearInTransformer = true;
    c.prediction = Prediction::VPrediction;
    return c;
}

inline UNetConfig UNetConfig::sdxl()
{
    UNetConfig c = sd15();
    c.channelMult = {1, 2, 4};
    c.attentionLevels = {1, 2};
    c.transformerDepth = {0, 2, 10};
    c.transformerDepthMiddle = 10;
    c.numHeads = -1;
    c.numHeadChannels = 64;
    c.contextDim = 2048;
    c.useLinearInTransformer = true;
    c.admInChannels = 2816;
    return c;
}

/// AutoencoderKL (LDM `first_stage_model` / diffusers AutoencoderKL).
struct VAEConfig {
    int inChannels = 3;
    int outChannels = 3;
    int ch = 128;
    std::vector<int> chMult = {1, 2, 4, 4};
    int numResBlocks = 2;
    int zChannels = 4;
    int embedDim = 4;
    double scalingFactor = 0.18215;          ///< 0.13025 for SDXL
};

enum class TextEncoderKind { CLIP_HF, OpenCLIP };

/// CLIP text transformer. CLIP-L (SD1, SDXL encoder 0) is in HF layout with quick-GELU; OpenCLIP
/// ViT-H (SD2) and bigG (SDXL encoder 1) use the OpenCLIP layout (fused in_proj) with exact GELU.
struct TextEncoderConfig {
    TextEncoderKind kind = TextEncoderKind::CLIP_HF;
    int vocabSize = 49408;
    int maxPositions = 77;
    int hidden = 768;
    int layers = 12;
    int heads = 12;
    int mlp = 3072;
    bool quickGelu = true;
    bool hasTextProjection = false;
    int projectionDim = 0;
    int padToken = 49407;                    ///< CLIP-L pads with EOS, OpenCLIP with 0
};

/// ControlNet (lllyasviel layout or diffusers); the trunk mirrors the UNet encoder.
struct ControlNetConfig {
    UNetConfig unet;                         ///< encoder half of a UNet with this config
    int hintChannels = 3;
    std::vector<int> hintBlockChannels = {16, 32, 96, 256}; ///< input_hint_block conv widths
};

} // namespace easel::io
