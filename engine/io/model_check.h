#pragma once
/// Is a file a model at all? A pickle of plain values (or a "memo bomb" of shared references, read
/// safely by io/pickle), an empty safetensors file or one whose tensors match no layout Easel knows
/// is not: an error with a reason for loaders and `easel-cli inspect`, "broken" for the catalog,
/// rather than "a model of kind unknown". Plain C++ (no torch); any thread.

#include <cstdint>
#include <string>

#include "engine/io/model_detect.h"

namespace easel::io {

/// Why `model` is not a model, "" for every recognised kind (Unsupported has its own message: the
/// family is known, only not loadable yet). `tensorCount`: the tensors the detection saw.
std::string notAModelReason(const DetectedModel& model, std::uint64_t tensorCount);

/// Throws api::Error naming `path` when `model` (detected from `path`) is not a model: CorruptFile
/// for a file without tensors (it is not what its name says), UnsupportedFormat for tensors of an
/// unknown layout. Reads the file's header again only then, to count its tensors.
void requireModel(const DetectedModel& model, const std::string& path);

} // namespace easel::io
