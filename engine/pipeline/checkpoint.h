#pragma once
// A checkpoint ready to generate with: UNet, VAE and the family's text conditioner on the device,
// built from a single-file LDM checkpoint or a diffusers folder (engine/io converts the layout).
// Engine thread only.

#include <memory>
#include <string>

#include <torch/torch.h>

#include "engine/io/model_detect.h"
#include "engine/models/unet.h"
#include "engine/models/vae.h"
#include "engine/text/conditioner.h"

namespace easel::pipeline {

struct Checkpoint {
    std::string path;
    std::string name;                  ///< file stem (A1111 "Model")
    std::string vaePath;               ///< empty = the checkpoint's own VAE
    io::DetectedModel detected;
    std::shared_ptr<models::UNet> unet;
    std::shared_ptr<models::VAE> vae;
    std::shared_ptr<text::Conditioner> conditioner;
    torch::Device device = torch::kCPU;
    torch::ScalarType dtype = torch::kFloat32;

    io::ModelFamily family() const { return detected.family; }
    io::Prediction prediction() const { return detected.unet.prediction; }
};

struct CheckpointLoadOptions {
    std::string vaePath;               ///< standalone VAE replacing the checkpoint's
    torch::Device device = torch::kCPU;
    std::optional<torch::ScalarType> dtype; ///< default: fp16 on CUDA, fp32 on CPU
    /// UNet/VAE weights stored in fp16 when the compute dtype is fp32 (api::GenerationRequest::lowMemory).
    bool lowMemory = false;
};

/// Loads and validates. Throws api::Error: FileNotFound, CorruptFile, UnsupportedFormat (a file that
/// is not a checkpoint, or a family Easel cannot run yet — the message names what the file is),
/// OutOfMemory.
std::shared_ptr<Checkpoint> loadCheckpoint(const std::string& path, const CheckpointLoadOptions& options = {});

} // namespace easel::pipeline
