#pragma once
/// ControlNet preprocessors ("annotators"): turn a user's picture into the control image a ControlNet
/// was trained on. Classic image-processing ones run on OpenCV core/imgproc; neural ones (depth,
/// pose, normals, segmentation) run a user-provided ONNX file, see neural_preprocessors.h.
/// Plain values in and out (no OpenCV/torch in this header): the panel's live preview calls these
/// too. Any thread; every function is pure (shuffle is deterministic in its seed).
///
/// Names follow the A1111 ControlNet extension's module names so infotext round-trips
/// ("canny", "invert", "shuffle", "tile_resample", ...); Easel's own approximations have their own
/// names ("scribble_threshold", "lineart_dog", "softedge_sobel").

#include <cstdint>
#include <string>
#include <vector>

#include "engine/api/image.h"
#include "engine/api/preprocessors.h"
#include "engine/api/request.h"

namespace easel::controlnet {

/// Canny edges (white on black, RGB). Ref: A1111 ControlNet "canny" = cv2.Canny(img, low, high) on
/// the RGB image (gradient of the strongest channel), thresholds 1..255, defaults 100 / 200.
api::Image canny(const api::Image& rgb, int lowThreshold, int highThreshold);

/// Scribble / sketch: pixels darker than `threshold` (invert = true: dark strokes on light paper,
/// the usual drawing) or brighter than it (invert = false: already white-on-black) become white lines
/// on black, which is what the scribble ControlNets were trained on.
api::Image scribble(const api::Image& rgb, int threshold, bool invert);

/// Line art by difference of Gaussians + adaptive threshold. Approximates the model-free
/// "lineart_standard" of the A1111 extension (Gaussian-blurred image minus the image, normalised by
/// the median line strength) and, loosely, the learned lineart annotators: dark strokes of the
/// picture become white lines of graded strength on black. `sigma` is the wide Gaussian (default 6,
/// as lineart_standard), `offset` the adaptive threshold's constant (default 2; higher = fewer
/// faint lines kept).
api::Image lineartDog(const api::Image& rgb, double sigma, double offset);

/// Soft edges: Gaussian blur (sigma, default 1.5) then Sobel gradient magnitude normalised to its
/// 99th percentile, with a square-root tone curve. Approximates the look of HED / PiDiNet soft-edge
/// maps (thick, graded edges) without a network.
api::Image softEdgeSobel(const api::Image& rgb, double sigma);

/// Tile / blur: down-sample by `rate` (>= 1, area filter) and back up (cubic), as the extension's
/// "tile_resample" does before the control image is resized to the generation size.
api::Image tileResample(const api::Image& rgb, double rate);

/// Content shuffle (A1111 "shuffle"): pixels moved along a smooth random flow field (noise on a grid
/// of `cell` pixels, cubic-upsampled, normalised to the image size), remapped bilinearly.
/// Deterministic in `seed`.
api::Image colorShuffle(const api::Image& rgb, std::uint64_t seed, int cell = 256);

/// 255 - value per channel (A1111 "invert (from white bg & black line)").
api::Image invert(const api::Image& rgb);

// The preprocessor descriptions are public (engine/api/preprocessors.h): the panel lists them.
using api::PreprocessorInfo;
using api::PreprocessorSlot;
using api::PreprocessOptions;

/// Every preprocessor Easel knows, in panel order ("none" first).
const std::vector<PreprocessorInfo>& preprocessorList();
/// Lookup by name or alias ("depth" -> "depth_midas", "lineart" -> "lineart_dog", ...); nullptr
/// when unknown.
const PreprocessorInfo* findPreprocessor(const std::string& name);

/// Runs preprocessor `name` on `image` (any channel count; converted to RGB) and returns an RGB
/// control image at the processing resolution (short side = options.resolution). Throws
/// api::Error(InvalidRequest) for an unknown name (listing the known ones), UnsupportedFormat /
/// FileNotFound for neural preprocessors without an ONNX file or without OpenCV DNN in the build.
api::Image runPreprocessor(const std::string& name, const api::Image& image, const PreprocessOptions& options);

/// A1111 ControlNet "Pixel Perfect": the processor resolution that matches the generation size.
/// k = max(targetH/H, targetW/W) (min for "Resize and Fill"), resolution = round(k · min(H, W)).
/// Ref: sd-webui-controlnet external_code.py pixel_perfect_resolution.
int pixelPerfectResolution(int imageWidth, int imageHeight, int targetWidth, int targetHeight, api::ResizeMode mode);

/// Resizes so the short side is `resolution` (aspect kept; Lanczos/area like image::resize).
api::Image resizeShortSide(const api::Image& image, int resolution);

} // namespace easel::controlnet
