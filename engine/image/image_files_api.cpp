#include "engine/api/image_files.h"

#include "engine/image/image_file.h"

namespace easel::api {

std::string readParametersText(const std::string& path) { return image::readParameters(path); }

} // namespace easel::api
