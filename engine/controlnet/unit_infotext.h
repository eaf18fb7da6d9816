#pragma once
/// ControlNet units <-> the A1111 ControlNet extension's infotext value
/// (`ControlNet 0: "Module: canny, Model: name [hash], Weight: 1.0, Resize Mode: Crop and Resize, ..."`),
/// and the unit enums' labels. Plain C++ (easel_support); any thread.
/// Ref: sd-webui-controlnet scripts/infotext.py (serialize_unit / parse_unit: "Field Name: value"
/// joined by ", ", field names are the unit's snake_case fields capitalised word by word; fields
/// at -1 are left out; values are Python str(): floats "1.0", ints "512", bools "False").

#include <optional>
#include <string>

#include "engine/api/request.h"

namespace easel::controlnet {

enum class ControlMode { Balanced, PromptMoreImportant, ControlNetMoreImportant };

/// "Balanced", "My prompt is more important", "ControlNet is more important".
const char* controlModeLabel(ControlMode mode);
/// Accepts the labels (case-insensitive), the extension's ints "0".."2" and short names
/// ("balanced", "prompt", "controlnet"). Throws api::Error(InvalidRequest) listing the labels.
ControlMode parseControlMode(const std::string& text);

/// "Just Resize", "Crop and Resize", "Resize and Fill" (the extension's spelling).
const char* unitResizeModeLabel(api::ResizeMode mode);
/// Also accepts A1111's lower-case img2img spellings and "0".."2"; nullopt when unknown.
std::optional<api::ResizeMode> parseUnitResizeMode(const std::string& text);

/// The unit's infotext value. `modelLabel` is what goes after "Model: " (A1111: "stem [hash]").
std::string formatUnitInfotext(const api::ControlUnit& unit, const std::string& modelLabel);

/// Parses a unit value back. The model name loses its " [hash]" suffix (the catalog / file search
/// resolves names). Unknown fields (Low Vram, Hr Option, Save Detected Map, ...) are ignored.
/// nullopt when the text has no "Module" or "Model" field.
std::optional<api::ControlUnit> parseUnitInfotext(const std::string& text);

} // namespace easel::controlnet
