#pragma once
/// Neural ControlNet preprocessors run from a user-provided ONNX file through OpenCV DNN. Easel ships
/// no annotator weights; when the file is missing, or this build has no OpenCV DNN module, the
/// preprocessor fails with an api::Error that says so — it never invents a control image.
/// Any thread (each call loads its own cv::dnn::Net; results are plain images).
///
/// Where the file is looked for (first hit wins): every directory of PreprocessOptions::onnxSearchDirs
/// (the pipeline passes `$EASEL_ANNOTATORS`, then `annotators/` beside the ControlNet model), as
/// `<module>.onnx` or one of the module's well-known file names below.
///
/// Public models and the I/O conventions Easel applies (NCHW float32, RGB order):
/// - depth_midas: MiDaS v2.1 small (`midas_v21_small_256.onnx`, from the isl-org/MiDaS release) —
///   input 256×256, ImageNet normalisation (mean 0.485/0.456/0.406, std 0.229/0.224/0.225); or DPT
///   Hybrid/Large exported at 384×384 (`dpt_hybrid_384.onnx`, `dpt_large_384.onnx`) — input
///   384×384, mean 0.5 std 0.5. The rule: a file name containing "dpt" or "384" gets the DPT
///   convention, anything else the MiDaS-small one. Output [1,H,W] or [1,1,H,W] relative inverse
///   depth; min-max normalised to 0..255 (near = white), as the extension's depth map.
/// - normal_bae: NormalBAE (`normal_bae.onnx`, exported from baegwangbin/surface_normal_uncertainty
///   at 384×384) — input 384×384, ImageNet normalisation; output [1,3,H,W] (or [1,4,H,W], kappa
///   dropped) unit normals in [-1,1]; written as ((n + 1) / 2) · 255 in RGB order, as the extension.
/// - openpose: CMU OpenPose body COCO model converted to ONNX (`body_pose_model.onnx`, the
///   lllyasviel/Annotators `body_pose_model.pth` layout) — input 368 on the short side (multiple of 8),
///   BGR, pixel/256 − 0.5; output the last stage's 19 heatmaps (+ 38 PAF channels, unused). Easel
///   reads ONE person: each of the 18 keypoints at its heatmap maximum (kept when > 0.1) and draws the
///   17 limbs and joints with OpenPose's colours on black. Several people in the picture are NOT
///   separated (no PAF grouping): use a single-person picture or a pose image ("none").
/// - seg_ofade20k / seg_ufade20k: any ADE20K semantic-segmentation model exported with output
///   [1,150,H,W] logits (e.g. UperNet, SegFormer-B0 `segformer_b0_ade20k_512.onnx`) — input 512×512,
///   ImageNet normalisation; argmax per pixel. Class colours: the 150-colour ADE20K palette is not
///   bundled yet, so segmentation currently refuses with a clear error (see runNeuralPreprocessor).

#include <string>
#include <vector>

#include "engine/api/image.h"

namespace easel::controlnet {

/// True when this build can run ONNX models (OpenCV DNN found at configure time).
bool neuralPreprocessorsAvailable();

/// The ONNX file for `module`, or empty when none of the search dirs has one.
std::string findOnnxModel(const std::string& module, const std::vector<std::string>& searchDirs);

/// Runs `module` ("depth_midas", "normal_bae", "openpose", "seg_ofade20k", ...) on an RGB image at
/// its own size. Throws api::Error: UnsupportedFormat (no OpenCV DNN in this build, or a module whose
/// output Easel cannot render yet), FileNotFound (no ONNX file: the message names the file names and
/// folders searched), CorruptFile (OpenCV cannot read the ONNX or its output shape is unexpected).
api::Image runNeuralPreprocessor(const std::string& module, const api::Image& rgb,
                                 const std::vector<std::string>& searchDirs);

} // namespace easel::controlnet
