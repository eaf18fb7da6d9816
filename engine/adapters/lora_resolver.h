#pragma once
/// From what the user asked for (LoRA panel entries + `<lora:…>`/`<lyco:…>` prompt tags) to the
/// LoRA files to merge. Plain C++ (no torch). Any thread.
///
/// Ref (behaviour): A1111 extensions-builtin/Lora extra_networks_lora.py (tag arguments) and
/// networks.py (names are file stems or aliases; `lyco` tags are LoRA tags).

#include <functional>
#include <string>
#include <vector>

#include "engine/adapters/lora_spec.h"
#include "engine/api/request.h"
#include "engine/text/prompt_extra_networks.h"

namespace easel::adapters {

/// The seam for the catalog: name -> file path ("" = unknown). Tried before the folders.
using LoRANameLookup = std::function<std::string(const std::string& name)>;

/// Folders searched for LoRA files, in order: $EASEL_LORA_DIRS (':'-separated), then the
/// `Lora` and `LyCORIS` folders beside the checkpoint's folder (A1111 models/Stable-diffusion ->
/// models/Lora) and inside it.
std::vector<std::string> loraSearchFolders(const std::string& checkpointPath);

/// A name to a file: an existing path as given; else the catalog lookup; else `name` + .safetensors,
/// .pt, .ckpt in each folder, then a file with that stem anywhere below the folders. Throws
/// api::Error(FileNotFound) naming the LoRA and the folders searched.
std::string resolveLoRAPath(const std::string& name, const std::vector<std::string>& folders,
                            const LoRANameLookup& lookup = {});

/// The request's enabled LoRA entries followed by the prompt's `lora`/`lyco` tags, resolved to files.
std::vector<LoRASpec> loraSetFor(const std::vector<api::LoRAEntry>& entries, const text::ExtraNetworkPrompt& tags,
                                 const std::vector<std::string>& folders, const LoRANameLookup& lookup = {});

} // namespace easel::adapters
