#pragma once
/// diffusers folders and diffusers-format files -> Easel's native LDM layout. Engine-internal
/// (torch). Any thread.

#include <string>

#include "engine/io/state_dict.h"

namespace easel::io {

/// Loads a diffusers pipeline folder (model_index.json, unet/, vae/, text_encoder/, text_encoder_2/)
/// into one LDM-layout state dict, as a single-file checkpoint of the same model would hold it:
/// `model.diffusion_model.*`, `first_stage_model.*`, and the text encoders under the prefixes of
/// their family (SD1 `cond_stage_model.transformer.`, SD2 `cond_stage_model.model.` (OpenCLIP),
/// SDXL `conditioner.embedders.{0,1}.`). HF CLIP `position_ids` (absent in files saved by
/// transformers >= 4.31) are recreated as 0..N-1 int64, as single files carry them.
/// Throws api::Error naming the folder or file at fault.
StateDict loadDiffusersFolder(const std::string& dir, const LoadOptions& options = {});

/// Converts diffusers-named tensors of one component to LDM names (no prefix). `component` is
/// "unet", "vae" or "controlnet"; unknown keys are kept unchanged.
StateDict diffusersToLdm(const StateDict& tensors, const std::string& component);

/// HF CLIP text-model tensors (`text_model.*`, optional `text_projection.weight`) -> OpenCLIP
/// layout (fused q/k/v `in_proj`, transposed `text_projection`).
StateDict hfClipToOpenClip(const StateDict& hf);

} // namespace easel::io
