#pragma once
// api::Image <-> cv::Mat at the OpenCV boundary of the engine (image/ and controlnet/). Internal:
// includes OpenCV. Any thread.

#include <opencv2/core.hpp>

#include "engine/api/image.h"

namespace easel::image {

/// A cv::Mat over the image's pixels (no copy; gray, RGB or RGBA by channel count).
inline cv::Mat cvView(const api::Image& image)
{
    const int type = image.channels == 1 ? CV_8UC1 : image.channels == 3 ? CV_8UC3 : CV_8UC4;
    return cv::Mat(image.height, image.width, type, const_cast<unsigned char*>(image.pixels.data()));
}

/// Copies an 8-bit cv::Mat (1, 3 or 4 channels) into an api::Image.
inline api::Image imageFromMat(const cv::Mat& mat)
{
    const cv::Mat m = mat.isContinuous() ? mat : mat.clone();
    api::Image out;
    out.width = m.cols;
    out.height = m.rows;
    out.channels = m.channels();
    out.pixels.assign(m.data, m.data + out.byteSize());
    return out;
}

} // namespace easel::image
