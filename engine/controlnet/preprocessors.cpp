#include "engine/controlnet/preprocessors.h"

#include <algorithm>
#include <cmath>
#include <random>

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include "engine/api/error.h"
#include "engine/controlnet/neural_preprocessors.h"
#include "engine/image/cv_image.h"
#include "engine/image/ops.h"

namespace easel::controlnet {

namespace {

/// Validated RGB view (gray / RGBA converted).
api::Image rgbOf(const api::Image& image)
{
    if (image.empty() || image.pixels.size() != image.byteSize())
        throw api::Error(api::ErrorCode::InvalidRequest, "the control image is empty or malformed; choose another image");
    return image.channels == 3 ? image : image::toRgb(image);
}

/// Single-channel 8-bit map -> RGB image (ControlNets take 3 equal channels).
api::Image grayToRgb(const cv::Mat& gray)
{
    cv::Mat rgb;
    cv::cvtColor(gray, rgb, cv::COLOR_GRAY2RGB);
    return image::imageFromMat(rgb);
}

cv::Mat grayOf(const api::Image& rgb)
{
    cv::Mat gray;
    cv::cvtColor(image::cvView(rgb), gray, cv::COLOR_RGB2GRAY);
    return gray;
}

/// Value at quantile q (0..1) of a float map's values above `floor`; `fallback` when none.
float quantileAbove(const cv::Mat& map, float floor, double q, float fallback)
{
    std::vector<float> values;
    values.reserve(map.total() / 4);
    for (int y = 0; y < map.rows; ++y) {
        const float* row = map.ptr<float>(y);
        for (int x = 0; x < map.cols; ++x)
            if (row[x] > floor)
                values.push_back(row[x]);
    }
    if (values.empty())
        return fallback;
    const size_t k = std::min(values.size() - 1, static_cast<size_t>(q * (values.size() - 1)));
    std::nth_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(k), values.end());
    return values[k];
}

double orDefault(double value, double fallback) { return value < 0 ? fallback : value; }

} // namespace

api::Image canny(const api::Image& image, int lowThreshold, int highThreshold)
{
    const api::Image rgb = rgbOf(image);
    cv::Mat edges;
    cv::Canny(image::cvView(rgb), edges, std::clamp(lowThreshold, 1, 255), std::clamp(highThreshold, 1, 255));
    return grayToRgb(edges);
}

api::Image scribble(const api::Image& image, int threshold, bool invert)
{
    const api::Image rgb = rgbOf(image);
    cv::Mat lines;
    cv::threshold(grayOf(rgb), lines, std::clamp(threshold, 0, 255), 255,
                  invert ? cv::THRESH_BINARY_INV : cv::THRESH_BINARY);
    return grayToRgb(lines);
}

api::Image lineartDog(const api::Image& image, double sigma, double offset)
{
    const api::Image rgb = rgbOf(image);
    cv::Mat gray;
    grayOf(rgb).convertTo(gray, CV_32F);
    // Difference of Gaussians: wide blur minus a light blur is positive on strokes darker than their
    // surroundings (lineart_standard uses blur − image; the light blur removes pixel noise).
    cv::Mat wide, fine;
    cv::GaussianBlur(gray, wide, cv::Size(0, 0), std::max(0.5, sigma));
    cv::GaussianBlur(gray, fine, cv::Size(0, 0), 0.7);
    const cv::Mat difference = wide - fine;
    const cv::Mat dog = cv::max(difference, 0.0);
    // Normalise by the median line strength (floor 16) as lineart_standard does, to 127 per unit.
    const float median = std::max(16.0f, quantileAbove(dog, 8.0f, 0.5, 16.0f));
    cv::Mat strength = dog * (127.0 / median);
    // Adaptive threshold keeps only pixels clearly darker than their neighbourhood, which removes
    // the DoG's halo on flat shading.
    cv::Mat keep;
    const int block = std::max(3, (static_cast<int>(std::lround(sigma * 2)) | 1));
    cv::adaptiveThreshold(grayOf(rgb), keep, 255, cv::ADAPTIVE_THRESH_GAUSSIAN_C, cv::THRESH_BINARY_INV, block,
                          std::max(0.0, offset));
    cv::Mat out;
    strength.convertTo(out, CV_8U); // saturates at 255
    cv::Mat masked = cv::Mat::zeros(out.size(), CV_8U);
    out.copyTo(masked, keep);
    return grayToRgb(masked);
}

api::Image softEdgeSobel(const api::Image& image, double sigma)
{
    const api::Image rgb = rgbOf(image);
    cv::Mat gray, blurred, gx, gy, magnitude;
    grayOf(rgb).convertTo(gray, CV_32F, 1.0 / 255.0);
    cv::GaussianBlur(gray, blurred, cv::Size(0, 0), std::max(0.3, sigma));
    cv::Sobel(blurred, gx, CV_32F, 1, 0, 3);
    cv::Sobel(blurred, gy, CV_32F, 0, 1, 3);
    cv::magnitude(gx, gy, magnitude);
    const float top = quantileAbove(magnitude, 1e-4f, 0.99, 1.0f);
    const cv::Mat ratio = magnitude / std::max(top, 1e-4f);
    cv::Mat normalised = cv::min(ratio, 1.0);
    cv::sqrt(normalised, normalised); // soft-edge maps are bright and graded, not thin
    cv::Mat out;
    normalised.convertTo(out, CV_8U, 255.0);
    return grayToRgb(out);
}

api::Image tileResample(const api::Image& image, double rate)
{
    const api::Image rgb = rgbOf(image);
    // Ref: A1111 ControlNet tile_resample: no change below 1.1, else area down-sampling by the rate.
    if (rate < 1.1)
        return rgb;
    const int w = std::max(1, static_cast<int>(rgb.width / rate));
    const int h = std::max(1, static_cast<int>(rgb.height / rate));
    cv::Mat small, back;
    cv::resize(image::cvView(rgb), small, cv::Size(w, h), 0, 0, cv::INTER_AREA);
    cv::resize(small, back, cv::Size(rgb.width, rgb.height), 0, 0, cv::INTER_CUBIC);
    return image::imageFromMat(back);
}

api::Image colorShuffle(const api::Image& image, std::uint64_t seed, int cell)
{
    const api::Image rgb = rgbOf(image);
    const int w = rgb.width, h = rgb.height, f = std::max(8, cell);
    std::mt19937_64 engine(seed);
    std::uniform_real_distribution<float> uniform(0.0f, 1.0f);
    // A smooth noise field in [0, 1]: uniform noise on a coarse grid, cubic-upsampled with a margin
    // of one cell, cropped, min-max normalised (the extension's make_noise_disk).
    auto noiseField = [&]() {
        cv::Mat coarse(h / f + 2, w / f + 2, CV_32F);
        for (int y = 0; y < coarse.rows; ++y)
            for (int x = 0; x < coarse.cols; ++x)
                coarse.at<float>(y, x) = uniform(engine);
        cv::Mat big;
        cv::resize(coarse, big, cv::Size(w + 2 * f, h + 2 * f), 0, 0, cv::INTER_CUBIC);
        cv::Mat field = big(cv::Rect(f, f, w, h)).clone();
        double lo = 0, hi = 0;
        cv::minMaxLoc(field, &lo, &hi);
        field = (field - lo) / std::max(1e-6, hi - lo);
        return field;
    };
    const cv::Mat mapX = noiseField() * static_cast<float>(w - 1);
    const cv::Mat mapY = noiseField() * static_cast<float>(h - 1);
    cv::Mat out;
    cv::remap(image::cvView(rgb), out, mapX, mapY, cv::INTER_LINEAR);
    return image::imageFromMat(out);
}

api::Image invert(const api::Image& image)
{
    api::Image out = rgbOf(image);
    for (auto& p : out.pixels)
        p = static_cast<std::uint8_t>(255 - p);
    return out;
}

int pixelPerfectResolution(int imageWidth, int imageHeight, int targetWidth, int targetHeight, api::ResizeMode mode)
{
    if (imageWidth <= 0 || imageHeight <= 0)
        return targetHeight;
    const double kh = double(targetHeight) / imageHeight;
    const double kw = double(targetWidth) / imageWidth;
    const double k = mode == api::ResizeMode::ResizeAndFill ? std::min(kh, kw) : std::max(kh, kw);
    return static_cast<int>(std::nearbyint(k * std::min(imageWidth, imageHeight))); // numpy round: half to even
}

api::Image resizeShortSide(const api::Image& image, int resolution)
{
    if (resolution <= 0 || image.empty())
        return image;
    const double k = double(resolution) / std::min(image.width, image.height);
    const int w = std::max(1, static_cast<int>(std::lround(image.width * k)));
    const int h = std::max(1, static_cast<int>(std::lround(image.height * k)));
    return image::resize(image, w, h);
}

const std::vector<PreprocessorInfo>& preprocessorList()
{
    static const std::vector<PreprocessorInfo> list = {
        {"none", "None (image as given)", {}, {}, false, false},
        {"canny", "Canny edges", {"Low Threshold", 1, 255, 100, 1}, {"High Threshold", 1, 255, 200, 1}},
        {"scribble_threshold", "Scribble / sketch (threshold)", {"Threshold", 0, 255, 127, 1},
         {"Invert (dark lines on light)", 0, 1, 1, 1}},
        {"lineart_dog", "Line art (difference of Gaussians)", {"Gaussian Sigma", 1, 16, 6, 0.5},
         {"Threshold Offset", 0, 32, 2, 1}},
        {"softedge_sobel", "Soft edge (Gaussian + Sobel)", {"Gaussian Sigma", 0.3, 8, 1.5, 0.1}, {}},
        {"tile_resample", "Tile / blur (down-sample)", {"Down Sampling Rate", 1, 8, 1, 0.01}, {}},
        {"shuffle", "Content shuffle", {}, {}},
        {"invert", "Invert (white background, black lines)", {}, {}, false, true},
        {"depth_midas", "Depth (MiDaS/DPT ONNX)", {}, {}, true},
        {"normal_bae", "Normal map (NormalBAE ONNX)", {}, {}, true},
        {"openpose", "OpenPose body (ONNX, one person)", {}, {}, true},
        {"seg_ofade20k", "Segmentation ADE20K (ONNX)", {}, {}, true},
    };
    return list;
}

const PreprocessorInfo* findPreprocessor(const std::string& name)
{
    static const std::vector<std::pair<std::string, std::string>> aliases = {
        {"", "none"}, {"None", "none"}, {"scribble", "scribble_threshold"}, {"sketch", "scribble_threshold"},
        {"lineart", "lineart_dog"}, {"lineart_standard", "lineart_dog"}, {"softedge", "softedge_sobel"},
        {"tile", "tile_resample"}, {"blur", "tile_resample"}, {"color_shuffle", "shuffle"},
        {"invert (from white bg & black line)", "invert"}, {"depth", "depth_midas"}, {"normal", "normal_bae"},
        {"pose", "openpose"}, {"segmentation", "seg_ofade20k"}, {"seg_ufade20k", "seg_ofade20k"},
    };
    std::string key = name;
    for (const auto& [alias, target] : aliases)
        if (alias == name)
            key = target;
    for (const auto& info : preprocessorList())
        if (info.name == key)
            return &info;
    return nullptr;
}

api::Image runPreprocessor(const std::string& name, const api::Image& image, const PreprocessOptions& o)
{
    const PreprocessorInfo* info = findPreprocessor(name);
    if (!info) {
        std::string names;
        for (const auto& p : preprocessorList())
            names += (names.empty() ? "" : ", ") + p.name;
        throw api::Error(api::ErrorCode::InvalidRequest,
                         "unknown ControlNet preprocessor '" + name + "'; use one of: " + names);
    }
    const api::Image rgb = rgbOf(image);
    if (info->name == "none")
        return rgb;
    const api::Image in = info->usesResolution ? resizeShortSide(rgb, o.resolution) : rgb;
    const double a = orDefault(o.thresholdA, info->a.defaultValue);
    const double b = orDefault(o.thresholdB, info->b.defaultValue);
    if (info->name == "canny")
        return canny(in, static_cast<int>(a), static_cast<int>(b));
    if (info->name == "scribble_threshold")
        return scribble(in, static_cast<int>(a), b >= 0.5);
    if (info->name == "lineart_dog")
        return lineartDog(in, a, b);
    if (info->name == "softedge_sobel")
        return softEdgeSobel(in, a);
    if (info->name == "tile_resample")
        return tileResample(in, a);
    if (info->name == "shuffle")
        return colorShuffle(in, o.seed);
    if (info->name == "invert")
        return invert(in);
    return runNeuralPreprocessor(info->name, in, o.onnxSearchDirs);
}

} // namespace easel::controlnet
