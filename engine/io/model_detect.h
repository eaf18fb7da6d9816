#pragma once
/// What is this file? Classification and network configs from key names and shapes only (no tensor
/// data is read), overridable by a sidecar config. Plain C++ (no torch): the catalog and
/// `easel-cli inspect` use it. Any thread.
///
/// What the weights cannot tell, and what Easel does then:
/// - Prediction type (eps vs v): identical weights. Order of evidence: sidecar (`parameterization: v`
///   in model.yaml, sgm `VScaling`/`VWrapper`, diffusers scheduler `prediction_type`), then a `v_pred`
///   marker key or `modelspec.prediction_type` metadata, else by convention: SD1/SDXL eps; SD2 v,
///   because the common SD2 checkpoints (2.0-768, 2.1-768) are v-prediction, and SD2-base 512 (eps)
///   files need their `v2-inference.yaml` sidecar (A1111 also needs that yaml for them).
/// - Attention head count/size: UNet heads are not visible in any shape. Real models follow fixed
///   conventions, which Easel applies: SD1 8 heads; SD2 and SDXL head size 64. Text encoders: head
///   size 64 (CLIP-L 12 heads, ViT-H 16, bigG 20). Widths below 128 exist only in tiny test models;
///   they get 2 heads. A sidecar (`num_heads` / `num_head_channels`, diffusers `attention_head_dim`)
///   overrides.
/// - VAE scaling factor: SDXL's VAE (0.13025) and SD1's (0.18215) have the same shapes. A checkpoint
///   uses its family's; a standalone VAE gets 0.18215 unless a sidecar/config.json says otherwise.
/// - A LoRA/embedding trained on a tiny or unusual width whose dims match no family is reported as
///   SD1 with a note (the common case); kohya `ss_base_model_version` metadata wins when present.
///
/// Levels without attention have transformerDepth 0 (also when a sidecar lists a depth for them).

#include <map>
#include <string>
#include <vector>

#include "engine/io/model_config.h"
#include "engine/io/safetensors.h"

namespace easel::io {

enum class ModelKind {
    Unknown,
    Checkpoint,   ///< UNet (+ VAE + text encoders when present)
    VAE,
    LoRA,         ///< also LyCORIS (loraType says which)
    Embedding,    ///< textual inversion
    ControlNet,
    Upscaler,
    Unsupported,  ///< recognised, not supported yet (unsupportedFamily names it)
};

enum class KeyLayout { LDM, Diffusers };
enum class CheckpointVariant { Normal, Inpainting, InstructPix2Pix };

struct DetectedModel {
    ModelKind kind = ModelKind::Unknown;
    ModelFamily family = ModelFamily::Unknown;
    KeyLayout layout = KeyLayout::LDM;
    CheckpointVariant variant = CheckpointVariant::Normal;
    std::string unsupportedFamily;   ///< e.g. "SD3", "Flux"
    std::string loraType;            ///< "LoRA", "LoCon", "LoHa", "LoKr", "LoRA (diffusers/PEFT)"
    std::string upscalerArch;        ///< "ESRGAN", "Real-ESRGAN", "SwinIR", ...
    std::string keyPrefix;           ///< prefix of the network's keys in the file ("control_model.", ...)
    bool hasUNet = false, hasVAE = false;
    UNetConfig unet;                 ///< valid when hasUNet or kind == ControlNet
    VAEConfig vae;                   ///< valid when hasVAE
    std::vector<TextEncoderConfig> textEncoders; ///< in conditioning order
    ControlNetConfig controlNet;     ///< valid when kind == ControlNet
    int embeddingVectors = 0;        ///< textual inversion: vectors per token
    std::vector<int> embeddingDims;  ///< per text encoder (SDXL: {768, 1280})
    bool predictionKnown = false;    ///< false: convention applied (see above)
    std::string configSource = "weights"; ///< "weights", or the sidecar file that overrode values
    std::vector<std::string> notes;  ///< guesses made, for people
};

/// A header's tensor names and shapes (dtype and offsets unused).
struct TensorShapes {
    std::map<std::string, std::vector<int64_t>> shapes;
    std::map<std::string, std::string> metadata;
    static TensorShapes of(const SafetensorsFile& file);
};

/// Classifies from names and shapes only.
DetectedModel detectModel(const TensorShapes& tensors);

/// Opens a file's header (or a diffusers folder's configs), detects, and applies a sidecar beside
/// it: `name.yaml` (LDM/sgm config, A1111 convention) or `config.json` (diffusers). Throws api::Error.
DetectedModel detectModelFile(const std::string& path);

/// Applies an LDM/sgm YAML config (text) to a detection. Throws api::Error(CorruptFile) on bad YAML.
void applyLdmYaml(DetectedModel& model, const std::string& yamlText, const std::string& path = {});
/// Applies a diffusers config.json of a UNet / ControlNet / VAE / text encoder (text).
void applyDiffusersConfig(DetectedModel& model, const std::string& jsonText, const std::string& path = {});
/// Applies a transformers CLIPTextConfig (a diffusers `text_encoder/config.json`, or such a dict
/// kept elsewhere, e.g. beside reference data) to one detected text encoder: head count and
/// activation, which no weight shape shows. Throws api::Error(CorruptFile) on bad JSON.
void applyTextEncoderConfig(TextEncoderConfig& config, const std::string& jsonText, const std::string& path = {});

const char* modelKindName(ModelKind kind);     ///< "checkpoint", "vae", "lora", ...
const char* modelFamilyName(ModelFamily family); ///< "SD1", "SD2", "SDXL", "SDXL refiner", "unknown"
const char* predictionName(Prediction p);      ///< "eps", "v"

} // namespace easel::io
