#pragma once
/// Loading ControlNet models for generation: lllyasviel v1/v1.1 files (`control_model.*` or bare
/// keys; .safetensors, or .pth/.ckpt through the restricted unpickler), diffusers ControlNetModel
/// folders and diffusers-named single files. Models are cached by path on the engine thread, checked
/// against the checkpoint (family and UNet shape). Engine thread only.

#include <map>
#include <memory>
#include <string>
#include <vector>

#include <torch/torch.h>

#include "engine/io/model_detect.h"
#include "engine/models/controlnet.h"

namespace easel::controlnet {

struct LoadedControlNet {
    std::string path;
    std::string name;                 ///< file stem / folder name (infotext "Model")
    std::string hash;                 ///< the extension's "[hash]": A1111 legacy model hash (AutoV1, 8 hex)
    io::DetectedModel detected;
    std::shared_ptr<models::ControlNet> net;
    torch::Device device = torch::kCPU;
    torch::ScalarType dtype = torch::kFloat32;

    /// "name [hash]" as the extension writes it ("name" when no hash could be computed).
    std::string label() const { return hash.empty() ? name : name + " [" + hash + "]"; }
};

/// Loads and validates one model. Throws api::Error: FileNotFound, CorruptFile (damaged or not a
/// ControlNet: the message says what the file is), UnsupportedFormat (Control-LoRA, difference
/// ControlNets, unknown layouts). With `checkpoint` (the detection of the checkpoint it runs with, at
/// `checkpointPath`), the network is built from pairedWith(its own detection, *checkpoint), as
/// generation builds it.
std::shared_ptr<LoadedControlNet> loadControlNet(const std::string& path, const torch::Device& device,
                                                 torch::ScalarType dtype, const io::DetectedModel* checkpoint = nullptr,
                                                 const std::string& checkpointPath = {});

/// Throws api::Error(IncompatibleModel) naming both models when the ControlNet was made for another
/// family than the checkpoint, or its trunk does not match the checkpoint's UNet (context width,
/// channel widths, levels).
void checkCompatible(const LoadedControlNet& controlNet, const io::DetectedModel& checkpoint,
                     const std::string& checkpointPath);

/// The ControlNet's config completed from the checkpoint it is paired with: what a ControlNet's
/// weights cannot tell — the attention head count / head size of its trunk — comes from the
/// checkpoint's UNet (its sidecar, else its detection), unless the ControlNet's own sidecar
/// (`name.yaml`, diffusers config.json) stated it. Only for a trunk of the checkpoint's shape
/// (other ControlNets are returned unchanged; checkCompatible refuses them).
io::DetectedModel pairedWith(const io::DetectedModel& controlNet, const io::DetectedModel& checkpoint,
                             const std::string& checkpointPath = {});

/// Folders searched for a ControlNet given by name: `$EASEL_CONTROLNET_DIRS` (':'-separated), then
/// `ControlNet/` beside the checkpoint and beside its folder (A1111's models/ControlNet next to
/// models/Stable-diffusion).
std::vector<std::string> controlNetSearchFolders(const std::string& checkpointPath);

/// A path as given when it exists; else `name` (+ .safetensors/.pth/.ckpt/.bin, or a folder) in the
/// search folders. Throws api::Error(FileNotFound) listing where it looked.
std::string resolveControlNetPath(const std::string& nameOrPath, const std::string& checkpointPath);

/// Cache by (path, device, dtype, the paired checkpoint's head config). `retainOnly` drops the entries
/// a request no longer uses, so switching ControlNets does not keep every model in memory.
class ControlNetCache {
public:
    std::shared_ptr<LoadedControlNet> get(const std::string& path, const torch::Device& device, torch::ScalarType dtype,
                                          const io::DetectedModel* checkpoint = nullptr,
                                          const std::string& checkpointPath = {});
    void retainOnly(const std::vector<std::shared_ptr<LoadedControlNet>>& used);
    void clear() { m_models.clear(); }
    size_t size() const { return m_models.size(); }

private:
    std::map<std::string, std::shared_ptr<LoadedControlNet>> m_models;
};

} // namespace easel::controlnet
