#include "engine/pipeline/checkpoint.h"

#include <filesystem>

#include "engine/api/error.h"
#include "engine/api/logging.h"
#include "engine/io/diffusers_loader.h"
#include "engine/io/model_check.h"
#include "engine/io/state_dict.h"
#include "engine/models/layers.h"
#include "engine/models/weight_loading.h"
#include "engine/text/text_encoder.h"

namespace easel::pipeline {

using api::Error;
using api::ErrorCode;

namespace {

std::vector<std::string> textPrefixes(io::ModelFamily family)
{
    switch (family) {
    case io::ModelFamily::SD1: return {text::kSD1TextPrefix};
    case io::ModelFamily::SD2: return {text::kSD2TextPrefix};
    case io::ModelFamily::SDXL: return {text::kSDXLClipLPrefix, text::kSDXLClipGPrefix};
    default: return {};
    }
}

text::TensorMap withPrefix(const io::StateDict& all, const std::string& prefix)
{
    text::TensorMap out;
    for (auto it = all.lower_bound(prefix); it != all.end() && it->first.compare(0, prefix.size(), prefix) == 0; ++it)
        out.emplace(it->first.substr(prefix.size()), it->second);
    return out;
}

std::string stemOf(const std::string& path)
{
    std::filesystem::path p(path);
    if (std::filesystem::is_directory(p))
        return p.filename().empty() ? p.parent_path().filename().string() : p.filename().string();
    return p.stem().string();
}

} // namespace

std::shared_ptr<Checkpoint> loadCheckpoint(const std::string& path, const CheckpointLoadOptions& options)
{
    namespace fs = std::filesystem;
    std::error_code ec;
    if (!fs::exists(path, ec))
        throw Error(ErrorCode::FileNotFound, "checkpoint not found; check the path or rescan the model folders", path);

    auto ckpt = std::make_shared<Checkpoint>();
    ckpt->path = path;
    ckpt->name = stemOf(path);
    ckpt->vaePath = options.vaePath;
    ckpt->device = options.device;
    ckpt->dtype = options.dtype.value_or(options.device.is_cuda() ? torch::kFloat16 : torch::kFloat32);
    ckpt->detected = io::detectModelFile(path);
    const io::DetectedModel& d = ckpt->detected;

    io::requireModel(d, path); // no tensors, or none of a known layout: say so, not "a unknown file"
    if (d.kind == io::ModelKind::Unsupported)
        throw Error(ErrorCode::UnsupportedFormat,
                    "recognised but not supported yet: " + d.unsupportedFamily, path);
    if (d.kind != io::ModelKind::Checkpoint || !d.hasUNet)
        throw Error(ErrorCode::UnsupportedFormat,
                    std::string("this is a ") + io::modelKindName(d.kind)
                        + " file, not a checkpoint; pick it in its own panel (LoRA, VAE, ControlNet, embeddings)",
                    path);
    if (d.family != io::ModelFamily::SD1 && d.family != io::ModelFamily::SD2 && d.family != io::ModelFamily::SDXL)
        throw Error(ErrorCode::UnsupportedFormat,
                    std::string("checkpoint family ") + io::modelFamilyName(d.family) + " is not supported yet", path);

    const io::StateDict weights = fs::is_directory(path) ? io::loadDiffusersFolder(path) : io::loadStateDict(path);
    // Low memory: the big networks keep half-precision storage; Checkpoint::dtype stays the compute
    // dtype every caller feeds activations in.
    const bool halfStorage = options.lowMemory && ckpt->dtype == torch::kFloat32;
    const models::WeightPlacement placement{ckpt->device, halfStorage ? torch::kFloat16 : ckpt->dtype};
    models::WeightPlacement vaePlacement = placement;
    vaePlacement.convChannelsLast = false; // the VAE runs NCHW (vae.cpp)

    ckpt->unet = std::make_shared<models::UNet>(d.unet);
    models::loadWeights(*ckpt->unet, weights, "model.diffusion_model.", placement, path, "UNet");
    ckpt->unet->eval();

    if (!options.vaePath.empty()) {
        const io::DetectedModel vaeInfo = io::detectModelFile(options.vaePath);
        io::requireModel(vaeInfo, options.vaePath);
        if (!vaeInfo.hasVAE)
            throw Error(ErrorCode::UnsupportedFormat, "this file holds no VAE weights", options.vaePath);
        io::VAEConfig config = vaeInfo.vae;
        // A standalone VAE is scaled as the checkpoint's family expects (SDXL 0.13025, else 0.18215)
        // unless its own config said otherwise.
        if (d.hasVAE && vaeInfo.configSource == "weights")
            config.scalingFactor = d.vae.scalingFactor;
        const io::StateDict vaeWeights = io::loadStateDict(options.vaePath);
        const bool prefixed = vaeWeights.count("first_stage_model.decoder.conv_in.weight") > 0;
        ckpt->vae = std::make_shared<models::VAE>(config);
        models::loadWeights(*ckpt->vae, vaeWeights, prefixed ? "first_stage_model." : "", vaePlacement, options.vaePath,
                            "VAE");
    } else {
        if (!d.hasVAE)
            throw Error(ErrorCode::CorruptFile,
                        "this checkpoint has no VAE weights; choose a VAE file in the VAE picker", path);
        ckpt->vae = std::make_shared<models::VAE>(d.vae);
        models::loadWeights(*ckpt->vae, weights, "first_stage_model.", vaePlacement, path, "VAE");
    }
    ckpt->vae->eval();
    models::applyConvWeightLayout(*ckpt->vae, /*channelsLast=*/false); // loaded NCHW already; a no-op kept as a guard
    if (halfStorage) {
        ckpt->unet->setComputeDtype(ckpt->dtype);
        ckpt->vae->setComputeDtype(ckpt->dtype);
    }

    const auto prefixes = textPrefixes(d.family);
    if (prefixes.size() != d.textEncoders.size())
        throw Error(ErrorCode::CorruptFile,
                    "the text encoder weights of this " + std::string(io::modelFamilyName(d.family))
                        + " checkpoint are missing or incomplete",
                    path);
    std::vector<std::shared_ptr<text::TextEncoder>> encoders;
    for (size_t i = 0; i < prefixes.size(); ++i) {
        auto encoder = text::createTextEncoder(d.textEncoders[i]);
        encoder->loadWeights(withPrefix(weights, prefixes[i]), path, ckpt->dtype);
        encoder->to(ckpt->device);
        encoder->eval();
        encoders.push_back(std::move(encoder));
    }
    // A diffusers SD2 text_encoder/ already lacks its last block: the conditioner must know.
    ckpt->conditioner = std::make_shared<text::Conditioner>(
        text::Conditioner::forFamily(d.family, encoders, fs::is_directory(path)));
    api::logInfo("loaded checkpoint " + path + " (" + io::modelFamilyName(d.family) + ")");
    return ckpt;
}

} // namespace easel::pipeline
