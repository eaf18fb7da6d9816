#include "engine/api/preprocessors.h"

#include "engine/controlnet/neural_preprocessors.h"
#include "engine/controlnet/preprocessors.h"

namespace easel::api {

const std::vector<PreprocessorInfo>& preprocessorList() { return controlnet::preprocessorList(); }

const PreprocessorInfo* findPreprocessor(const std::string& name) { return controlnet::findPreprocessor(name); }

Image preprocessControlImage(const std::string& name, const Image& image, const PreprocessOptions& options)
{
    return controlnet::runPreprocessor(name, image, options);
}

int pixelPerfectProcessorResolution(int imageWidth, int imageHeight, int targetWidth, int targetHeight, ResizeMode mode)
{
    return controlnet::pixelPerfectResolution(imageWidth, imageHeight, targetWidth, targetHeight, mode);
}

bool neuralPreprocessorsAvailable() { return controlnet::neuralPreprocessorsAvailable(); }

std::string findOnnxModel(const std::string& module, const std::vector<std::string>& searchDirs)
{
    return controlnet::findOnnxModel(module, searchDirs);
}

} // namespace easel::api
