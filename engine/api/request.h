#pragma once
/// GenerationRequest: everything that determines a generation, as plain values. It is what the UI
/// edits, what the queue stores, what infotext (PNG metadata) round-trips and what the pipeline runs.
/// Any thread (value type).

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "engine/api/image.h"

namespace easel::api {

enum class RngSource { Gpu, Cpu };           ///< A1111 "RNG": GPU (Philox emulation, default) or CPU
enum class ResizeMode { JustResize, CropAndResize, ResizeAndFill };
enum class MaskMode { InpaintMasked, InpaintNotMasked };
enum class MaskedContent { Fill, Original, LatentNoise, LatentNothing };
enum class InpaintArea { WholePicture, OnlyMasked };
enum class Emphasis { Original, NoNorm, None };

/// One LoRA (or LyCORIS) in the mix, from a prompt tag or the LoRA panel.
struct LoRAEntry {
    std::string name;                 ///< catalog name or file stem
    double unetMultiplier = 1.0;
    double textEncoderMultiplier = 1.0;
    bool enabled = true;
};

/// One ControlNet unit.
struct ControlUnit {
    bool enabled = true;
    std::string model;                ///< path or catalog name
    std::string image;                ///< path of the control image
    Image imagePixels;                ///< in-memory control image; used instead of `image` when set
    std::string preprocessor = "none";
    double weight = 1.0;
    double guidanceStart = 0.0;
    double guidanceEnd = 1.0;
    std::string controlMode = "Balanced";
    ResizeMode resizeMode = ResizeMode::CropAndResize;
    int processorResolution = 512;
    double thresholdA = -1;
    double thresholdB = -1;
    bool pixelPerfect = false;
};

struct HiresFix {
    bool enabled = false;
    double scale = 2.0;               ///< "Hires upscale"
    int resizeX = 0, resizeY = 0;     ///< explicit target size; 0 = use scale
    std::string upscaler = "Latent";  ///< "Latent" (latent bilinear) or a pixel upscaler name
    int steps = 0;                    ///< 0 = same as first pass
    double denoisingStrength = 0.7;
    std::string sampler;              ///< empty = same as first pass
    std::string scheduler;
};

struct InpaintOptions {
    std::string mask;                 ///< path; white = change
    Image maskPixels;                 ///< in-memory mask (canvas); used instead of `mask` when set
    int maskBlur = 4;
    MaskMode maskMode = MaskMode::InpaintMasked;
    MaskedContent maskedContent = MaskedContent::Original;
    InpaintArea area = InpaintArea::WholePicture;
    int onlyMaskedPadding = 32;
};

struct GenerationRequest {
    std::string prompt;
    std::string negativePrompt;
    std::string model;                ///< checkpoint path (or catalog name)
    std::string vae;                  ///< empty = the checkpoint's own
    std::string sampler = "Euler a";  ///< A1111 label or ComfyUI alias
    std::string scheduler = "Automatic";
    int steps = 20;
    double cfgScale = 7.0;
    std::int64_t seed = -1;           ///< -1 = random; the actual seed is recorded in the result
    std::int64_t subseed = -1;
    double subseedStrength = 0.0;
    int seedResizeFromW = 0, seedResizeFromH = 0;
    int width = 512;
    int height = 512;
    int batchCount = 1;
    int batchSize = 1;
    int clipSkip = 1;
    RngSource rng = RngSource::Gpu;
    std::int64_t ensd = 0;            ///< eta noise seed delta
    Emphasis emphasis = Emphasis::Original;
    double eta = 1.0;                 ///< ancestral/SDE noise multiplier
    // img2img / inpaint
    std::string initImage;            ///< path; empty (and no initPixels) = txt2img
    /// In-memory init image (the canvas, an API upload): used instead of `initImage` when set, so
    /// pixels never round-trip through temp files. JSON carries it as base64 PNG.
    Image initPixels;
    ResizeMode resizeMode = ResizeMode::JustResize;
    double denoisingStrength = 0.75;
    std::optional<InpaintOptions> inpaint;
    HiresFix hires;
    std::vector<LoRAEntry> loras;     ///< from the LoRA panel; prompt tags are merged in by the pipeline
    std::vector<ControlUnit> controlNets;
    std::string device;               ///< empty = runtime default
    /// Low-memory mode: UNet and VAE weights kept in fp16 and computed in fp32 layer by layer
    /// (each layer upcasts its own weights), about half the weight memory on the CPU; same images
    /// up to the fp16 rounding of the weights. Text encoders stay in the compute dtype.
    bool lowMemory = false;
    /// A1111 "Tiling" (seamless textures): every padded conv of the UNet and the VAE wraps around
    /// (circular padding) in every pass of the job, so the image tiles without seams. The
    /// ControlNet models stay zero-padded, as in A1111. Infotext "Tiling: True" when on.
    bool tiling = false;
};

/// True for img2img / inpaint requests (an init image path or pixels).
bool hasInitImage(const GenerationRequest& request);

/// JSON round trip (keys are stable snake_case; unknown keys are ignored, missing keys keep defaults;
/// in-memory images travel as base64 PNG strings).
std::string toJson(const GenerationRequest& request);
/// Throws api::Error(InvalidRequest) on malformed JSON.
GenerationRequest requestFromJson(const std::string& json);

} // namespace easel::api
