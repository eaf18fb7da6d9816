#include "engine/controlnet/control_model.h"

#include <cstdlib>
#include <filesystem>

#include "engine/api/error.h"
#include "engine/api/logging.h"
#include "engine/io/diffusers_loader.h"
#include "engine/io/env_folders.h"
#include "engine/io/hashes.h"
#include "engine/io/model_check.h"
#include "engine/io/state_dict.h"
#include "engine/models/weight_loading.h"

namespace easel::controlnet {

namespace fs = std::filesystem;
using api::Error;
using api::ErrorCode;

namespace {

/// The weights file of a diffusers ControlNetModel folder (or the path itself for a file).
std::string weightsFile(const std::string& path)
{
    std::error_code ec;
    if (!fs::is_directory(path, ec))
        return path;
    for (const char* n : {"diffusion_pytorch_model.safetensors", "diffusion_pytorch_model.fp16.safetensors",
                          "model.safetensors", "diffusion_pytorch_model.bin"})
        if (fs::is_regular_file(fs::path(path) / n, ec))
            return (fs::path(path) / n).string();
    throw Error(ErrorCode::CorruptFile,
                "this folder has no diffusers ControlNet weights (diffusion_pytorch_model.safetensors)", path);
}

std::string stemOf(const std::string& path)
{
    const fs::path p(path);
    std::error_code ec;
    if (fs::is_directory(p, ec))
        return p.filename().empty() ? p.parent_path().filename().string() : p.filename().string();
    return p.stem().string();
}

std::string describe(const io::UNetConfig& c)
{
    std::string levels;
    for (int m : c.channelMult)
        levels += (levels.empty() ? "" : ",") + std::to_string(m * c.modelChannels);
    return "context " + std::to_string(c.contextDim) + ", widths " + levels;
}

/// The trunk shape checkCompatible requires of a ControlNet and its checkpoint's UNet.
bool sameTrunk(const io::DetectedModel& controlNet, const io::DetectedModel& checkpoint)
{
    const io::UNetConfig& a = controlNet.controlNet.unet;
    const io::UNetConfig& b = checkpoint.unet;
    return controlNet.family == checkpoint.family && a.contextDim == b.contextDim && a.modelChannels == b.modelChannels
           && a.channelMult == b.channelMult && a.admInChannels == b.admInChannels && a.numResBlocks == b.numResBlocks;
}

/// The key part of the values pairedWith takes from a checkpoint.
std::string headKey(const io::DetectedModel* checkpoint)
{
    if (!checkpoint)
        return "unpaired";
    return "heads " + std::to_string(checkpoint->unet.numHeads) + "/" + std::to_string(checkpoint->unet.numHeadChannels);
}

} // namespace

io::DetectedModel pairedWith(const io::DetectedModel& controlNet, const io::DetectedModel& checkpoint,
                             const std::string& checkpointPath)
{
    io::DetectedModel out = controlNet;
    // A sidecar of the ControlNet's own states its heads (configSource names it); without one
    // they are a convention, and the checkpoint the trunk was copied from knows better.
    if (controlNet.kind != io::ModelKind::ControlNet || controlNet.configSource != "weights"
        || !sameTrunk(controlNet, checkpoint))
        return out;
    io::UNetConfig& c = out.controlNet.unet;
    if (c.numHeads == checkpoint.unet.numHeads && c.numHeadChannels == checkpoint.unet.numHeadChannels)
        return out;
    c.numHeads = checkpoint.unet.numHeads;
    c.numHeadChannels = checkpoint.unet.numHeadChannels;
    out.unet = c;
    const std::string from = checkpointPath.empty() ? std::string("the checkpoint")
                                                    : "checkpoint '" + stemOf(checkpointPath) + "'";
    out.notes.push_back("attention heads taken from " + from + " (the ControlNet's weights do not show them)");
    return out;
}

std::shared_ptr<LoadedControlNet> loadControlNet(const std::string& path, const torch::Device& device,
                                                 torch::ScalarType dtype, const io::DetectedModel* checkpoint,
                                                 const std::string& checkpointPath)
{
    std::error_code ec;
    if (!fs::exists(path, ec))
        throw Error(ErrorCode::FileNotFound, "ControlNet model not found; check the path or rescan the model folders",
                    path);
    auto out = std::make_shared<LoadedControlNet>();
    out->path = path;
    out->name = stemOf(path);
    out->device = device;
    out->dtype = dtype;
    out->detected = io::detectModelFile(path);
    io::requireModel(out->detected, path);
    if (checkpoint)
        out->detected = pairedWith(out->detected, *checkpoint, checkpointPath);
    const io::DetectedModel& d = out->detected;
    if (d.kind != io::ModelKind::ControlNet)
        throw Error(ErrorCode::CorruptFile,
                    std::string("this is a ") + io::modelKindName(d.kind)
                        + " file, not a ControlNet (Control-LoRAs and difference ControlNets are not supported yet)",
                    path);
    const std::string file = weightsFile(path);
    io::StateDict weights;
    if (d.layout == io::KeyLayout::Diffusers) {
        weights = io::diffusersToLdm(io::loadStateDict(file), "controlnet");
    } else {
        weights = io::loadStateDict(file, {.prefix = d.keyPrefix});
    }
    out->net = std::make_shared<models::ControlNet>(d.controlNet);
    models::loadWeights(*out->net, weights, "", models::WeightPlacement{device, dtype}, path, "ControlNet");
    out->net->eval();
    try {
        out->hash = io::autoV1(file);
    } catch (const Error&) {
        out->hash.clear(); // a hash never stops a generation
    }
    api::logInfo("loaded ControlNet " + path + " (" + io::modelFamilyName(d.family) + ")");
    return out;
}

void checkCompatible(const LoadedControlNet& cn, const io::DetectedModel& ckpt, const std::string& checkpointPath)
{
    const io::UNetConfig& a = cn.detected.controlNet.unet;
    const io::UNetConfig& b = ckpt.unet;
    if (sameTrunk(cn.detected, ckpt))
        return;
    throw Error(ErrorCode::IncompatibleModel,
                "ControlNet '" + cn.name + "' is for " + io::modelFamilyName(cn.detected.family) + " ("
                    + describe(a) + ") but checkpoint '" + stemOf(checkpointPath) + "' is "
                    + io::modelFamilyName(ckpt.family) + " (" + describe(b)
                    + "); pick a ControlNet made for the checkpoint's family",
                cn.path);
}

std::vector<std::string> controlNetSearchFolders(const std::string& checkpointPath)
{
    std::vector<std::string> out = io::foldersFromEnvironment("EASEL_CONTROLNET_DIRS");
    if (!checkpointPath.empty()) {
        const fs::path folder = fs::path(checkpointPath).parent_path();
        for (const fs::path& base : {folder, folder.parent_path()}) {
            std::error_code ec;
            if (fs::is_directory(base / "ControlNet", ec))
                out.push_back((base / "ControlNet").string());
        }
        out.push_back(folder.string());
    }
    return out;
}

std::string resolveControlNetPath(const std::string& nameOrPath, const std::string& checkpointPath)
{
    if (nameOrPath.empty())
        throw Error(ErrorCode::InvalidRequest, "a ControlNet unit has no model; choose one in the unit's model picker");
    std::error_code ec;
    if (fs::exists(nameOrPath, ec))
        return nameOrPath;
    const auto folders = controlNetSearchFolders(checkpointPath);
    for (const auto& folder : folders) {
        for (const char* ext : {"", ".safetensors", ".pth", ".ckpt", ".bin"}) {
            const fs::path candidate = fs::path(folder) / (nameOrPath + ext);
            if (fs::exists(candidate, ec))
                return candidate.string();
        }
    }
    std::string where;
    for (const auto& f : folders)
        where += (where.empty() ? "" : ", ") + f;
    throw Error(ErrorCode::FileNotFound,
                "ControlNet model '" + nameOrPath + "' not found (looked in " + (where.empty() ? "no folders" : where)
                    + "); give its path or put it in a ControlNet folder",
                nameOrPath);
}

std::shared_ptr<LoadedControlNet> ControlNetCache::get(const std::string& path, const torch::Device& device,
                                                       torch::ScalarType dtype, const io::DetectedModel* checkpoint,
                                                       const std::string& checkpointPath)
{
    const std::string key =
        path + "\n" + device.str() + "\n" + std::to_string(static_cast<int>(dtype)) + "\n" + headKey(checkpoint);
    auto it = m_models.find(key);
    if (it != m_models.end())
        return it->second;
    auto loaded = loadControlNet(path, device, dtype, checkpoint, checkpointPath);
    m_models.emplace(key, loaded);
    return loaded;
}

void ControlNetCache::retainOnly(const std::vector<std::shared_ptr<LoadedControlNet>>& used)
{
    for (auto it = m_models.begin(); it != m_models.end();) {
        bool keep = false;
        for (const auto& u : used)
            keep = keep || u == it->second;
        it = keep ? std::next(it) : m_models.erase(it);
    }
}

} // namespace easel::controlnet
