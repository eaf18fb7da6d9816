#pragma once
// img2img / inpaint inputs prepared as A1111's StableDiffusionProcessingImg2Img.init does: init image
// resized by the resize mode, the mask blurred / inverted / cropped ("only masked"), masked content
// "fill", the latent mask, and what the final composite of the original outside the mask needs.
// Engine thread only.

#include <string>
#include <vector>

#include <torch/torch.h>

#include "engine/api/image.h"
#include "engine/api/request.h"
#include "engine/image/ops.h"

namespace easel::pipeline {

struct PreparedInputs {
    api::Image processImage;      ///< RGB, request width × height: what the VAE encodes
    torch::Tensor pixelMask;      ///< [1, 1, H, W] in [0, 1] at process size (blurred); undefined: no mask
    torch::Tensor latentMask;     ///< [1, 1, H/8, W/8], rounded to 0/1, 1 = repaint
    bool inpaint = false;
    bool onlyMasked = false;
    api::Image overlayBase;       ///< the original the result is composited onto
    api::Image overlayMask;       ///< at overlayBase size, 255 = take the generated pixels
    image::Rect pasteRect;        ///< where the generated image goes in overlayBase
};

/// Reads and prepares the init image and mask. Mask size mismatches are resized with a warning.
/// Throws api::Error (FileNotFound, CorruptFile, InvalidRequest).
PreparedInputs prepareInputs(const api::GenerationRequest& request, std::vector<std::string>& warnings);

/// A1111 apply_overlay: the generated image pasted back (only masked) and the original laid over it
/// outside the mask. Plain img2img returns `generated` unchanged.
api::Image finishInpaint(const PreparedInputs& inputs, const api::Image& generated);

/// A1111 "Model hash" (AutoV2: sha256 of the file, first 10 hex), cached by path + size + mtime;
/// empty when the file cannot be read (a hash never stops a generation).
std::string modelHash(const std::string& path);

} // namespace easel::pipeline
