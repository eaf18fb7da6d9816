#pragma once
/// Renaming between the original LDM/A1111 checkpoint layout (Easel's native layout: module names
/// equal these keys) and diffusers naming. Plain C++ (names only); any thread. Every renaming Easel
/// knows lives in the key_map_* files; tensors that also change shape (VAE attention 1x1 conv vs
/// linear, OpenCLIP fused q/k/v) are converted by io/diffusers_loader.cpp.
///
/// Ref for the correspondences (facts, not code): diffusers v0.21 scripts/convert_diffusers_to_original_
/// stable_diffusion.py and convert_diffusers_to_original_sdxl.py (unet/vae maps), and
/// pipelines/stable_diffusion/convert_from_ckpt.py (controlnet, text encoders).

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace easel::io {

/// source key -> destination key. Keys a map does not know are left out of it.
using KeyMap = std::map<std::string, std::string>;

/// diffusers UNet2DConditionModel keys -> LDM `openaimodel.UNetModel` keys (without the
/// `model.diffusion_model.` prefix). Works for any number of levels / layers per block (read from
/// the keys); SDXL `add_embedding` -> `label_emb`.
KeyMap unetDiffusersToLdm(const std::vector<std::string>& diffusersKeys);

/// diffusers AutoencoderKL keys -> LDM `AutoencoderKL` keys (without `first_stage_model.`).
/// Attention projections (`to_q/to_k/to_v/to_out.0`, or the older `query/key/value/proj_attn`)
/// map to `q/k/v/proj_out`; their weights are [C,C] linear in diffusers, [C,C,1,1] conv in LDM.
KeyMap vaeDiffusersToLdm(const std::vector<std::string>& diffusersKeys);

/// True for LDM VAE attention weights that are [C,C,1,1] convs (diffusers stores them [C,C]).
bool isVaeAttentionProjection(const std::string& ldmKey);

/// diffusers ControlNetModel keys -> lllyasviel ControlNet keys (without `control_model.`).
KeyMap controlNetDiffusersToLdm(const std::vector<std::string>& diffusersKeys);

/// Inverts a map (destination -> source).
KeyMap invert(const KeyMap& map);

/// Prefixes of the LDM single-file layout.
inline constexpr const char* kLdmUNetPrefix = "model.diffusion_model.";
inline constexpr const char* kLdmVAEPrefix = "first_stage_model.";
inline constexpr const char* kLdmControlNetPrefix = "control_model.";
/// HF CLIP text model of SD1 (`text_model.*` in a diffusers text_encoder/ folder).
inline constexpr const char* kLdmSD1TextPrefix = "cond_stage_model.transformer.";
/// SD2 OpenCLIP text model.
inline constexpr const char* kLdmSD2TextPrefix = "cond_stage_model.model.";
/// SDXL encoders: CLIP-L in HF layout, bigG in OpenCLIP layout.
inline constexpr const char* kLdmSDXLText0Prefix = "conditioner.embedders.0.transformer.";
inline constexpr const char* kLdmSDXLText1Prefix = "conditioner.embedders.1.model.";

/// HF CLIP text keys (`text_model.…`, `text_projection.weight`) -> OpenCLIP keys. q/k/v projections map
/// to `transformer.resblocks.N.attn.in_proj_{weight,bias}` and must be concatenated (rows q;k;v);
/// `text_projection.weight` maps to `text_projection` and must be transposed. Returns nullopt for keys
/// that have no OpenCLIP counterpart (position_ids).
std::optional<std::string> hfClipToOpenClip(const std::string& hfKey);

} // namespace easel::io
