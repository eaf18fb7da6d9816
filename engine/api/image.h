#pragma once
/// Image: 8-bit interleaved pixels as a plain value (RGB or RGBA or gray), what the engine hands to the
/// UI and the writers. Any thread.

#include <cstdint>
#include <vector>

namespace easel::api {

struct Image {
    int width = 0;
    int height = 0;
    int channels = 3;                  ///< 1 gray, 3 RGB, 4 RGBA
    std::vector<std::uint8_t> pixels;  ///< row-major, width * channels bytes per row, no padding

    bool empty() const { return width <= 0 || height <= 0 || pixels.empty(); }
    std::size_t byteSize() const { return static_cast<std::size_t>(width) * height * channels; }
};

} // namespace easel::api
