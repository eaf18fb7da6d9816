#pragma once
// A1111 "parameters" text (PNG tEXt/iTXt, JPEG/WebP EXIF UserComment): format and parse exactly as
// A1111 v1.10 does (CONVENTIONS.md), so images round-trip with A1111, civitai and other tools.
// Plain C++; any thread.

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "engine/api/infotext.h"
#include "engine/core/number_format.h"

namespace easel::pipeline {

/// The text split into its parts (the type is public: engine/api/infotext.h).
using api::Infotext;

/// A1111 infotext_utils.quote: JSON-encode (UTF-8 kept) when the value has ',', '\n' or ':'.
std::string quoteValue(const std::string& value);
/// Inverse of quoteValue for a value that starts and ends with '"'; returns it unchanged if not valid JSON.
std::string unquoteValue(const std::string& value);

/// prompt + ("\nNegative prompt: " + negative if any) + "\n" + "k: v, k2: v2" (k alone when k == v), stripped.
std::string formatInfotext(const Infotext& infotext);

/// A1111 parse_generation_parameters: the last line is the parameter line only if it holds at least
/// 3 `key: value` matches; `Size: 512x768` becomes `Size-1`/`Size-2`; quoted values are JSON-decoded.
/// Defaults for missing fields are NOT filled in here (see applyInfotextDefaults).
Infotext parseInfotext(const std::string& text);

/// Adds the values A1111 assumes when a field is missing (Clip skip 1, RNG GPU, Schedule type
/// Automatic, Emphasis Original, …) and splits pre-1.9 sampler names ("DPM++ 2M Karras").
void applyInfotextDefaults(Infotext& infotext);

/// A1111-style number text (lives in core so controlnet can use it without including pipeline).
using core::formatNumber;

} // namespace easel::pipeline
