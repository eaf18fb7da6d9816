#pragma once
// A1111's "SD upscale" img2img script (scripts/sd_upscale.py): the init image is enlarged with a
// pixel upscaler, cut into overlapping tiles of the request's size, each tile is re-drawn by
// img2img with the same seed, and the tiles are blended back along linear ramps over the overlap.

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "app/server/a1111_request.h"
#include "engine/api/image.h"

namespace httplib {
struct Response;
}

namespace easel::server {

struct ServerContext;

/// Tile grid of A1111 images.split_grid: tiles of tileW×tileH stepping so that neighbours share
/// at least `overlap` pixels and the last tile ends at the edge.
struct TileGrid {
    int width = 0, height = 0, tileW = 0, tileH = 0, overlap = 0;
    std::vector<int> xs, ys; ///< tile origins, one per column / row
};
TileGrid splitGrid(int width, int height, int tileW, int tileH, int overlap);
api::Image cropTile(const api::Image& image, int x, int y, int w, int h);
/// A1111 images.combine_grid: tiles (row-major) pasted back, each blended over its left and top
/// neighbours with a linear ramp across the overlap.
api::Image combineGrid(const TileGrid& grid, const std::vector<api::Image>& tiles);

/// The upscalers SD upscale can use here ("None", "Lanczos", "Nearest").
std::vector<std::string> sdUpscaleUpscalers();

void runSdUpscale(ServerContext& ctx, const nlohmann::json& body, A1111Job job, const std::string& owner,
                  httplib::Response& res);

} // namespace easel::server
