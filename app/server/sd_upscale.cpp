#include "app/server/sd_upscale.h"

#include <algorithm>
#include <cmath>

#include <httplib.h>

#include "app/server/a1111_generate.h"
#include "app/server/http_util.h"
#include "app/server/server_context.h"
#include "app/server/validation.h"
#include "engine/api/error.h"
#include "engine/image/ops.h"

namespace easel::server {

using nlohmann::json;

TileGrid splitGrid(int width, int height, int tileW, int tileH, int overlap)
{
    TileGrid g{width, height, tileW, tileH, overlap, {}, {}};
    auto origins = [overlap](int size, int tile) {
        const int step = std::max(1, tile - overlap);
        const int count = std::max(1, int(std::ceil(double(size - overlap) / step)));
        const double d = count > 1 ? double(size - tile) / (count - 1) : 0;
        std::vector<int> out;
        for (int i = 0; i < count; ++i) {
            int at = int(i * d);
            if (at + tile >= size)
                at = std::max(0, size - tile);
            out.push_back(at);
        }
        return out;
    };
    g.xs = origins(width, tileW);
    g.ys = origins(height, tileH);
    return g;
}

api::Image cropTile(const api::Image& image, int x, int y, int w, int h)
{
    api::Image out;
    out.width = w;
    out.height = h;
    out.channels = image.channels;
    out.pixels.assign(size_t(w) * h * image.channels, 0);
    for (int row = 0; row < h && y + row < image.height; ++row) {
        const int cols = std::min(w, image.width - x);
        std::copy_n(&image.pixels[(size_t(y + row) * image.width + x) * image.channels], size_t(cols) * image.channels,
                    &out.pixels[size_t(row) * w * image.channels]);
    }
    return out;
}

namespace {

/// Pastes `src` at (x, y) of `dst`; over the first `rampX` columns / `rampY` rows the tile's
/// weight rises linearly from 0, as A1111's gradient masks do.
void blendPaste(api::Image& dst, const api::Image& src, int x, int y, int rampX, int rampY)
{
    const int c = dst.channels;
    for (int row = 0; row < src.height && y + row < dst.height; ++row)
        for (int col = 0; col < src.width && x + col < dst.width; ++col) {
            double a = 1.0;
            if (col < rampX)
                a = std::min(a, double(col) / rampX);
            if (row < rampY)
                a = std::min(a, double(row) / rampY);
            unsigned char* d = &dst.pixels[(size_t(y + row) * dst.width + x + col) * c];
            const unsigned char* s = &src.pixels[(size_t(row) * src.width + col) * c];
            for (int k = 0; k < c; ++k)
                d[k] = static_cast<unsigned char>(std::lround(d[k] * (1 - a) + s[k] * a));
        }
}

} // namespace

api::Image combineGrid(const TileGrid& g, const std::vector<api::Image>& tiles)
{
    api::Image out;
    out.width = g.width;
    out.height = g.height;
    out.channels = tiles.empty() ? 3 : tiles.front().channels;
    out.pixels.assign(size_t(out.width) * out.height * out.channels, 0);
    size_t i = 0;
    for (size_t r = 0; r < g.ys.size(); ++r)
        for (size_t c = 0; c < g.xs.size(); ++c, ++i) {
            const int rampX = c == 0 ? 0 : std::min(g.overlap, g.xs[c - 1] + g.tileW - g.xs[c]);
            const int rampY = r == 0 ? 0 : std::min(g.overlap, g.ys[r - 1] + g.tileH - g.ys[r]);
            blendPaste(out, tiles[i], g.xs[c], g.ys[r], std::max(0, rampX), std::max(0, rampY));
        }
    return out;
}

std::vector<std::string> sdUpscaleUpscalers() { return {"None", "Lanczos", "Nearest"}; }

namespace {

api::Image upscale(const api::Image& image, const std::string& upscaler, double scale)
{
    const int w = int(std::lround(image.width * scale)), h = int(std::lround(image.height * scale));
    if (upscaler == "Nearest") {
        api::Image out;
        out.width = w;
        out.height = h;
        out.channels = image.channels;
        out.pixels.resize(size_t(w) * h * image.channels);
        for (int y = 0; y < h; ++y)
            for (int x = 0; x < w; ++x)
                std::copy_n(&image.pixels[(size_t(std::min(image.height - 1, int(y / scale))) * image.width
                                           + std::min(image.width - 1, int(x / scale))) * image.channels],
                            image.channels, &out.pixels[(size_t(y) * w + x) * image.channels]);
        return out;
    }
    return image::resize(image, w, h); // "None" resizes too (A1111's UpscalerNone does)
}

} // namespace

void runSdUpscale(ServerContext& ctx, const json& body, A1111Job job, const std::string& owner, httplib::Response& res)
{
    const SdUpscaleScript s = *job.sdUpscale;
    const auto names = sdUpscaleUpscalers();
    if (std::find(names.begin(), names.end(), s.upscaler) == names.end())
        throw ValidationError({"body", "script_args", "2"}, "unknown upscaler '" + s.upscaler + "'; SD upscale here offers None, Lanczos, Nearest");
    const api::Image source = upscale(job.request.initPixels, s.upscaler, s.scale);
    if (std::int64_t(source.width) * source.height > ctx.options.maxPixels)
        throw ValidationError({"body", "script_args", "3"}, "the upscaled image is over this server's pixel limit");
    const api::GenerationRequest base = job.request;
    const TileGrid grid = splitGrid(source.width, source.height, base.width, base.height, s.overlap);
    const int count = base.batchCount * base.batchSize;
    std::int64_t seed = base.seed;
    service::JobSnapshot combined;
    combined.state = service::JobState::Done;
    for (int n = 0; n < count; ++n) {
        std::vector<api::Image> tiles;
        service::JobSnapshot first;
        for (int ty : grid.ys)
            for (int tx : grid.xs) {
                api::GenerationRequest r = base;
                r.initPixels = cropTile(source, tx, ty, base.width, base.height);
                r.batchCount = r.batchSize = 1;
                r.seed = seed < 0 ? -1 : seed + n;
                A1111Job tileJob = job;
                tileJob.saveImages = false;
                const auto id = ctx.service->submit(r, a1111JobOptions(ctx, tileJob, owner));
                const auto snap = ctx.service->waitFor(id);
                if (!snap || snap->state == service::JobState::Failed)
                    throw api::Error(snap ? snap->errorCode : api::ErrorCode::Internal, snap ? snap->error : "job lost");
                if (snap->images.empty()) { // interrupted
                    combined.state = service::JobState::Cancelled;
                    break;
                }
                if (seed < 0 && tiles.empty())
                    seed = snap->images.front().image.seed - n; // every tile of the image shares the seed
                if (tiles.empty())
                    first = *snap;
                tiles.push_back(snap->images.front().image.image);
            }
        if (combined.state == service::JobState::Cancelled)
            break;
        service::JobImage img = first.images.front();
        img.index = n;
        img.image.image = combineGrid(grid, tiles);
        combined.images.push_back(img);
        combined.warnings = first.warnings;
    }
    job.request.width = source.width;
    job.request.height = source.height;
    job.notes.push_back("SD upscale: " + std::to_string(grid.xs.size() * grid.ys.size()) + " tile(s) of "
                        + std::to_string(base.width) + "x" + std::to_string(base.height) + ", " + s.upscaler + " x"
                        + std::to_string(s.scale));
    if (job.saveImages)
        job.notes.push_back("SD upscale results are returned, not saved on the server");
    sendJson(res, 200, a1111Response(body, job, combined));
}

} // namespace easel::server
