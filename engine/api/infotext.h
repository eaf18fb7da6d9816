#pragma once
/// A1111 `parameters` text ("infotext") as the UI reads it: split into prompt, negative prompt and the
/// parameter line, and applied onto a request. Forwards to engine/pipeline/infotext*.h, which format
/// and parse exactly as A1111 v1.10 does. Plain C++; any thread.
///
/// Functions here whose arguments are api types have names of their own (applyInfotext, not the
/// pipeline's requestFromInfotext), so argument-dependent lookup never makes an unqualified call
/// inside the engine ambiguous.

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "engine/api/request.h"

namespace easel::api {

/// The text split into its parts. `params` keeps the parameter line's order.
struct Infotext {
    std::string prompt;
    std::string negativePrompt;
    std::vector<std::pair<std::string, std::string>> params;

    std::optional<std::string> get(const std::string& key) const;
    void set(const std::string& key, const std::string& value); ///< replaces in place or appends
};

/// A1111 parse_generation_parameters: `Size: 512x768` becomes `Size-1`/`Size-2`, quoted values are
/// decoded; A1111's defaults for missing fields are not filled in.
Infotext parseInfotext(const std::string& text);

/// `base` with what the infotext says applied (after A1111's defaults for missing fields). Model,
/// VAE and LoRA names stay names; resolving them to files is the catalog's job.
GenerationRequest applyInfotext(const Infotext& infotext, GenerationRequest base = {});

} // namespace easel::api
