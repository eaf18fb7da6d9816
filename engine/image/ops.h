#pragma once
// Pixel operations of the img2img / inpaint pipeline on api::Image, as A1111 does them
// (modules/images.py resize_image, processing.py mask handling, masking.py crop regions).
// OpenCV inside; plain values outside. Any thread.

#include "engine/api/image.h"
#include "engine/api/request.h"

namespace easel::image {

struct Rect {
    int x0 = 0, y0 = 0, x1 = 0, y1 = 0; ///< [x0, x1) × [y0, y1)
    int width() const { return x1 - x0; }
    int height() const { return y1 - y0; }
};

/// High-quality resize (Lanczos when growing or mildly shrinking, area when shrinking a lot).
api::Image resize(const api::Image& image, int width, int height);

/// A1111 resize_image: just resize / crop and resize (centre crop) / resize and fill (stretch the
/// edge rows or columns into the padding).
api::Image resizeWithMode(const api::Image& image, int width, int height, api::ResizeMode mode);

/// To 8-bit single-channel (luma of RGB, or the alpha of RGBA when `useAlpha`).
api::Image toMask(const api::Image& image, bool useAlpha = false);

/// A1111 mask blur: separable Gaussian, kernel 2·int(2.5·σ+0.5)+1 in x then y.
api::Image blurMask(const api::Image& mask, int sigma);

/// Inverts a mask (A1111 "Inpaint not masked").
api::Image invertMask(const api::Image& mask);

/// Bounding box of mask pixels > threshold, grown by `padding` and clamped (A1111 get_crop_region).
/// Empty rect when the mask is all black.
Rect maskCropRegion(const api::Image& mask, int padding, int threshold = 0);

/// Grows `region` so its aspect ratio matches width:height, staying inside the image when possible
/// (A1111 expand_crop_region).
Rect expandToAspect(const Rect& region, int processWidth, int processHeight, int imageWidth, int imageHeight);

api::Image crop(const api::Image& image, const Rect& rect);

/// Pastes `patch` (already sized to `rect`) into `base` blended by `mask` (same size as base; 255 =
/// take patch). Used for the final composite of the original outside the mask.
api::Image compositeWithMask(const api::Image& base, const api::Image& patch, const Rect& rect, const api::Image& mask);

/// A1111 "fill" masked content: masked pixels replaced by a heavily blurred average of the unmasked
/// surroundings (fill(image, mask) in processing.py).
api::Image fillMasked(const api::Image& image, const api::Image& mask);

/// RGB (drops alpha, gray -> RGB).
api::Image toRgb(const api::Image& image);

} // namespace easel::image
