#include "engine/api/image_files.h"

#include "engine/image/image_file.h"

namespace easel::api {

std::string readParametersText(const std::string& path) { return image::readParameters(path); }

Image readImage(const std::string& path, bool keepAlpha) { return image::readImageFile(path, keepAlpha); }

void writeImage(const Image& image, const std::string& path, const std::string& parameters, int quality)
{
    image::writeImageFile(image, path, parameters, quality);
}

} // namespace easel::api
