#include "engine/pipeline/generation_inputs.h"

#include <filesystem>
#include <map>
#include <mutex>

#include "engine/api/error.h"
#include "engine/image/image_file.h"
#include "engine/io/hashes.h"
#include "engine/pipeline/latent_image.h"

namespace easel::pipeline {

using api::Error;
using api::ErrorCode;

namespace {

// A1111 doubles the blurred mask for the overlay so the original shows only where the mask is
// clearly off (np.clip(mask * 2, 0, 255)).
api::Image doubled(const api::Image& mask)
{
    api::Image out = mask;
    for (auto& p : out.pixels)
        p = static_cast<unsigned char>(std::min(255, p * 2));
    return out;
}

torch::Tensor latentMaskOf(const api::Image& mask, int width, int height)
{
    // A1111: mask resized to latent size (bilinear), /255, np.around.
    const api::Image small = image::resize(mask, width / 8, height / 8);
    return torch::round(maskToTensor(small));
}

} // namespace

PreparedInputs prepareInputs(const api::GenerationRequest& r, std::vector<std::string>& warnings)
{
    PreparedInputs in;
    // In-memory pixels (canvas, API uploads) win over paths: no temp files on the way.
    const api::Image init = image::toRgb(r.initPixels.empty() ? image::readImageFile(r.initImage) : r.initPixels);
    if (!r.inpaint || (r.inpaint->mask.empty() && r.inpaint->maskPixels.empty())) {
        in.processImage = image::resizeWithMode(init, r.width, r.height, r.resizeMode);
        return in;
    }
    const api::InpaintOptions& o = *r.inpaint;
    in.inpaint = true;
    api::Image mask = image::toMask(o.maskPixels.empty() ? image::readImageFile(o.mask, true) : o.maskPixels, false);
    if (mask.width != init.width || mask.height != init.height) {
        warnings.push_back("mask is " + std::to_string(mask.width) + "x" + std::to_string(mask.height)
                           + " but the image is " + std::to_string(init.width) + "x" + std::to_string(init.height)
                           + "; the mask was resized to fit");
        mask = image::resize(mask, init.width, init.height);
    }
    if (o.maskMode == api::MaskMode::InpaintNotMasked)
        mask = image::invertMask(mask);
    mask = image::blurMask(mask, o.maskBlur);

    api::Image processMask;
    if (o.area == api::InpaintArea::OnlyMasked) {
        image::Rect region = image::maskCropRegion(mask, o.onlyMaskedPadding);
        if (region.width() > 0 && region.height() > 0) {
            region = image::expandToAspect(region, r.width, r.height, mask.width, mask.height);
            in.onlyMasked = true;
            in.pasteRect = region;
            in.overlayBase = init;
            in.overlayMask = mask;
            processMask = image::resizeWithMode(image::crop(mask, region), r.width, r.height,
                                                api::ResizeMode::ResizeAndFill);
            in.processImage = image::resizeWithMode(image::crop(init, region), r.width, r.height,
                                                    api::ResizeMode::ResizeAndFill);
        } else {
            warnings.push_back("the mask is empty, so \"only masked\" fell back to the whole picture");
        }
    }
    if (!in.onlyMasked) {
        processMask = image::resizeWithMode(mask, r.width, r.height, r.resizeMode);
        in.processImage = image::resizeWithMode(init, r.width, r.height, r.resizeMode);
        in.overlayBase = in.processImage;
        in.overlayMask = doubled(processMask);
        in.pasteRect = {0, 0, r.width, r.height};
    }
    if (o.maskedContent == api::MaskedContent::Fill)
        in.processImage = image::fillMasked(in.processImage, processMask);
    in.pixelMask = maskToTensor(processMask);
    in.latentMask = latentMaskOf(processMask, r.width, r.height);
    return in;
}

api::Image finishInpaint(const PreparedInputs& in, const api::Image& generated)
{
    if (!in.inpaint)
        return generated;
    const api::Image patch = in.onlyMasked ? image::resize(generated, in.pasteRect.width(), in.pasteRect.height())
                                           : generated;
    // compositeWithMask takes the patch where the mask is 255: the generated pixels inside the mask,
    // the original outside it, blended along the blurred edge.
    return image::compositeWithMask(in.overlayBase, patch, in.pasteRect, in.overlayMask);
}

std::string modelHash(const std::string& path)
{
    namespace fs = std::filesystem;
    static std::mutex mutex;
    static std::map<std::string, std::pair<std::string, std::string>> cache; // path -> (stamp, hash)
    std::error_code ec;
    if (!fs::is_regular_file(path, ec))
        return {};
    const std::string stamp = std::to_string(fs::file_size(path, ec)) + ":"
                              + std::to_string(fs::last_write_time(path, ec).time_since_epoch().count());
    {
        std::lock_guard lock(mutex);
        auto it = cache.find(path);
        if (it != cache.end() && it->second.first == stamp)
            return it->second.second;
    }
    std::string hash;
    try {
        hash = io::autoV2(io::sha256File(path));
    } catch (const std::exception&) {
        return {};
    }
    std::lock_guard lock(mutex);
    cache[path] = {stamp, hash};
    return hash;
}

} // namespace easel::pipeline
