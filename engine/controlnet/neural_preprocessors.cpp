#include "engine/controlnet/neural_preprocessors.h"

#include <algorithm>
#include <array>
#include <filesystem>

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>
#if EASEL_WITH_OPENCV_DNN
#include <opencv2/dnn.hpp>
#endif

#include "engine/api/error.h"
#include "engine/image/cv_image.h"

namespace easel::controlnet {

namespace {

/// File names tried for each module, after `<module>.onnx`.
std::vector<std::string> knownFileNames(const std::string& module)
{
    if (module == "depth_midas")
        return {"midas_v21_small_256.onnx", "dpt_hybrid_384.onnx", "dpt_large_384.onnx", "depth.onnx"};
    if (module == "normal_bae")
        return {"normal_bae.onnx", "normal.onnx"};
    if (module == "openpose")
        return {"body_pose_model.onnx", "openpose.onnx"};
    if (module == "seg_ofade20k")
        return {"segformer_b0_ade20k_512.onnx", "upernet_ade20k.onnx", "seg_ade20k.onnx"};
    return {};
}

std::string searchDescription(const std::string& module, const std::vector<std::string>& dirs)
{
    std::string files = module + ".onnx";
    for (const auto& f : knownFileNames(module))
        files += ", " + f;
    std::string where;
    for (const auto& d : dirs)
        where += (where.empty() ? "" : ", ") + d;
    return files + " in " + (where.empty() ? std::string("(no folder configured: set EASEL_ANNOTATORS)") : where);
}

} // namespace

bool neuralPreprocessorsAvailable()
{
#if EASEL_WITH_OPENCV_DNN
    return true;
#else
    return false;
#endif
}

std::string findOnnxModel(const std::string& module, const std::vector<std::string>& searchDirs)
{
    std::vector<std::string> names = {module + ".onnx"};
    for (const auto& n : knownFileNames(module))
        names.push_back(n);
    std::error_code ec;
    for (const auto& dir : searchDirs)
        for (const auto& name : names) {
            const std::filesystem::path p = std::filesystem::path(dir) / name;
            if (std::filesystem::is_regular_file(p, ec))
                return p.string();
        }
    return {};
}

#if EASEL_WITH_OPENCV_DNN

namespace {

/// NCHW float blob of an RGB image resized to w×h: (pixel/255 − mean) / std per channel.
cv::Mat normalisedBlob(const api::Image& rgb, int w, int h, const std::array<double, 3>& mean,
                       const std::array<double, 3>& stdev)
{
    cv::Mat resized, f;
    cv::resize(image::cvView(rgb), resized, cv::Size(w, h), 0, 0, cv::INTER_CUBIC);
    resized.convertTo(f, CV_32FC3, 1.0 / 255.0);
    std::vector<cv::Mat> planes;
    cv::split(f, planes);
    for (int c = 0; c < 3; ++c)
        planes[c] = (planes[c] - mean[c]) / stdev[c];
    cv::merge(planes, f);
    return cv::dnn::blobFromImage(f); // HWC -> NCHW, no further scaling or swapping
}

cv::Mat forward(const std::string& path, const cv::Mat& blob)
{
    try {
        cv::dnn::Net net = cv::dnn::readNetFromONNX(path);
        net.setInput(blob);
        return net.forward().clone();
    } catch (const cv::Exception& e) {
        throw api::Error(api::ErrorCode::CorruptFile,
                         std::string("OpenCV DNN could not run this ONNX model (") + e.what()
                             + "); export it with a static input size and opset <= 17",
                         path);
    }
}

/// Channel c of an NCHW blob as an H×W float matrix (shares memory).
cv::Mat plane(const cv::Mat& blob, int c)
{
    const int h = blob.size[blob.dims - 2], w = blob.size[blob.dims - 1];
    return cv::Mat(h, w, CV_32F, const_cast<float*>(blob.ptr<float>()) + static_cast<size_t>(c) * h * w);
}

int channelsOf(const cv::Mat& blob) { return blob.dims == 4 ? blob.size[1] : 1; }

api::Image depth(const std::string& path, const api::Image& rgb)
{
    const std::string file = std::filesystem::path(path).filename().string();
    const bool dpt = file.find("dpt") != std::string::npos || file.find("384") != std::string::npos;
    const int size = dpt ? 384 : 256;
    const cv::Mat out = dpt ? forward(path, normalisedBlob(rgb, size, size, {0.5, 0.5, 0.5}, {0.5, 0.5, 0.5}))
                            : forward(path, normalisedBlob(rgb, size, size, {0.485, 0.456, 0.406}, {0.229, 0.224, 0.225}));
    if (out.dims < 3)
        throw api::Error(api::ErrorCode::CorruptFile, "depth model output is not an image map", path);
    cv::Mat map = plane(out, 0).clone();
    double lo = 0, hi = 0;
    cv::minMaxLoc(map, &lo, &hi);
    map = (map - lo) / std::max(1e-6, hi - lo);
    cv::Mat gray, resized, rgbOut;
    map.convertTo(gray, CV_8U, 255.0);
    cv::resize(gray, resized, cv::Size(rgb.width, rgb.height), 0, 0, cv::INTER_CUBIC);
    cv::cvtColor(resized, rgbOut, cv::COLOR_GRAY2RGB);
    return image::imageFromMat(rgbOut);
}

api::Image normals(const std::string& path, const api::Image& rgb)
{
    const cv::Mat out = forward(path, normalisedBlob(rgb, 384, 384, {0.485, 0.456, 0.406}, {0.229, 0.224, 0.225}));
    if (out.dims != 4 || channelsOf(out) < 3)
        throw api::Error(api::ErrorCode::CorruptFile, "normal model output must be [1,3,H,W] normals", path);
    std::vector<cv::Mat> channels;
    for (int c = 0; c < 3; ++c) {
        cv::Mat u8;
        cv::Mat scaled = (plane(out, c) + 1.0) * 0.5;
        scaled.convertTo(u8, CV_8U, 255.0);
        channels.push_back(u8);
    }
    cv::Mat merged, resized;
    cv::merge(channels, merged);
    cv::resize(merged, resized, cv::Size(rgb.width, rgb.height), 0, 0, cv::INTER_CUBIC);
    return image::imageFromMat(resized);
}

api::Image pose(const std::string& path, const api::Image& rgb)
{
    // Ref (conventions): CMU OpenPose COCO body model as used by the ControlNet annotator: BGR input,
    // /256 − 0.5, 368 box, stride 8; 18 keypoints + background heatmaps first in the output.
    const double k = 368.0 / std::min(rgb.width, rgb.height);
    const int w = std::max(8, static_cast<int>(rgb.width * k) / 8 * 8);
    const int h = std::max(8, static_cast<int>(rgb.height * k) / 8 * 8);
    cv::Mat bgr, resized;
    cv::cvtColor(image::cvView(rgb), bgr, cv::COLOR_RGB2BGR);
    cv::resize(bgr, resized, cv::Size(w, h), 0, 0, cv::INTER_CUBIC);
    const cv::Mat blob = cv::dnn::blobFromImage(resized, 1.0 / 256.0, cv::Size(), cv::Scalar(128, 128, 128), false);
    const cv::Mat out = forward(path, blob);
    if (out.dims != 4 || channelsOf(out) < 18)
        throw api::Error(api::ErrorCode::CorruptFile, "pose model output must hold 18+ keypoint heatmaps", path);
    std::array<cv::Point2f, 18> points;
    std::array<bool, 18> found{};
    for (int part = 0; part < 18; ++part) {
        cv::Mat heat;
        cv::resize(plane(out, part), heat, cv::Size(rgb.width, rgb.height), 0, 0, cv::INTER_CUBIC);
        cv::GaussianBlur(heat, heat, cv::Size(0, 0), 3.0);
        double peak = 0;
        cv::Point where;
        cv::minMaxLoc(heat, nullptr, &peak, nullptr, &where);
        found[part] = peak > 0.1;
        points[part] = cv::Point2f(static_cast<float>(where.x), static_cast<float>(where.y));
    }
    // OpenPose COCO limb list (1-based in the original) and its colour wheel.
    static const int limbs[17][2] = {{2, 3},  {2, 6},  {3, 4},  {4, 5},   {6, 7},   {7, 8},   {2, 9},  {9, 10}, {10, 11},
                                     {2, 12}, {12, 13}, {13, 14}, {2, 1}, {1, 15}, {15, 17}, {1, 16}, {16, 18}};
    static const unsigned char colors[18][3] = {
        {255, 0, 0},   {255, 85, 0},  {255, 170, 0}, {255, 255, 0}, {170, 255, 0}, {85, 255, 0},
        {0, 255, 0},   {0, 255, 85},  {0, 255, 170}, {0, 255, 255}, {0, 170, 255}, {0, 85, 255},
        {0, 0, 255},   {85, 0, 255},  {170, 0, 255}, {255, 0, 255}, {255, 0, 170}, {255, 0, 85}};
    cv::Mat canvas = cv::Mat::zeros(rgb.height, rgb.width, CV_8UC3);
    const int stick = std::max(2, std::min(rgb.width, rgb.height) / 128);
    for (int i = 0; i < 17; ++i) {
        const int a = limbs[i][0] - 1, b = limbs[i][1] - 1;
        if (!found[a] || !found[b])
            continue;
        const cv::Point2f mid = (points[a] + points[b]) * 0.5f;
        const cv::Point2f d = points[a] - points[b];
        const double length = std::sqrt(d.x * d.x + d.y * d.y);
        const double angle = std::atan2(d.y, d.x) * 180.0 / CV_PI;
        std::vector<cv::Point> polygon;
        cv::ellipse2Poly(cv::Point(cvRound(mid.x), cvRound(mid.y)), cv::Size(cvRound(length / 2), stick),
                         cvRound(angle), 0, 360, 1, polygon);
        const cv::Scalar c(colors[i][0] * 0.6, colors[i][1] * 0.6, colors[i][2] * 0.6);
        cv::fillConvexPoly(canvas, polygon, c);
    }
    for (int part = 0; part < 18; ++part)
        if (found[part])
            cv::circle(canvas, points[part], stick * 2, cv::Scalar(colors[part][0], colors[part][1], colors[part][2]),
                       -1);
    return image::imageFromMat(canvas);
}

} // namespace

api::Image runNeuralPreprocessor(const std::string& module, const api::Image& rgb,
                                 const std::vector<std::string>& searchDirs)
{
    if (module == "seg_ofade20k")
        throw api::Error(api::ErrorCode::UnsupportedFormat,
                         "segmentation preprocessing needs the ADE20K class palette, which this Easel version does "
                         "not bundle yet; preprocess the picture elsewhere and use preprocessor 'none'");
    const std::string path = findOnnxModel(module, searchDirs);
    if (path.empty())
        throw api::Error(api::ErrorCode::FileNotFound,
                         "preprocessor '" + module + "' needs an ONNX model file; put one of "
                             + searchDescription(module, searchDirs));
    if (rgb.channels != 3 || rgb.empty())
        throw api::Error(api::ErrorCode::InvalidRequest, "the control image must be RGB");
    if (module == "depth_midas")
        return depth(path, rgb);
    if (module == "normal_bae")
        return normals(path, rgb);
    if (module == "openpose")
        return pose(path, rgb);
    throw api::Error(api::ErrorCode::InvalidRequest, "unknown neural preprocessor '" + module + "'");
}

#else

api::Image runNeuralPreprocessor(const std::string& module, const api::Image&, const std::vector<std::string>&)
{
    throw api::Error(api::ErrorCode::UnsupportedFormat,
                     "preprocessor '" + module
                         + "' needs an ONNX model file and OpenCV DNN, which this build lacks (rebuild with the "
                           "OpenCV dnn module, e.g. libopencv-dev), or preprocess elsewhere and use 'none'");
}

#endif

} // namespace easel::controlnet
