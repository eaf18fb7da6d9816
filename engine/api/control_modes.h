#pragma once
/// The ControlNet unit's "Control Mode" choices, as the A1111 ControlNet extension labels them.
/// Forwards to engine/controlnet/unit_infotext.h. Plain C++; any thread.

#include <string>
#include <vector>

namespace easel::api {

/// "Balanced", "My prompt is more important", "ControlNet is more important": the index is the
/// extension's control_mode number.
std::vector<std::string> controlModeLabels();

/// Index into controlModeLabels() of a label (any case), the extension's "0".."2" or a short name
/// ("balanced", "prompt", "controlnet"); -1 when unknown.
int controlModeIndex(const std::string& text);

} // namespace easel::api
