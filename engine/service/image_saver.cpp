#include "engine/service/image_saver.h"

#include <filesystem>
#include <system_error>

#include "engine/api/error.h"
#include "engine/image/image_file.h"

namespace easel::service {

namespace fs = std::filesystem;

void saveImage(const api::Image& image, const std::string& path, const std::string& parameters, int quality)
{
    const fs::path folder = fs::path(path).parent_path();
    std::error_code ec;
    if (!folder.empty() && !fs::create_directories(folder, ec) && ec)
        throw api::Error(api::ErrorCode::FileUnreadable,
                         "cannot create the output folder: " + ec.message() + "; choose a writable folder", folder.string());
    image::writeImageFile(image, path, parameters, quality);
}

} // namespace easel::service
