#pragma once
/// The tensor names and shapes of a real Stable Diffusion 1.5 single-file checkpoint (LDM layout:
/// UNet 320/640/1280/1280, VAE 128/256/512/512, CLIP ViT-L/14 text encoder), generated from the
/// architecture rather than stored. Plain C++. Used by `easel-cli bench io` to write a realistic
/// 2 GB file without downloading one.

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace easel::io {

struct LayoutEntry {
    std::string name;
    std::vector<int64_t> shape;
    bool integer = false; ///< position_ids (int64)
};

/// ~1.07 G parameters, ~1130 tensors, in LDM names.
std::vector<LayoutEntry> sd15Layout();

} // namespace easel::io
