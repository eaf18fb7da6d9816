// Image codecs through OpenCV imgcodecs: every format OpenCV reads; JPEG and WebP written with the
// A1111 `parameters` text in EXIF. Linked into easel_image_io in full builds.

#include "engine/image/image_codecs.h"

#include <algorithm>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "engine/api/error.h"
#include "engine/image/cv_image.h"
#include "engine/image/exif_comment.h"

namespace easel::image {

using api::Error;
using api::ErrorCode;

namespace {

cv::Mat toBgrMat(const api::Image& image)
{
    const cv::Mat rgb = cvView(image);
    cv::Mat bgr;
    if (image.channels == 3)
        cv::cvtColor(rgb, bgr, cv::COLOR_RGB2BGR);
    else if (image.channels == 4)
        cv::cvtColor(rgb, bgr, cv::COLOR_RGBA2BGRA);
    else
        bgr = rgb.clone();
    return bgr;
}

} // namespace

api::Image decodeImageBytes(const std::vector<unsigned char>& bytes, const std::string& path, bool keepAlpha)
{
    cv::Mat decoded;
    try {
        decoded = cv::imdecode(bytes, cv::IMREAD_UNCHANGED);
    } catch (const cv::Exception&) {
    }
    if (decoded.empty())
        throw Error(ErrorCode::CorruptFile, "not an image Easel can read (PNG, JPEG, WebP, BMP, TIFF), or damaged",
                    path);
    if (decoded.depth() != CV_8U) {
        cv::Mat eight;
        decoded.convertTo(eight, CV_8U, decoded.depth() == CV_16U ? 1.0 / 257.0 : 255.0);
        decoded = eight;
    }
    cv::Mat rgb;
    const bool alpha = decoded.channels() == 4 && keepAlpha;
    switch (decoded.channels()) {
    case 1: cv::cvtColor(decoded, rgb, cv::COLOR_GRAY2RGB); break;
    case 3: cv::cvtColor(decoded, rgb, cv::COLOR_BGR2RGB); break;
    case 4: cv::cvtColor(decoded, rgb, alpha ? cv::COLOR_BGRA2RGBA : cv::COLOR_BGRA2RGB); break;
    default: throw Error(ErrorCode::UnsupportedFormat, "unsupported channel count", path);
    }
    return imageFromMat(rgb);
}

std::vector<unsigned char> encodeLossy(const api::Image& image, const std::string& ext, const std::string& path,
                                       const std::string& parameters, int quality)
{
    std::vector<unsigned char> out;
    const cv::Mat bgr = toBgrMat(image);
    quality = std::clamp(quality, 1, 100);
    if (ext == ".jpg" || ext == ".jpeg") {
        cv::Mat noAlpha = bgr;
        if (bgr.channels() == 4)
            cv::cvtColor(bgr, noAlpha, cv::COLOR_BGRA2BGR);
        if (!cv::imencode(".jpg", noAlpha, out, {cv::IMWRITE_JPEG_QUALITY, quality}))
            throw Error(ErrorCode::Internal, "JPEG encoding failed", path);
        return parameters.empty() ? out : jpegWithExif(out, buildExifUserComment(parameters));
    }
    if (ext == ".webp") {
        if (!cv::imencode(".webp", bgr, out, {cv::IMWRITE_WEBP_QUALITY, quality}))
            throw Error(ErrorCode::Internal, "WebP encoding failed", path);
        return parameters.empty() ? out : webpWithExif(out, buildExifUserComment(parameters), image.width, image.height);
    }
    throw Error(ErrorCode::InvalidRequest, "unknown image format '" + ext + "'; use .png, .jpg or .webp", path);
}


} // namespace easel::image
