#pragma once
/// Model files -> torch tensors (the torch half of io/). Engine-internal (includes torch). Any thread;
/// the returned tensors are independent of the caller's thread.

#include <map>
#include <optional>
#include <string>

#include <torch/torch.h>

#include "engine/io/safetensors.h"

namespace easel::io {

using StateDict = std::map<std::string, torch::Tensor>;

struct LoadOptions {
    /// Target dtype for floating-point tensors; integer and bool tensors (e.g. CLIP position_ids)
    /// are never converted. nullopt = keep the file's dtype, except fp8 (F8_E4M3/F8_E5M2), which
    /// libtorch 1.13 cannot represent and which is widened exactly to float16.
    std::optional<torch::ScalarType> dtype;
    /// Keep only keys starting with it, prefix stripped ("" = all).
    std::string prefix;
    /// true: tensors whose dtype is kept and whose data is aligned are views of the file mapping
    /// (no copy, pages read on first use; writes copy-on-write, the file never changes).
    /// false: every tensor owns its memory.
    bool zeroCopy = true;
};

/// Loads every tensor of a model file onto the CPU: `.safetensors`, `.ckpt`/`.pt`/`.pth`/`.bin`, a
/// diffusers folder (converted to LDM names, see io/diffusers_loader.h); other names by content.
/// Throws api::Error naming the file and the problem.
StateDict loadStateDict(const std::string& path, const LoadOptions& options = {});

/// Loads a PyTorch zip checkpoint (.ckpt/.pt/.pth/.bin) through the restricted unpickler. Tensor
/// names are the dict paths joined with '.'; a pytorch-lightning `state_dict` wrapper is removed.
StateDict loadCheckpoint(const std::string& path, const LoadOptions& options = {});

/// One tensor of an open safetensors file (lazy loading of a single entry).
torch::Tensor loadTensor(const SafetensorsFile& file, const TensorInfo& info, const LoadOptions& options = {});

/// An uninitialised CPU tensor for loaded weights, its memory from io::HostBufferPool when it is
/// large (blocks of an unloaded model of the same architecture come back without page faults).
torch::Tensor pooledEmpty(at::IntArrayRef sizes, torch::ScalarType dtype,
                          torch::MemoryFormat format = torch::MemoryFormat::Contiguous);

/// dst.copy_(src), faster for contiguous CPU tensors: same dtype as a memcpy split over the
/// intra-op threads, fp16 -> fp32 with F16C (libtorch 1.13 converts one value at a time);
/// other pairs go through copy_().
void copyInto(torch::Tensor& dst, const torch::Tensor& src);

/// Writes tensors (any device, any layout) as `.safetensors`, atomically. Throws api::Error.
void saveSafetensors(const std::string& path, const StateDict& tensors,
                     const std::map<std::string, std::string>& metadata = {});

/// torch dtype of a file dtype (fp8 -> float16, see LoadOptions::dtype).
torch::ScalarType torchDType(DType dtype);
/// File dtype of a torch dtype; throws api::Error(InvalidRequest) for types safetensors lacks.
DType fileDType(torch::ScalarType type);

} // namespace easel::io
