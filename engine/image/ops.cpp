#include "engine/image/ops.h"

#include <algorithm>
#include <cmath>

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include "engine/api/error.h"
#include "engine/image/cv_image.h"

namespace easel::image {

namespace {

void requireImage(const api::Image& image)
{
    if (image.empty() || image.pixels.size() != image.byteSize())
        throw api::Error(api::ErrorCode::InvalidRequest, "empty or malformed image");
}

} // namespace

api::Image resize(const api::Image& image, int width, int height)
{
    requireImage(image);
    if (width == image.width && height == image.height)
        return image;
    cv::Mat out;
    const bool strongShrink = width * 2 < image.width || height * 2 < image.height;
    cv::resize(cvView(image), out, cv::Size(width, height), 0, 0, strongShrink ? cv::INTER_AREA : cv::INTER_LANCZOS4);
    return imageFromMat(out);
}

api::Image resizeWithMode(const api::Image& image, int width, int height, api::ResizeMode mode)
{
    requireImage(image);
    if (mode == api::ResizeMode::JustResize)
        return resize(image, width, height);
    const double ratio = double(width) / height;
    const double srcRatio = double(image.width) / image.height;
    cv::Mat canvas(height, width, cvView(image).type(), cv::Scalar::all(0));
    if (mode == api::ResizeMode::CropAndResize) {
        const int srcW = ratio > srcRatio ? width : image.width * height / image.height;
        const int srcH = ratio <= srcRatio ? height : image.height * width / image.width;
        const api::Image resized = resize(image, srcW, srcH);
        // Centre the resized image; the parts outside the canvas are cropped away.
        const int dx = (width - srcW) / 2, dy = (height - srcH) / 2;
        const cv::Rect dst = cv::Rect(dx, dy, srcW, srcH) & cv::Rect(0, 0, width, height);
        cvView(resized)(cv::Rect(dst.x - dx, dst.y - dy, dst.width, dst.height)).copyTo(canvas(dst));
        return imageFromMat(canvas);
    }
    const int srcW = ratio < srcRatio ? width : image.width * height / image.height;
    const int srcH = ratio >= srcRatio ? height : image.height * width / image.width;
    const api::Image resized = resize(image, srcW, srcH);
    const cv::Mat r = cvView(resized);
    const int dx = (width - srcW) / 2, dy = (height - srcH) / 2;
    r.copyTo(canvas(cv::Rect(dx, dy, srcW, srcH)));
    if (ratio < srcRatio) {
        const int fill = height / 2 - srcH / 2;
        if (fill > 0) {
            cv::resize(r.row(0), canvas(cv::Rect(0, 0, width, fill)), cv::Size(width, fill));
            cv::resize(r.row(srcH - 1), canvas(cv::Rect(0, fill + srcH, width, height - fill - srcH)),
                       cv::Size(width, height - fill - srcH));
        }
    } else if (ratio > srcRatio) {
        const int fill = width / 2 - srcW / 2;
        if (fill > 0) {
            cv::resize(r.col(0), canvas(cv::Rect(0, 0, fill, height)), cv::Size(fill, height));
            cv::resize(r.col(srcW - 1), canvas(cv::Rect(fill + srcW, 0, width - fill - srcW, height)),
                       cv::Size(width - fill - srcW, height));
        }
    }
    return imageFromMat(canvas);
}

api::Image toMask(const api::Image& image, bool useAlpha)
{
    requireImage(image);
    cv::Mat out;
    const cv::Mat v = cvView(image);
    if (image.channels == 1)
        out = v.clone();
    else if (image.channels == 4 && useAlpha)
        cv::extractChannel(v, out, 3);
    else
        cv::cvtColor(v, out, image.channels == 3 ? cv::COLOR_RGB2GRAY : cv::COLOR_RGBA2GRAY);
    return imageFromMat(out);
}

api::Image blurMask(const api::Image& mask, int sigma)
{
    requireImage(mask);
    if (sigma <= 0)
        return mask;
    cv::Mat m = cvView(mask).clone();
    const int k = 2 * static_cast<int>(2.5 * sigma + 0.5) + 1;
    cv::GaussianBlur(m, m, cv::Size(k, 1), sigma);
    cv::GaussianBlur(m, m, cv::Size(1, k), sigma);
    return imageFromMat(m);
}

api::Image invertMask(const api::Image& mask)
{
    api::Image out = mask;
    for (auto& p : out.pixels)
        p = static_cast<unsigned char>(255 - p);
    return out;
}

Rect maskCropRegion(const api::Image& mask, int padding, int threshold)
{
    requireImage(mask);
    int x0 = mask.width, y0 = mask.height, x1 = -1, y1 = -1;
    for (int y = 0; y < mask.height; ++y) {
        const unsigned char* row = mask.pixels.data() + size_t(y) * mask.width * mask.channels;
        for (int x = 0; x < mask.width; ++x) {
            if (row[x * mask.channels] > threshold) {
                x0 = std::min(x0, x);
                x1 = std::max(x1, x);
                y0 = std::min(y0, y);
                y1 = std::max(y1, y);
            }
        }
    }
    if (x1 < 0)
        return {};
    return {std::max(x0 - padding, 0), std::max(y0 - padding, 0), std::min(x1 + 1 + padding, mask.width),
            std::min(y1 + 1 + padding, mask.height)};
}

Rect expandToAspect(const Rect& r, int processWidth, int processHeight, int imageWidth, int imageHeight)
{
    Rect out = r;
    const double target = double(processWidth) / processHeight;
    const double current = double(r.width()) / std::max(1, r.height());
    if (current > target) { // too wide: grow height
        const int desired = static_cast<int>(r.width() / target);
        const int diff = desired - r.height();
        out.y0 -= diff / 2;
        out.y1 += diff - diff / 2;
        if (out.y1 > imageHeight) { out.y0 -= out.y1 - imageHeight; out.y1 = imageHeight; }
        if (out.y0 < 0) { out.y1 -= out.y0; out.y0 = 0; }
        out.y1 = std::min(out.y1, imageHeight);
    } else { // too tall: grow width
        const int desired = static_cast<int>(r.height() * target);
        const int diff = desired - r.width();
        out.x0 -= diff / 2;
        out.x1 += diff - diff / 2;
        if (out.x1 > imageWidth) { out.x0 -= out.x1 - imageWidth; out.x1 = imageWidth; }
        if (out.x0 < 0) { out.x1 -= out.x0; out.x0 = 0; }
        out.x1 = std::min(out.x1, imageWidth);
    }
    return out;
}

api::Image crop(const api::Image& image, const Rect& rect)
{
    requireImage(image);
    return imageFromMat(cvView(image)(cv::Rect(rect.x0, rect.y0, rect.width(), rect.height())).clone());
}

api::Image compositeWithMask(const api::Image& base, const api::Image& patch, const Rect& rect, const api::Image& mask)
{
    requireImage(base);
    api::Image out = base;
    const int c = base.channels;
    for (int y = 0; y < rect.height(); ++y) {
        for (int x = 0; x < rect.width(); ++x) {
            const int bx = rect.x0 + x, by = rect.y0 + y;
            const float a = mask.pixels[(size_t(by) * mask.width + bx) * mask.channels] / 255.0f;
            unsigned char* dst = &out.pixels[(size_t(by) * base.width + bx) * c];
            const unsigned char* src = &patch.pixels[(size_t(y) * patch.width + x) * patch.channels];
            for (int k = 0; k < std::min(c, 3); ++k)
                dst[k] = static_cast<unsigned char>(std::lround(src[k] * a + dst[k] * (1.0f - a)));
        }
    }
    return out;
}

api::Image fillMasked(const api::Image& image, const api::Image& mask)
{
    // Ref (behaviour): A1111 masking.fill — repeatedly blur the unmasked content outwards and lay the
    // sharper layers on top, so the hole takes the surrounding colours.
    const api::Image rgb = toRgb(image);
    cv::Mat src;
    cvView(rgb).convertTo(src, CV_32FC3);
    cv::Mat keep;
    cvView(mask).convertTo(keep, CV_32F, -1.0 / 255.0, 1.0); // 1 where unmasked
    cv::Mat result = cv::Mat::zeros(src.size(), CV_32FC3);
    for (double radius : {256.0, 64.0, 16.0, 4.0, 1.0, 0.0}) {
        cv::Mat blurredColor, blurredKeep;
        cv::Mat premul;
        cv::Mat keep3;
        cv::merge(std::vector<cv::Mat>{keep, keep, keep}, keep3);
        premul = src.mul(keep3);
        if (radius > 0) {
            const int k = 2 * static_cast<int>(radius) + 1;
            cv::GaussianBlur(premul, blurredColor, cv::Size(k, k), radius / 2);
            cv::GaussianBlur(keep, blurredKeep, cv::Size(k, k), radius / 2);
        } else {
            blurredColor = premul;
            blurredKeep = keep.clone();
        }
        cv::Mat valid = blurredKeep > 1e-3;
        cv::Mat denom;
        cv::max(blurredKeep, 1e-6, denom);
        cv::Mat denom3;
        cv::merge(std::vector<cv::Mat>{denom, denom, denom}, denom3);
        cv::Mat layer = blurredColor / denom3;
        layer.copyTo(result, valid);
    }
    cv::Mat out8;
    result.convertTo(out8, CV_8UC3);
    return imageFromMat(out8);
}

api::Image toRgb(const api::Image& image)
{
    requireImage(image);
    if (image.channels == 3)
        return image;
    cv::Mat out;
    cv::cvtColor(cvView(image), out, image.channels == 1 ? cv::COLOR_GRAY2RGB : cv::COLOR_RGBA2RGB);
    return imageFromMat(out);
}

} // namespace easel::image
