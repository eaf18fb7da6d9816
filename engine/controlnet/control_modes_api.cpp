#include "engine/api/control_modes.h"

#include <exception>

#include "engine/controlnet/unit_infotext.h"

namespace easel::api {

namespace {
constexpr controlnet::ControlMode kModes[] = {controlnet::ControlMode::Balanced,
                                             controlnet::ControlMode::PromptMoreImportant,
                                             controlnet::ControlMode::ControlNetMoreImportant};
}

std::vector<std::string> controlModeLabels()
{
    std::vector<std::string> labels;
    for (const controlnet::ControlMode mode : kModes)
        labels.emplace_back(controlnet::controlModeLabel(mode));
    return labels;
}

int controlModeIndex(const std::string& text)
{
    try {
        return static_cast<int>(controlnet::parseControlMode(text));
    } catch (const std::exception&) {
        return -1; // parseControlMode throws for an unknown text; the panel then keeps its default
    }
}

} // namespace easel::api
