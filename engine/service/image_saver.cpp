#include "engine/service/image_saver.h"

#include <filesystem>
#include <map>
#include <system_error>

#include "engine/api/error.h"
#include "engine/core/atomic_file.h"
#include "engine/image/png_codec.h"
#ifdef EASEL_HAVE_IMAGE_IO
#include "engine/image/image_file.h"
#endif

namespace easel::service {

namespace fs = std::filesystem;

void saveImage(const api::Image& image, const std::string& path, const std::string& parameters, int quality)
{
    const fs::path folder = fs::path(path).parent_path();
    std::error_code ec;
    if (!folder.empty() && !fs::create_directories(folder, ec) && ec)
        throw api::Error(api::ErrorCode::FileUnreadable,
                         "cannot create the output folder: " + ec.message() + "; choose a writable folder", folder.string());
#ifdef EASEL_HAVE_IMAGE_IO
    image::writeImageFile(image, path, parameters, quality);
#else
    (void)quality;
    std::string ext = fs::path(path).extension().string();
    if (ext != ".png" && ext != ".PNG")
        throw api::Error(api::ErrorCode::UnsupportedFormat,
                         "this build writes PNG only (no image-file library); use a .png name", path);
    std::map<std::string, std::string> text;
    if (!parameters.empty())
        text["parameters"] = parameters;
    core::writeFileAtomically(path, image::encodePng(image, text));
#endif
}

} // namespace easel::service
