#pragma once
/// A restricted unpickler for PyTorch checkpoints. Plain C++; any thread.
///
/// It builds inert values (numbers, strings, lists, tuples, dicts) and tensor descriptions; it never
/// imports or calls anything. A GLOBAL is accepted only from a fixed allow-list: the callables that
/// rebuild tensors and ordered dicts (torch._utils._rebuild_tensor_v2/_rebuild_tensor/_rebuild_parameter,
/// collections.OrderedDict), the torch storage classes, and a few harmless classes that
/// pytorch-lightning/numpy checkpoints reference (kept as opaque placeholders, as A1111's safe
/// unpickler allows them). Any other global, and INST/OBJ/EXT opcodes, throw api::Error(UnsafeFile)
/// naming it. Memory and work are bounded (node count, memo size, nesting depth, input size), so a
/// pickle bomb fails with CorruptFile instead of exhausting the machine.
///
/// Legacy (pre-1.6, non-zip) torch.save files are refused with UnsupportedFormat by the loader: their
/// storages follow the pickle in a second stream, and Easel supports only the zip format.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "engine/io/safetensors.h"

namespace easel::io {

/// A tensor described by a checkpoint: a strided view of storage `storageKey` (zip entry
/// `<archive>/data/<storageKey>`).
struct PickledTensor {
    std::string name;              ///< flattened path, e.g. "state_dict.model.diffusion_model.out.2.weight"
    DType dtype = DType::F32;
    std::vector<int64_t> shape;
    std::vector<int64_t> strides;  ///< in elements
    int64_t storageOffset = 0;     ///< in elements
    std::string storageKey;
    int64_t storageNumel = 0;      ///< elements the persistent id declares (0 if unknown)
};

struct PickleLimits {
    uint64_t maxNodes = 4u << 20;
    uint64_t maxMemo = 4u << 20;
    int maxDepth = 256;            ///< container nesting in the flattened result
};

/// Unpickles `data` and returns every tensor reachable through dict keys / list indices, named by
/// their path joined with '.'. When the top-level dict has a `state_dict` entry (pytorch-lightning
/// checkpoints), only that entry is returned, without the prefix (repeatedly, for nested wrappers).
/// Throws api::Error (UnsafeFile, CorruptFile) naming `path`.
std::vector<PickledTensor> unpickleTensors(std::string_view data, const std::string& path,
                                           const PickleLimits& limits = {});

} // namespace easel::io
