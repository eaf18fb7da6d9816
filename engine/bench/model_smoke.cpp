#include "engine/bench/model_smoke.h"

#include <chrono>
#include <fstream>
#include <sstream>

#include <torch/torch.h>

#include "engine/api/error.h"
#include "engine/io/model_detect.h"
#include "engine/io/state_dict.h"
#include "engine/models/timestep_embedding.h"
#include "engine/models/unet.h"
#include "engine/models/vae.h"
#include "engine/models/weight_loading.h"

namespace easel::models {

namespace {

double secondsSince(std::chrono::steady_clock::time_point start)
{
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

} // namespace

int64_t procStatusKiB(const std::string& field)
{
    std::ifstream in("/proc/self/status");
    std::string line;
    while (std::getline(in, line)) {
        if (line.compare(0, field.size() + 1, field + ":") == 0) {
            std::istringstream value(line.substr(field.size() + 1));
            int64_t kib = 0;
            value >> kib;
            return kib;
        }
    }
    return 0;
}

SmokeReport runModelSmoke(const std::string& path, const SmokeOptions& options)
{
    const io::DetectedModel detected = io::detectModelFile(path);
    if (detected.kind != io::ModelKind::Checkpoint || !detected.hasUNet || !detected.hasVAE)
        throw api::Error(api::ErrorCode::UnsupportedFormat,
                         "not a checkpoint with UNet and VAE (detected: " +
                             std::string(io::modelKindName(detected.kind)) + ")",
                         path);
    SmokeReport report;
    report.family = io::modelFamilyName(detected.family);
    const torch::Device device(options.device);
    const WeightPlacement placement{device, options.fp16 ? torch::kHalf : torch::kFloat32};
    c10::InferenceMode inference;

    auto start = std::chrono::steady_clock::now();
    UNet unet(detected.unet);
    VAE vae(detected.vae);
    {
        // Only the UNet and VAE keys; tensors are views of the file mapping until placed.
        const io::StateDict weights = io::loadStateDict(path);
        loadWeights(unet, weights, "model.diffusion_model.", placement, path, "UNet");
        loadWeights(vae, weights, "first_stage_model.", placement, path, "VAE");
    }
    report.loadSeconds = secondsSince(start);
    report.rssAfterLoadKiB = procStatusKiB("VmHWM");
    report.unetParameters = parameterCount(unet);
    report.vaeParameters = parameterCount(vae);

    torch::manual_seed(0);
    const auto f32 = torch::TensorOptions().dtype(torch::kFloat32);
    const int64_t b = options.batch, s = options.latentSize;
    const torch::Tensor x = torch::randn({b, detected.unet.inChannels, s, s}, f32);
    const torch::Tensor t = torch::full({b}, 500.0, f32);
    const torch::Tensor context = torch::randn({b, 77, detected.unet.contextDim}, f32);
    std::optional<torch::Tensor> y;
    if (detected.unet.admInChannels > 0)
        y = torch::randn({b, detected.unet.admInChannels}, f32);

    start = std::chrono::steady_clock::now();
    const torch::Tensor eps = unet.forward(x, t, context, y).to(torch::kCPU, torch::kFloat32);
    report.unetSeconds = secondsSince(start);
    report.unetOutputStd = eps.std().item<double>();

    start = std::chrono::steady_clock::now();
    const torch::Tensor image =
        vae.decode(torch::randn({1, detected.vae.embedDim, s, s}, f32) / vae.scalingFactor()).to(torch::kCPU,
                                                                                               torch::kFloat32);
    report.vaeSeconds = secondsSince(start);
    report.imageStd = image.std().item<double>();
    report.peakRssKiB = procStatusKiB("VmHWM");
    return report;
}

} // namespace easel::models
