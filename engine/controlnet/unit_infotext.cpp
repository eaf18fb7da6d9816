#include "engine/controlnet/unit_infotext.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <vector>

#include "engine/api/error.h"
#include "engine/core/number_format.h"
#include "engine/core/strings.h"

namespace easel::controlnet {

namespace {

std::string lower(std::string s)
{
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

using core::trim;
using core::parseDouble;

/// The extension writes the unit's fields with Python's str(): floats always carry a fraction
/// ("1.0", "100.0", "0.65"), ints (Processor Res) none. std::to_chars gives the same shortest
/// round-trip digits as Python's repr; only the ".0" of integral values has to be added.
std::string pythonFloat(double value)
{
    std::string text = core::formatNumber(value);
    if (std::isfinite(value) && text.find_first_of(".e") == std::string::npos)
        text += ".0";
    return text;
}

} // namespace

const char* controlModeLabel(ControlMode mode)
{
    switch (mode) {
    case ControlMode::Balanced: return "Balanced";
    case ControlMode::PromptMoreImportant: return "My prompt is more important";
    case ControlMode::ControlNetMoreImportant: return "ControlNet is more important";
    }
    return "Balanced";
}

ControlMode parseControlMode(const std::string& text)
{
    const std::string t = lower(trim(text));
    if (t.empty() || t == "balanced" || t == "0")
        return ControlMode::Balanced;
    if (t == "my prompt is more important" || t == "prompt" || t == "1")
        return ControlMode::PromptMoreImportant;
    if (t == "controlnet is more important" || t == "controlnet" || t == "2")
        return ControlMode::ControlNetMoreImportant;
    throw api::Error(api::ErrorCode::InvalidRequest,
                     "unknown ControlNet control mode '" + text
                         + "'; use Balanced, My prompt is more important or ControlNet is more important");
}

const char* unitResizeModeLabel(api::ResizeMode mode)
{
    switch (mode) {
    case api::ResizeMode::JustResize: return "Just Resize";
    case api::ResizeMode::CropAndResize: return "Crop and Resize";
    case api::ResizeMode::ResizeAndFill: return "Resize and Fill";
    }
    return "Crop and Resize";
}

std::optional<api::ResizeMode> parseUnitResizeMode(const std::string& text)
{
    const std::string t = lower(trim(text));
    if (t == "just resize" || t == "just-resize" || t == "0" || t == "envelope")
        return api::ResizeMode::JustResize;
    if (t == "crop and resize" || t == "crop-and-resize" || t == "inner fit (scale to fit)" || t == "1")
        return api::ResizeMode::CropAndResize;
    if (t == "resize and fill" || t == "resize-and-fill" || t == "outer fit (shrink to fit)" || t == "2")
        return api::ResizeMode::ResizeAndFill;
    return std::nullopt;
}

std::string formatUnitInfotext(const api::ControlUnit& u, const std::string& modelLabel)
{
        std::vector<std::pair<std::string, std::string>> fields = {
        {"Module", u.preprocessor.empty() ? "none" : u.preprocessor},
        {"Model", modelLabel},
        {"Weight", pythonFloat(u.weight)},
        {"Resize Mode", unitResizeModeLabel(u.resizeMode)},
    };
    // The extension leaves out fields whose value is -1 (hidden sliders).
    if (u.processorResolution != -1)
        fields.emplace_back("Processor Res", std::to_string(u.processorResolution));
    if (u.thresholdA != -1)
        fields.emplace_back("Threshold A", pythonFloat(u.thresholdA));
    if (u.thresholdB != -1)
        fields.emplace_back("Threshold B", pythonFloat(u.thresholdB));
    fields.emplace_back("Guidance Start", pythonFloat(u.guidanceStart));
    fields.emplace_back("Guidance End", pythonFloat(u.guidanceEnd));
    fields.emplace_back("Pixel Perfect", u.pixelPerfect ? "True" : "False");
    fields.emplace_back("Control Mode", controlModeLabel(parseControlMode(u.controlMode)));
    std::string out;
    for (const auto& [key, value] : fields) {
        // ',' and ':' would break the extension's parser; the extension refuses such values, we
        // replace them so the rest of the unit stays readable.
        std::string clean = value;
        std::replace(clean.begin(), clean.end(), ',', ' ');
        std::replace(clean.begin(), clean.end(), ':', ' ');
        out += (out.empty() ? "" : ", ") + key + ": " + clean;
    }
    return out;
}

std::optional<api::ControlUnit> parseUnitInfotext(const std::string& text)
{
    api::ControlUnit u;
    u.processorResolution = -1; // absent = hidden slider, as the extension writes it
    bool haveModule = false, haveModel = false;
    size_t start = 0;
    while (start <= text.size()) {
        size_t comma = text.find(',', start);
        if (comma == std::string::npos)
            comma = text.size();
        const std::string item = trim(text.substr(start, comma - start));
        start = comma + 1;
        const size_t colon = item.find(": ");
        if (colon == std::string::npos)
            continue;
        const std::string key = lower(trim(item.substr(0, colon)));
        const std::string value = trim(item.substr(colon + 2));
        double number = 0;
        if (key == "module") {
            u.preprocessor = value;
            haveModule = true;
        } else if (key == "model") {
            std::string name = value;
            // "control_v11p_sd15_canny [d14c016b]" -> the name; "None" means no model chosen.
            if (const size_t bracket = name.rfind(" ["); bracket != std::string::npos && name.back() == ']')
                name = name.substr(0, bracket);
            u.model = name == "None" ? std::string() : name;
            haveModel = true;
        } else if (key == "weight" && parseDouble(value, number)) {
            u.weight = number;
        } else if (key == "resize mode") {
            if (auto mode = parseUnitResizeMode(value))
                u.resizeMode = *mode;
        } else if (key == "processor res" && parseDouble(value, number)) {
            u.processorResolution = static_cast<int>(number);
        } else if (key == "threshold a" && parseDouble(value, number)) {
            u.thresholdA = number;
        } else if (key == "threshold b" && parseDouble(value, number)) {
            u.thresholdB = number;
        } else if (key == "guidance start" && parseDouble(value, number)) {
            u.guidanceStart = number;
        } else if (key == "guidance end" && parseDouble(value, number)) {
            u.guidanceEnd = number;
        } else if (key == "pixel perfect") {
            u.pixelPerfect = lower(value) == "true";
        } else if (key == "control mode") {
            try {
                u.controlMode = controlModeLabel(parseControlMode(value));
            } catch (const api::Error&) {
                // an unknown mode from a newer extension: keep Balanced
            }
        }
    }
    if (!haveModule || !haveModel)
        return std::nullopt;
    if (u.processorResolution == -1)
        u.processorResolution = 512;
    return u;
}

} // namespace easel::controlnet
