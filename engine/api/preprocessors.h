#pragma once
/// ControlNet preprocessors ("annotators") as the ControlNet panel offers and previews them: their
/// list with parameter slots, the run itself, Pixel Perfect resolution and whether a neural one can
/// run here. Forwards to engine/controlnet/preprocessors.h and neural_preprocessors.h. Plain C++;
/// any thread (every function is pure or reads files only).
///
/// Functions here whose arguments are api types have names of their own (preprocessControlImage,
/// pixelPerfectProcessorResolution), so argument-dependent lookup never makes an unqualified call
/// inside the engine ambiguous.

#include <cstdint>
#include <string>
#include <vector>

#include "engine/api/image.h"
#include "engine/api/request.h"

namespace easel::api {

/// Parameter slots of a preprocessor as the A1111 unit stores them (Threshold A / B).
struct PreprocessorSlot {
    std::string label;        ///< "Low Threshold"; empty = slot unused
    double minimum = 0, maximum = 0, defaultValue = -1, step = 1;
};

struct PreprocessorInfo {
    std::string name;         ///< module name as written in infotext ("canny")
    std::string label;        ///< for people ("Canny edges")
    PreprocessorSlot a, b;
    bool neural = false;      ///< needs an ONNX model file
    bool usesResolution = true; ///< "Processor Res" matters
};

struct PreprocessOptions {
    int resolution = 512;     ///< short side the picture is resized to before processing; <= 0 = as is
    double thresholdA = -1;   ///< -1 = the preprocessor's default
    double thresholdB = -1;
    std::uint64_t seed = 0;   ///< shuffle
    std::vector<std::string> onnxSearchDirs; ///< where neural preprocessors look for their .onnx
};

/// Every preprocessor Easel knows, in panel order ("none" first).
const std::vector<PreprocessorInfo>& preprocessorList();
/// Lookup by name or alias ("depth" -> "depth_midas"); nullptr when unknown.
const PreprocessorInfo* findPreprocessor(const std::string& name);

/// Runs preprocessor `name` on `image` and returns the RGB control image at the processing
/// resolution. Throws api::Error (unknown name, missing ONNX file, no OpenCV DNN in this build).
Image preprocessControlImage(const std::string& name, const Image& image, const PreprocessOptions& options);

/// A1111 ControlNet "Pixel Perfect": the processor resolution that matches the generation size.
int pixelPerfectProcessorResolution(int imageWidth, int imageHeight, int targetWidth, int targetHeight,
                                    ResizeMode mode);

/// True when this build can run neural (ONNX) preprocessors.
bool neuralPreprocessorsAvailable();
/// The ONNX file for `module` in `searchDirs`, or "" when none has one.
std::string findOnnxModel(const std::string& module, const std::vector<std::string>& searchDirs);

} // namespace easel::api
