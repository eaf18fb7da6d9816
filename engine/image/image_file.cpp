#include "engine/image/image_file.h"

#include <algorithm>
#include <filesystem>

#include "engine/api/error.h"
#include "engine/core/atomic_file.h"
#include "engine/image/exif_comment.h"
#include "engine/image/image_codecs.h"
#include "engine/image/png_codec.h"

namespace easel::image {

using api::Error;
using api::ErrorCode;

namespace {

std::string lowerExtension(const std::string& path)
{
    std::string ext = std::filesystem::path(path).extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return ext;
}

} // namespace

api::Image readImageFile(const std::string& path, bool keepAlpha)
{
    return decodeImageBytes(core::readWholeFile(path, 1u << 30), path, keepAlpha);
}

std::vector<unsigned char> encodeImageForPath(const api::Image& image, const std::string& path,
                                              const std::string& parameters, int quality)
{
    const std::string ext = lowerExtension(path);
    if (ext == ".png") {
        std::map<std::string, std::string> text;
        if (!parameters.empty())
            text["parameters"] = parameters;
        return encodePng(image, text);
    }
    if (ext == ".jpg" || ext == ".jpeg" || ext == ".webp")
        return encodeLossy(image, ext, path, parameters, quality);
    throw Error(ErrorCode::InvalidRequest, "unknown image format '" + ext + "'; use .png, .jpg or .webp", path);
}

void writeImageFile(const api::Image& image, const std::string& path, const std::string& parameters, int quality)
{
    core::writeFileAtomically(path, encodeImageForPath(image, path, parameters, quality));
}

std::string readParameters(const std::string& path)
{
    const auto bytes = core::readWholeFile(path, 1u << 30);
    if (bytes.size() >= 8 && bytes[0] == 0x89 && bytes[1] == 'P') {
        const auto text = readPngText(bytes);
        auto it = text.find("parameters");
        return it == text.end() ? std::string() : it->second;
    }
    const auto exif = findExif(bytes);
    if (exif.empty())
        return {};
    return parseExifUserComment(exif.data(), exif.size()).value_or("");
}

} // namespace easel::image
